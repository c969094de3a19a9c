//! Sync: bundle files, the operation log exchanged between replicas,
//! folders and sticks, conflicts, erasure, replica identity, a killed
//! import, hostile folders and folders that heal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod bundle;
mod clocks;
mod conflicts;
mod crash;
mod erase;
mod folder;
mod handoffs;
mod heal;
mod hostile;
mod knowledge;
mod merge;
mod network;
mod oplog_converge;
mod replica;
mod respondents;
mod split;
mod stations_converge;
