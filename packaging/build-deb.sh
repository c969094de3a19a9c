#!/usr/bin/env bash
# Builds the Debian package of waystation:
#
#   packaging/build-deb.sh [cargo deb options, e.g. --fast or --output DIR]
#
# 1. the release binary (cargo build --release --locked --bin waystation);
# 2. the manual pages and the bash, zsh and fish completions, generated
#    from the command line by examples/package_assets.rs into
#    target/assets/ of the source tree (whatever CARGO_TARGET_DIR is: the
#    assets of [package.metadata.deb] in Cargo.toml name that path);
# 3. cargo deb --no-build, which packs them with packaging/ (the kiosk's
#    systemd unit, the desktop entry, the maintainer scripts).
#
# Needs cargo-deb (cargo install cargo-deb --locked). Prints the path of the
# .deb on its last line. CARGO_BUILD_JOBS limits the build's jobs as usual.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
    echo "build-deb.sh: cargo-deb is missing: cargo install cargo-deb --locked" >&2
    exit 1
fi

echo "== cargo build --release" >&2
cargo build --release --locked --bin waystation >&2

echo "== manual pages and completions" >&2
# In the dev profile: an example builds every dev-dependency (criterion,
# proptest …), which the tests have built already in that profile, while
# in release they would be a second build of their own.
assets=target/assets
rm -rf "$assets"
cargo run --locked --quiet --example package_assets -- "$assets" >&2

echo "== cargo deb" >&2
cargo deb --no-build --locked --strip "$@" | tail -n 1
