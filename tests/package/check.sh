#!/usr/bin/env bash
# The Debian package, built and installed as a station would install it
# (docs/install.md), into a scratch root instead of this machine:
#
#   tests/package/check.sh
#
# 1. installs cargo-deb if it is missing (the version below builds with the
#    toolchain of .ci/run's machines);
# 2. builds the package (packaging/build-deb.sh) and prints
#    dpkg-deb --info and --contents;
# 3. checks that every path docs/install.md promises is in it, with its
#    mode, and the control fields and maintainer scripts;
# 4. installs it with dpkg --root into a scratch root and runs
#    `waystation --version` from there, reads the manual page, checks the
#    completions, the desktop entry and the unit; installs it again (an
#    upgrade), removes and purges it, checking what the maintainer scripts
#    did and kept at each step.
#
# Why dpkg --root with --force-script-chrootless: a plain `dpkg --root`
# chroots into the scratch root to run the maintainer scripts, which would
# need a whole system in it (a shell, adduser, perl for systemd's helpers).
# Chrootless, the scripts run with this machine's tools and DPKG_ROOT set to
# the scratch root, and ours touch only files below DPKG_ROOT (useradd
# --prefix, the passwd and group files there; deb-systemd-helper honours
# DPKG_ROOT too). A policy-rc.d in the scratch root that says 101 keeps
# deb-systemd-invoke from starting or stopping anything on this machine.
# Doing so needs root (chown to the new group); without root the scripts
# cannot be run, and the check falls back to `dpkg-deb -x` and the program
# alone, saying so.
#
# Any mismatch ends it with a line starting "package check FAILED:" and a
# non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

CARGO_DEB_VERSION=3.8.0

fail() {
    echo "package check FAILED: $*" >&2
    exit 1
}

step() { echo "-- $*"; }

if ! cargo deb --version >/dev/null 2>&1; then
    step "installing cargo-deb $CARGO_DEB_VERSION"
    cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked --quiet
fi
step "$(cargo deb --version)"

for tool in dpkg dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (a Debian-based machine is needed)"
done

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || fail "no version in Cargo.toml"

deb=$(packaging/build-deb.sh)
[ -f "$deb" ] || fail "build-deb.sh did not print the path of a .deb (got: $deb)"
step "built $deb"

echo "== dpkg-deb --info"
dpkg-deb --info "$deb"
echo "== dpkg-deb --contents"
contents=$(dpkg-deb --contents "$deb")
echo "$contents"

# --- what the package holds -------------------------------------------------

# path and mode (as dpkg-deb --contents prints them) of every file that
# docs/install.md promises.
expected="
-rwxr-xr-x ./usr/bin/waystation
-rw-r--r-- ./usr/share/man/man1/waystation.1.gz
-rw-r--r-- ./usr/share/man/man1/waystation-init.1.gz
-rw-r--r-- ./usr/share/man/man1/waystation-sync.1.gz
-rw-r--r-- ./usr/share/man/man1/waystation-kiosk.1.gz
-rw-r--r-- ./usr/share/bash-completion/completions/waystation
-rw-r--r-- ./usr/share/zsh/vendor-completions/_waystation
-rw-r--r-- ./usr/share/fish/vendor_completions.d/waystation.fish
-rw-r--r-- ./usr/share/applications/waystation.desktop
-rw-r--r-- ./usr/lib/systemd/system/waystation-kiosk.service
-rw-r--r-- ./usr/share/doc/waystation/copyright
-rw-r--r-- ./usr/share/doc/waystation/README.md
-rw-r--r-- ./usr/share/doc/waystation/docs/install.md
-rw-r--r-- ./usr/share/doc/waystation/docs/kiosk.md
"
while read -r mode path; do
    [ -n "$path" ] || continue
    line=$(echo "$contents" | awk -v p="$path" '$6 == p')
    [ -n "$line" ] || fail "$path is not in the package"
    [ "$(echo "$line" | awk '{print $1}')" = "$mode" ] || fail "$path: mode is not $mode: $line"
    case "$(echo "$line" | awk '{print $2}')" in
        root/root | 0/0) ;;
        *) fail "$path: not owned by root: $line" ;;
    esac
done <<<"$expected"
# Nothing of the station's data, and nothing outside the usual places.
if echo "$contents" | awk '{print $6}' |
    grep -Ev '^\./$|^\./usr/$|^\./usr/bin/|^\./usr/share/|^\./usr/lib/$|^\./usr/lib/systemd/$|^\./usr/lib/systemd/system/'; then
    fail "the package holds files outside /usr/bin, /usr/share and the systemd unit folder (above)"
fi

field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = waystation ] || fail "Package is not waystation"
[ "$(field Version)" = "$version-1" ] || fail "Version is not $version-1: $(field Version)"
field Depends | grep -q 'libc6' || fail "Depends lacks libc6: $(field Depends)"
for f in Maintainer Section Priority Description; do
    [ -n "$(field "$f")" ] || fail "no $f field"
done

scripts=$(mktemp -d)
trap 'rm -rf "$scripts"' EXIT
dpkg-deb --control "$deb" "$scripts/DEBIAN"
for s in postinst postrm prerm; do
    [ -x "$scripts/DEBIAN/$s" ] || fail "no executable $s"
    sh -n "$scripts/DEBIAN/$s" || fail "$s is not valid sh"
    ! grep -q '#DEBHELPER#' "$scripts/DEBIAN/$s" || fail "$s still holds #DEBHELPER#"
done
grep -q 'deb-systemd-helper' "$scripts/DEBIAN/postinst" || fail "postinst lacks the systemd unit's part"
# The part that enables a unit only where it was enabled before (an
# upgrade), not the one that enables it on a first installation.
grep -q 'deb-systemd-helper debian-installed' "$scripts/DEBIAN/postinst" \
    || fail "postinst would enable the kiosk unit on installation"
! grep -q 'deb-systemd-invoke start' "$scripts/DEBIAN/postinst" || fail "postinst starts the kiosk unit"
[ ! -e "$scripts/DEBIAN/conffiles" ] || fail "unexpected conffiles: $(cat "$scripts/DEBIAN/conffiles")"

# --- installed into a scratch root ----------------------------------------------

root=$(mktemp -d)
trap 'rm -rf "$scripts" "$root"' EXIT
export LC_ALL=C.UTF-8

if [ "$(id -u)" != 0 ]; then
    step "not root: the maintainer scripts cannot be run; unpacking with dpkg-deb -x only"
    dpkg-deb -x "$deb" "$root"
else
    mkdir -p "$root/etc" "$root/usr/sbin" "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
    touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
    # A system with root alone, for useradd --prefix to add to.
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
    printf 'root:x:0:\n' >"$root/etc/group"
    printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
    printf 'root:*::\n' >"$root/etc/gshadow"
    chmod 600 "$root/etc/shadow" "$root/etc/gshadow"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"

    # What this machine has, to show below that the scripts left it alone.
    host_before=$(sha256sum /etc/passwd /etc/group; ls -d /var/lib/waystation /etc/systemd/system/waystation-kiosk.service 2>/dev/null || true)

    dpkg_root() {
        # --force-depends: the scratch root has no libc6 package installed.
        dpkg --root="$root" --force-script-chrootless --force-depends \
            --log=/dev/null "$@"
    }
    step "dpkg --root $root --install"
    dpkg_root --install "$deb"
    [ "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' waystation)" = "install ok installed" ] \
        || fail "waystation is not installed in the scratch root"
fi

# The program runs from the installed tree.
installed_version=$("$root/usr/bin/waystation" --version)
[ "$installed_version" = "waystation $version" ] || fail "waystation --version says '$installed_version', not 'waystation $version'"
step "installed: $installed_version"
"$root/usr/bin/waystation" --help | grep -q '^Usage: waystation' || fail "waystation --help has no usage line"

# The manual page: read by man where there is one, else its first lines
# must be groff.
page="$root/usr/share/man/man1/waystation.1.gz"
if command -v man >/dev/null 2>&1; then
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || fail "man -l $page failed: $warnings"
    [ -z "$warnings" ] || fail "groff warnings in waystation.1: $warnings"
    text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
    echo "$text" | head -n 12
    for want in NAME SYNOPSIS OPTIONS SUBCOMMANDS 'waystation-kiosk(1)' 'WAYSTATION_DB'; do
        echo "$text" | grep -q -- "$want" || fail "the manual page lacks $want"
    done
else
    zcat "$page" | head -n 5
    zcat "$page" | head -n 1 | grep -q '^\.TH waystation 1' || fail "waystation.1.gz does not start with .TH"
fi
for p in "$root"/usr/share/man/man1/*.gz; do
    gzip -t "$p" || fail "$p is not gzip"
done

# The completions: valid for their shell, where it is installed.
bash -n "$root/usr/share/bash-completion/completions/waystation" || fail "bash completion is not valid bash"
(
    # shellcheck disable=SC1091
    . "$root/usr/share/bash-completion/completions/waystation"
    complete -p waystation | grep -q -- '-F' || exit 1
) || fail "the bash completion does not complete waystation"
grep -q '^#compdef waystation' "$root/usr/share/zsh/vendor-completions/_waystation" || fail "zsh completion lacks #compdef"
! command -v zsh >/dev/null 2>&1 || zsh -n "$root/usr/share/zsh/vendor-completions/_waystation" || fail "zsh completion is not valid zsh"
grep -q 'complete -c waystation' "$root/usr/share/fish/vendor_completions.d/waystation.fish" || fail "fish completion lacks complete -c waystation"
! command -v fish >/dev/null 2>&1 || fish -n "$root/usr/share/fish/vendor_completions.d/waystation.fish" || fail "fish completion is not valid fish"

# The desktop entry.
desktop="$root/usr/share/applications/waystation.desktop"
for want in '^Terminal=true$' '^Categories=Office;$' '^Exec=waystation$' '^Name\[zh_CN\]=' '^Comment\[zh_CN\]='; do
    grep -q "$want" "$desktop" || fail "waystation.desktop lacks $want"
done
! command -v desktop-file-validate >/dev/null 2>&1 || desktop-file-validate "$desktop" || fail "desktop-file-validate"

# The kiosk unit.
unit="$root/usr/lib/systemd/system/waystation-kiosk.service"
for want in '^ExecStart=/usr/bin/waystation --db /var/lib/waystation/station.db kiosk$' \
    '^User=waystation-kiosk$' '^TTYPath=/dev/tty1$' '^StandardInput=tty$' '^Restart=always$' \
    '^Conflicts=getty@tty1.service$' '^NoNewPrivileges=yes$' '^ReadWritePaths=/var/lib/waystation$'; do
    grep -q "$want" "$unit" || fail "waystation-kiosk.service lacks $want"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # On a copy whose program is the installed one: this machine has no
    # /usr/bin/waystation, and the scratch root no systemd to check against.
    sed "s|/usr/bin/waystation|$root/usr/bin/waystation|" "$unit" >"$scripts/waystation-kiosk.service"
    out=$(systemd-analyze verify --man=no "$scripts/waystation-kiosk.service" 2>&1) \
        || fail "systemd-analyze verify: $out"
    [ -z "$out" ] || fail "systemd-analyze verify: $out"
    systemd-analyze security --offline=yes "$scripts/waystation-kiosk.service" 2>/dev/null | tail -n 1
fi

[ "$(id -u)" = 0 ] || { step "package checked (maintainer scripts not run: not root)"; exit 0; }

# --- what the maintainer scripts did ----------------------------------------

check_installed_state() {
    grep -q '^waystation:x:[0-9]*:' "$root/etc/group" || fail "$1: no group waystation"
    gid=$(grep '^waystation:' "$root/etc/group" | cut -d: -f3)
    user=$(grep '^waystation-kiosk:' "$root/etc/passwd") || fail "$1: no user waystation-kiosk"
    IFS=: read -r _ _ uid ugid _ home shell <<<"$user"
    [ "$ugid" = "$gid" ] || fail "$1: waystation-kiosk's group is $ugid, not waystation ($gid)"
    [ "$uid" -lt 1000 ] || fail "$1: waystation-kiosk is not a system user (uid $uid)"
    [ "$home" = /var/lib/waystation ] || fail "$1: waystation-kiosk's home is $home"
    [ "$shell" = /usr/sbin/nologin ] || fail "$1: waystation-kiosk's shell is $shell"
    [ "$(grep -c '^waystation-kiosk:' "$root/etc/passwd")" = 1 ] || fail "$1: waystation-kiosk twice"
    [ "$(stat -c '%a %u %g' "$root/var/lib/waystation")" = "2770 0 $gid" ] \
        || fail "$1: /var/lib/waystation is $(stat -c '%a %u %g' "$root/var/lib/waystation"), not 2770 root:waystation"
    [ ! -e "$root/etc/systemd/system/multi-user.target.wants/waystation-kiosk.service" ] \
        || fail "$1: the kiosk unit was enabled"
}
check_installed_state install
step "installed: user waystation-kiosk, group waystation, /var/lib/waystation 2770 root:waystation, unit not enabled"

# A station's database, partly the kiosk's (its -wal file).
uid=$(grep '^waystation-kiosk:' "$root/etc/passwd" | cut -d: -f3)
printf 'records\n' >"$root/var/lib/waystation/station.db"
printf 'wal\n' >"$root/var/lib/waystation/station.db-wal"
chown "0:$gid" "$root/var/lib/waystation/station.db"
chown "$uid:$gid" "$root/var/lib/waystation/station.db-wal"
chmod 660 "$root/var/lib/waystation/station.db" "$root/var/lib/waystation/station.db-wal"

step "installing again (an upgrade)"
dpkg_root --install "$deb"
check_installed_state upgrade
[ "$(cat "$root/var/lib/waystation/station.db")" = records ] || fail "upgrade: the database changed"

step "dpkg --remove"
dpkg_root --remove waystation
[ ! -e "$root/usr/bin/waystation" ] || fail "remove: the program is still there"
[ ! -e "$unit" ] || fail "remove: the unit is still there"
grep -q '^waystation-kiosk:' "$root/etc/passwd" || fail "remove: the kiosk user went (only purge removes it)"
# systemd's helper masks a removed package's unit, below DPKG_ROOT.
[ "$(readlink "$root/etc/systemd/system/waystation-kiosk.service")" = /dev/null ] \
    || fail "remove: the kiosk unit is not masked in the scratch root"
[ "$(cat "$root/var/lib/waystation/station.db")" = records ] || fail "remove: the database went"

step "dpkg --purge"
dpkg_root --purge waystation
! grep -q '^waystation-kiosk:' "$root/etc/passwd" || fail "purge: the kiosk user is still there"
grep -q '^waystation:' "$root/etc/group" || fail "purge: the group waystation went (it still opens the database)"
[ "$(cat "$root/var/lib/waystation/station.db")" = records ] || fail "purge: the database went"
[ "$(stat -c '%a %u %g' "$root/var/lib/waystation")" = "2770 0 $gid" ] || fail "purge: /var/lib/waystation changed"
[ "$(stat -c '%a %u %g' "$root/var/lib/waystation/station.db-wal")" = "660 0 $gid" ] \
    || fail "purge: the kiosk's file is $(stat -c '%a %u %g' "$root/var/lib/waystation/station.db-wal"), not 660 root:waystation"
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' waystation 2>/dev/null || true)
case "$status" in
    "" | *" not-installed") ;;
    *) fail "purge: dpkg still has waystation: $status" ;;
esac
[ ! -e "$root/etc/systemd/system/waystation-kiosk.service" ] || fail "purge: the kiosk unit is still masked"
step "removed and purged: the user went; the group, the folder and the database stayed"

host_after=$(sha256sum /etc/passwd /etc/group; ls -d /var/lib/waystation /etc/systemd/system/waystation-kiosk.service 2>/dev/null || true)
[ "$host_after" = "$host_before" ] || fail "the maintainer scripts changed this machine, not only the scratch root: $host_before / $host_after"

echo "package: $(basename "$deb") checked"
