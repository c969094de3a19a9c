//! End-to-end: the real binary in a pseudo-terminal, driven by keys, its
//! screen read through a terminal emulator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod console;
mod day;
mod kiosk;
mod travel;
