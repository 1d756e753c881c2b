#!/bin/sh
# make test-package: the Debian package's life in a Debian 12 chroot, as root.
#   lintian (no error, no warning beyond the overrides explained in docs/install.md);
#   the unit checked by systemd-analyze verify and its hardening scored by systemd-analyze security;
#   install N: user, groups, data folder 0700, configuration, enabled unit, UI in /usr/share;
#   the unit's ExecStart run as the citizenwatt user (systemd does not run in a chroot), driven
#   over HTTP by scripts/serve-smoke.mjs, then again: the service survives a restart;
#   citizenwatt backup and restore as the service user (docs/install.md), the data it restored
#   is what the next start finds;
#   upgrade N -> N+1 with a changed conffile: data, accounts and the admin's change kept;
#   remove keeps the data; purge deletes data and configuration.
# Usage: sh scripts/test-package.sh BUILD_DIR DEB_N DEB_N+1
# The chroot (mmdebstrap, minbase + the package's dependencies + systemd, from the mirror apt uses here)
# is cached in BUILD_DIR/deb-chroot/ and extracted afresh for every run.
set -eu

BUILD=${1:?usage: sh scripts/test-package.sh BUILD_DIR DEB_N DEB_N+1}
DEB_N=${2:?usage: sh scripts/test-package.sh BUILD_DIR DEB_N DEB_N+1}
DEB_N1=${3:?usage: sh scripts/test-package.sh BUILD_DIR DEB_N DEB_N+1}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SMOKE="node $SRC/scripts/serve-smoke.mjs --timeout 60 --user admin:package-test-pass"
step() { echo "test-package: $*"; }
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cw_test_package.XXXXXX")
ROOT="$TMP/root"
cleanup() {
  umount "$ROOT/proc" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# --- static checks -------------------------------------------------------------------------
step "lintian $(basename "$DEB_N")"
lintian --fail-on error,warning "$DEB_N" || fail "lintian"
score=$(systemd-analyze security --offline=yes --no-pager "$SRC/packaging/citizenwatt.service" 2>&1 |
  sed -n 's/.*Overall exposure level for citizenwatt.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "systemd-analyze security gave no score"
step "systemd-analyze security: exposure $score (0 = locked down, 10 = unprotected)"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score above 2.0"

# --- the chroot ----------------------------------------------------------------------------
deps=$(dpkg-deb -f "$DEB_N" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/[[:space:]]//g' |
  grep -v '^$' | sort -u | tr '\n' ',')
deps="${deps}systemd"  # not run: its units let systemd-analyze verify the installed one in place
mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*debian\/*\)$/\1/p; s/^deb[[:space:]]\{1,\}\(http[^ ]*\/debian\/*\)[[:space:]]\{1,\}bookworm[[:space:]].*/\1/p' \
  /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
mirror=${CW_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}
key=$(printf '%s %s' "$deps" "$mirror" | sha256sum | cut -c1-12)
cache="$BUILD/deb-chroot/bookworm-$(dpkg --print-architecture)-$key.tar"
if [ ! -f "$cache" ]; then
  step "mmdebstrap bookworm minbase + $deps from $mirror"
  mkdir -p "$BUILD/deb-chroot"
  part="$BUILD/deb-chroot/partial-$key.tar"  # mmdebstrap picks the format from the extension
  mmdebstrap --quiet --variant=minbase --include="$deps" bookworm "$part" "$mirror"
  mv "$part" "$cache"
fi
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$cache"
mount -t proc proc "$ROOT/proc"
in_root() { chroot "$ROOT" "$@"; }
# ExecStart of the installed unit, as the service user with its groups, on a free port.
serve_cmd() {
  exec_start=$(sed -n 's/^ExecStart=//p' "$ROOT/lib/systemd/system/citizenwatt.service")
  [ -n "$exec_start" ] || fail "no ExecStart in the installed unit"
  echo "chroot $ROOT setpriv --reuid=citizenwatt --regid=citizenwatt --init-groups $exec_start --listen 127.0.0.1:0 --simulate --speed 50"
}
mode() { in_root stat -c '%a %U:%G' "$1"; }  # names from the chroot's own passwd

# --- install N -----------------------------------------------------------------------------
cp "$DEB_N" "$DEB_N1" "$ROOT/tmp/"
step "install $(basename "$DEB_N")"
in_root dpkg -i "/tmp/$(basename "$DEB_N")" || fail "dpkg -i"
in_root getent passwd citizenwatt | grep -q ':/var/lib/citizenwatt:/usr/sbin/nologin$' || fail "system user"
in_root id -nG citizenwatt | grep -qw dialout || fail "citizenwatt is not in dialout"
[ "$(mode /var/lib/citizenwatt)" = "700 citizenwatt:citizenwatt" ] || fail "data folder: $(mode /var/lib/citizenwatt)"
[ "$(mode /etc/citizenwatt/citizenwatt.toml)" = "640 root:citizenwatt" ] || fail "config: $(mode /etc/citizenwatt/citizenwatt.toml)"
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/citizenwatt.service" ] || fail "unit not enabled"
[ -f "$ROOT/usr/share/citizenwatt/ui/index.html" ] && [ -f "$ROOT/usr/share/citizenwatt/ui/vendor/uPlot.esm.js" ] ||
  fail "UI files missing"
systemd-analyze verify --root="$ROOT" /lib/systemd/system/citizenwatt.service || fail "systemd-analyze verify"
step "systemd-analyze verify: the installed unit is clean"

# --- first start, then a restart -----------------------------------------------------------
# shellcheck disable=SC2046  # the command is a list of words
$SMOKE --state "$TMP/n.json" -- $(serve_cmd) || fail "first start"
$SMOKE --expect-kept "$TMP/n.json" --state "$TMP/restart.json" -- $(serve_cmd) || fail "restart"
owner=$(in_root find /var/lib/citizenwatt -mindepth 1 ! -user citizenwatt ! -name citizenwatt.toml | head -n 1)
[ -z "$owner" ] || fail "a file of the data folder is not the service user's: $owner"

# --- backup and restore as docs/install.md says: as the service user, into its own folder ---
as_user() { in_root setpriv --reuid=citizenwatt --regid=citizenwatt --init-groups "$@"; }
in_root install -d -m 0700 -o citizenwatt -g citizenwatt /var/backups/citizenwatt
as_user citizenwatt backup --data /var/lib/citizenwatt --to /var/backups/citizenwatt/t.backup ||
  fail "citizenwatt backup as the service user"
[ "$(mode /var/backups/citizenwatt/t.backup)" = "600 citizenwatt:citizenwatt" ] ||
  fail "backup file: $(mode /var/backups/citizenwatt/t.backup)"
as_user citizenwatt restore /var/backups/citizenwatt/t.backup --data /var/lib/citizenwatt ||
  fail "citizenwatt restore as the service user"
ls "$ROOT"/var/lib/citizenwatt/citizenwatt.db.before-restore-* >/dev/null 2>&1 ||
  fail "restore kept no copy of the previous database"
step "backup and restore as the citizenwatt user"

# --- upgrade N -> N+1 ----------------------------------------------------------------------
sed -i 's/^log_level = "info"/log_level = "debug"/' "$ROOT/etc/citizenwatt/citizenwatt.toml"
step "upgrade to $(basename "$DEB_N1")"
in_root dpkg -i --force-confold "/tmp/$(basename "$DEB_N1")" || fail "upgrade"
grep -q '^log_level = "debug"' "$ROOT/etc/citizenwatt/citizenwatt.toml" || fail "the admin's change was lost"
$SMOKE --expect-kept "$TMP/restart.json" -- $(serve_cmd) || fail "start after the upgrade"

# --- remove, purge -------------------------------------------------------------------------
step "remove"
in_root dpkg -r citizenwatt || fail "dpkg -r"
[ ! -e "$ROOT/usr/bin/citizenwatt" ] || fail "the binary is still there after remove"
[ -s "$ROOT/var/lib/citizenwatt/citizenwatt.db" ] || fail "remove deleted the data"
[ -f "$ROOT/etc/citizenwatt/citizenwatt.toml" ] || fail "remove deleted the configuration"
step "purge"
in_root dpkg -P citizenwatt || fail "dpkg -P"
for p in /var/lib/citizenwatt /etc/citizenwatt /lib/systemd/system/citizenwatt.service \
  /etc/systemd/system/multi-user.target.wants/citizenwatt.service /usr/share/citizenwatt; do
  [ ! -e "$ROOT$p" ] || fail "$p is still there after purge"
done
left=$(in_root dpkg-query -W -f='${db:Status-Abbrev}' citizenwatt 2>/dev/null || true)
[ -z "$left" ] || [ "$left" = "un " ] || fail "dpkg still knows citizenwatt: '$left'"
step "install, restart, upgrade, remove and purge: all passed"
