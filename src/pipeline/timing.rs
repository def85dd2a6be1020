//! Stage timings for profiling (`LECTERN_TIMINGS=1`; see README, "Performance").

use std::time::Instant;

/// With `LECTERN_TIMINGS` set, prints how long a stage took and the memory held so far (on
/// Linux), for profiling; see README, "Performance".
pub(super) fn stage(name: &str, t: Instant) {
    if std::env::var_os("LECTERN_TIMINGS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or("?".to_string(), |kb| (kb / 1024).to_string())
    };
    // User and system time of the whole process so far, in clock ticks (fields 14 and 15 of
    // /proc/self/stat, after the command name in parentheses).
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let mut f = s.rsplit_once(')')?.1.split_whitespace().skip(11);
            Some(f.next()?.parse::<u64>().ok()? + f.next()?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let cpu = ticks
        - LAST
            .swap(ticks, std::sync::atomic::Ordering::Relaxed)
            .min(ticks);
    eprintln!(
        "{name:>14}: {:>7.1} ms, CPU {:>5} ms   RSS {} MB, peak {} MB",
        t.elapsed().as_secs_f64() * 1e3,
        cpu * 10,
        mb("VmRSS:"),
        mb("VmHWM:")
    );
}
