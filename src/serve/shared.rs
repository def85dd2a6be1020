//! What the builder and the server share: where things stand after the last build, and the
//! server-sent events for every open page.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

/// What the server knows about the last build.
#[derive(Debug, Clone)]
pub struct Status {
    /// Id of the last good build (what is on disk); it changes with every good build.
    pub build: String,
    /// The overlay to show while the last build failed.
    pub overlay: Option<String>,
    /// Whether any build succeeded yet.
    pub has_site: bool,
    /// The path prefix the site is served under, from `base_url`: `/` or `/lessons/`.
    pub prefix: String,
}

/// One server-sent event for every open page.
#[derive(Debug, Clone)]
pub struct Message {
    pub name: &'static str,
    pub data: Arc<str>,
}

/// State shared by the builder and the server.
pub struct Shared {
    pub(super) status: RwLock<Status>,
    /// Whether the address was printed (later prefix changes are then announced).
    pub(super) announced: AtomicBool,
    pub events: broadcast::Sender<Message>,
}

impl Shared {
    pub fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The first event of every stream: where things stand.
    pub fn hello(&self) -> Message {
        let s = self.status();
        let data = serde_json::json!({"build": s.build, "overlay": s.overlay});
        Message {
            name: "hello",
            data: data.to_string().into(),
        }
    }

    pub(super) fn update(&self, f: impl FnOnce(&mut Status)) {
        f(&mut self.status.write().unwrap_or_else(|e| e.into_inner()));
    }

    pub(super) fn send(&self, name: &'static str, data: serde_json::Value) {
        // No open page is not an error.
        let _ = self.events.send(Message {
            name,
            data: data.to_string().into(),
        });
    }
}
