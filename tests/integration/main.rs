//! Integration tests: real fixture projects built by the real `lectern` binary, with assertions on
//! the HTML it writes and the errors it prints.

mod harness;
mod server;

mod build;
mod course;
mod equation;
mod expressions;
mod invalid;
mod scaffold;
mod seed;
mod serve;
mod try_it;
