//! The documentation that is generated from code stays current.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use waystation::tui::keymap::{Keymap, markdown};

/// docs/keys.md is the keymap; regenerate with
/// `WAYSTATION_UPDATE_DOCS=1 cargo test --test console docs`.
#[test]
fn keys_doc_matches_the_keymap() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
    let want = markdown(&Keymap::default_map());
    if std::env::var_os("WAYSTATION_UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/keys.md is out of date: run WAYSTATION_UPDATE_DOCS=1 cargo test --test console docs"
    );
}
