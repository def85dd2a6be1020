//! lectern: Markdown lessons with matrices that are computed and checked at build time.
//!
//! The pipeline, one module per stage, each depending only on those before it:
//! [`load`] → [`parse`] → [`compute`] → [`verify`] → [`render`] → [`links`] → [`write`], driven by
//! [`pipeline`]. [`source`], [`error`], [`model`] and [`config`] are the data they share;
//! [`report`] turns errors into text, [`cli`] and [`cmd`] are the command line.

pub mod builtin;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod error;
pub mod format;
pub mod links;
pub mod load;
pub mod math;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod target;
pub mod verify;
pub mod write;
