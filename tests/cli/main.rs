//! The command line: the real binary run to its end as staff and scripts
//! run it (`common::cli`), what its files hold, that a session's notes
//! never leave, and the layers of the source pointing one way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod commands;
mod duplicates;
mod edges;
mod encryption;
mod export;
mod held;
mod import;
mod import_roundtrip;
mod layers;
mod network;
mod notes_privacy;
mod report;
mod respondents;
mod slip;
