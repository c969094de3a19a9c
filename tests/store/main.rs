//! The store and what reads it: storage, the lookup, the queue, the
//! schedule, who is here, the figures against an independent count, and
//! killed writers; the storage suite over every way a database comes to
//! be (fresh, upgraded from each released schema, demo, restored).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod claimants;
mod crash;
mod database;
mod duplicates;
mod figures;
mod import_crash;
mod lookup;
mod never_panics;
mod people;
mod queue;
mod schedule;
mod slip;
mod storage_suite;
mod visits;
