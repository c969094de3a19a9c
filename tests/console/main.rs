//! The console and the kiosk without a terminal: every pane driven through
//! keys on a fixed demo database and clock, its screens as insta snapshots
//! (in `snapshots/` beside this file), and the keymap's generated doc.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod busy;
mod cases;
mod checkin;
mod checkin_likely;
mod checkin_shared;
mod docs;
mod dups;
mod figures;
mod frame;
mod group_intake;
mod held;
mod kiosk_screens;
mod messages;
mod schedule;
mod signin;
mod slip;
mod sync;
mod travel;
