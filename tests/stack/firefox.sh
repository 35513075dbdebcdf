#!/usr/bin/env bash
# Makes a current Firefox available to the browser tests and prints the path of a
# launcher for it (idempotent: a second run reuses what is there).
#
# Why a separate root: Playwright drives stock Firefox over WebDriver BiDi, which needs a
# newer Firefox than bookworm's firefox-esr 153 (it lacks emulation.setMediaFeaturesOverride,
# sent for every new page). Debian sid has the current release, but it is built against a
# newer glibc than this machine's. So sid's Firefox lives in its own minimal Debian root
# (.stack/firefox/root, made by debootstrap from the Debian mirror), and the launcher runs
# it there: in a private mount namespace, so the mounts it needs (/proc, /dev, /tmp for
# Playwright's profile, the repository for test files) vanish with the browser.
# Needs root (debootstrap, chroot, mount), as the rest of the stack's setup does.
set -euo pipefail
# shellcheck source=tests/stack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FIREFOX_HOME="$STACK/firefox"
ROOT="$FIREFOX_HOME/root"
LAUNCHER="$FIREFOX_HOME/firefox"
MIRROR="http://deb.debian.org/debian"

[[ $EUID -eq 0 ]] || die "making the Firefox root needs root (debootstrap, chroot and mount); run as root"
# A container without CAP_SYS_ADMIN cannot give the browser its mounts: say so and exit 3,
# which tests/bin/test-all.sh reports as SKIPPED rather than as a failure of the plugin.
if ! unshare --mount --propagation private -- true 2>/dev/null; then
	warn "this machine cannot create a mount namespace (unshare --mount): Firefox tests skipped"
	exit 3
fi

if [[ ! -x "$ROOT/usr/bin/firefox" || ! -e "$FIREFOX_HOME/.complete" ]]; then
	mkdir -p "$FIREFOX_HOME" "$LOGS"
	command -v debootstrap >/dev/null || {
		log "installing debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >"$LOGS/firefox-root.log" 2>&1 ||
			{ show_log_tail "$LOGS/firefox-root.log"; die "could not install debootstrap"; }
	}
	log "making a Debian sid root with Firefox in $ROOT (about a minute, 1 GB)"
	rm -rf "$ROOT" "$FIREFOX_HOME/.complete"
	# debootstrap mounts /proc and /sys in the target while it installs: a private mount
	# namespace keeps a failed run from leaving them mounted. dbus-x11 is named because
	# debootstrap does not resolve "a | b" dependencies (dconf-service needs a session bus).
	unshare --mount --propagation private -- \
		debootstrap --variant=minbase --include=firefox,dbus-x11,fonts-dejavu-core \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		sid "$ROOT" "$MIRROR" >>"$LOGS/firefox-root.log" 2>&1 ||
		{ show_log_tail "$LOGS/firefox-root.log"; die "debootstrap of the Firefox root failed"; }
	touch "$FIREFOX_HOME/.complete"
fi

cat >"$LAUNCHER" <<EOF
#!/bin/sh
# Written by tests/stack/firefox.sh: runs the Firefox of $ROOT with the arguments given.
exec unshare --mount --propagation private -- sh -c '
root="\$1"; repo="\$2"; shift 2
mount -t proc proc "\$root/proc"
mount --rbind /dev "\$root/dev"
mount --bind /tmp "\$root/tmp"
mkdir -p "\$root\$repo" && mount --bind "\$repo" "\$root\$repo"
exec chroot "\$root" /usr/bin/firefox "\$@"
' sh "$ROOT" "$VVC_REPO" "\$@"
EOF
chmod +x "$LAUNCHER"
"$LAUNCHER" --version 2>/dev/null | grep -q '^Mozilla Firefox' ||
	die "the Firefox in $ROOT does not start ($LAUNCHER --version)"
printf '%s\n' "$LAUNCHER"
