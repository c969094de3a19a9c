//! Replication by file. For now: the hybrid logical clock that orders every
//! operation of the log; bundle exchange builds on it.

pub mod hlc;
