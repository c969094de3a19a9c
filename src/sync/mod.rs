//! Replication by file: the hybrid logical clock that orders every
//! operation of the log, and the bundle files that carry operations between
//! replicas.

pub mod bundle;

pub mod folder;

pub mod heal;

pub mod intake;

pub mod lock;

pub mod network;

pub mod session;
