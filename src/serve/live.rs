//! Where served pages find the live-reload script: names the server, the session and its pages
//! share.

/// The live-reload script every served page loads, below the site's root: the server answers
/// it (no file is written for it).
pub const LIVE_RELOAD_SCRIPT: &str = "__lectern/live.js";

/// The folder of [`LIVE_RELOAD_SCRIPT`], from which the server answers live-reload requests.
pub const LIVE_RELOAD_DIR: &str = "__lectern";
