//! What a link's own text says, before it is resolved: whether it leaves the site, and its
//! percent escapes decoded. Used by the scanner and the resolver both, and kept apart from them
//! so that the resolver uses the scanner and the scanner uses nothing of the resolver.

pub(super) fn is_external(link: &str) -> bool {
    // A scheme (`https:`, `mailto:`) ends at the first `:`, before any `/`, `?` or `#`.
    let end = link
        .bytes()
        .position(|b| matches!(b, b':' | b'/' | b'?' | b'#'));
    link.starts_with("//") || end.is_some_and(|e| e > 0 && link.as_bytes()[e] == b':')
}

/// Decodes `%XX` escapes (borrowing when there are none); a `%` without two hex digits after it
/// stays as it is, and bytes that are not UTF-8 become U+FFFD (so no file matches).
pub(super) fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}
