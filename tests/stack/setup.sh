#!/usr/bin/env bash
# One-time (idempotent) installation for the local WordPress stack.
#
#   1. Installs the missing Debian packages (PHP 8.2 + FPM, MariaDB, nginx,
#      Chromium, espeak-ng, sox, ffmpeg, redis).  Needs root only if something is
#      missing.
#   2. Downloads WordPress 7.1 (Debian sid) and 6.8 (Debian trixie-security) as
#      .deb files with a PRIVATE apt configuration (the system's apt sources are
#      never touched), caches them in .stack/debs/<version>/ and extracts each
#      into a plain docroot .stack/wordpress/<version>/.
#
# Running it again only checks; nothing is downloaded twice.
# Usage: tests/stack/setup.sh
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- 1. Debian packages --------------------------------------------------------
SYSTEM_PACKAGES=(
	php8.2-fpm php8.2-cli php8.2-mysql php8.2-curl php8.2-gd php8.2-mbstring
	php8.2-xml php8.2-zip php8.2-intl php8.2-sqlite3
	mariadb-server mariadb-client
	nginx
	chromium         # browser tests (Playwright uses /usr/bin/chromium, pitfall 8)
	espeak-ng sox libsox-fmt-all  # make spoken WAV files for the fake microphone
	ffmpeg           # the OpenAI simulator decodes/encodes audio formats with it
	redis-server     # object-cache test
)

is_installed() {
	[[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
	is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]})); then
	if ((EUID != 0)); then
		die "these Debian packages are missing and installing them needs root:
    ${missing[*]}
Run this script as root (or: sudo $0), or install them yourself with apt-get."
	fi

	# Pitfall 11: without a policy-rc.d, the packages' post-install scripts try to
	# start mariadb, nginx, php-fpm and redis as system services.  We run our own
	# private instances instead, so forbid that ("exit 101" = action not allowed).
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		log "creating /usr/sbin/policy-rc.d (exit 101) so apt starts no services"
		printf '#!/bin/sh\n# Created by tests/stack/setup.sh: do not start services on install.\nexit 101\n' \
			>/usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
	fi

	log "installing ${#missing[@]} Debian packages: ${missing[*]}"
	# The package index may be stale on a fresh machine.  A failing third-party
	# source (no internet besides the Debian mirrors) must not stop us: if the
	# Debian indexes are fine the install below still works.
	if ! apt-get update -q; then
		warn "apt-get update reported errors (see above); trying the install anyway"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
	log "Debian packages: all ${#SYSTEM_PACKAGES[@]} already installed"
fi

# --- 2. WordPress trees ----------------------------------------------------------
# The .debs that make up a complete WordPress.  The wordpress package replaces
# its bundled libraries by symlinks into these packages (pitfall 12: without
# libphp-phpmailer, wp_mail() is fatal).  6.8 does not link to jquery-ui and
# phpmailer, but downloading them for it too keeps one list and costs nothing.
WP_PACKAGES=(
	wordpress wordpress-theme-twentytwentyfive libjs-cropper libjs-jquery-ui
	libjs-lodash libjs-underscore libphp-phpmailer php-getid3
)

# Debian suites for each tree (one private apt configuration per tree, so apt
# can never pick the package from the wrong suite).  trixie-security carries
# the newest 6.8 but not the libraries, which come from trixie itself.
suites_for() {
	case "$1" in
		7.1) echo "debian sid" ;;
		6.8) echo "debian trixie" "debian trixie-updates" "debian-security trixie-security" ;;
		*) die "unknown WordPress tree '$1'" ;;
	esac
}

APT_ROOT="$STACK/apt"
# bookworm's debian-archive-keyring (2023.3+deb12u2) already holds the trixie
# keys, and sid's InRelease is signed by both the bookworm and the trixie
# automatic-signing keys, so the system keyring verifies both suites today.
SYSTEM_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# private_apt DIR CMD...: apt-get with every bit of state (sources, lists,
# cache, preferences) under DIR.  Only Acquire settings such as a proxy still
# come from /etc/apt/apt.conf.d.
private_apt() {
	local dir="$1"
	shift
	apt-get -q \
		-o Dir::Etc::SourceList="$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$dir/lists" \
		-o Dir::Cache="$dir/cache" \
		-o Acquire::Languages=none \
		-o APT::Sandbox::User="$(id -un)" \
		"$@"
}

# write_sources DIR VERSION KEYRING: a sources.list for the suites of VERSION.
# [target=Packages] skips the translation and AppStream (DEP-11) indexes that
# the system's apt.conf.d would otherwise also fetch (about 6 MB for sid).
write_sources() {
	local dir="$1" version="$2" keyring="$3" archive suite
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	: >"$dir/sources.list"
	while read -r archive suite; do
		printf 'deb [signed-by=%s target=Packages] http://deb.debian.org/%s %s main\n' \
			"$keyring" "$archive" "$suite" >>"$dir/sources.list"
	done < <(suites_for "$version" | xargs -n2)
}

# bootstrap_keyring: only used if a suite is one day signed by a key that
# bookworm's keyring lacks (e.g. once sid is signed by forky keys only).  The
# trust chain stays intact: bookworm's keyring verifies trixie's InRelease, that
# authenticates trixie's Packages index, which pins the SHA-256 of trixie's
# (regularly updated) debian-archive-keyring .deb; its keyring then verifies
# the newer suite.  Prints the path of the newer keyring.
bootstrap_keyring() {
	local dir="$APT_ROOT/keyring-bootstrap"
	local keyring="$dir/debian-archive-keyring.gpg"
	if [[ ! -s "$keyring" ]]; then
		mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/deb" "$dir/x"
		printf 'deb [signed-by=%s target=Packages] http://deb.debian.org/debian trixie main\n' \
			"$SYSTEM_KEYRING" >"$dir/sources.list"
		private_apt "$dir" update >&2
		(cd "$dir/deb" && private_apt "$dir" download debian-archive-keyring >&2)
		dpkg-deb -x "$dir"/deb/debian-archive-keyring_*.deb "$dir/x"
		cp "$dir/x/usr/share/keyrings/debian-archive-keyring.gpg" "$keyring"
	fi
	printf '%s' "$keyring"
}

# apt_update_verified DIR VERSION: apt-get update with signature checking.
apt_update_verified() {
	local dir="$1" version="$2" out
	write_sources "$dir" "$version" "$SYSTEM_KEYRING"
	if out="$(private_apt "$dir" update 2>&1)" && ! grep -q 'NO_PUBKEY\|EXPKEYSIG\|is not signed' <<<"$out"; then
		return 0
	fi
	printf '%s\n' "$out" >&2
	if ! grep -q 'NO_PUBKEY\|EXPKEYSIG\|is not signed' <<<"$out"; then
		die "apt-get update for WordPress $version failed (see above)"
	fi
	warn "bookworm's keyring cannot verify the suites of WordPress $version; fetching a newer keyring from trixie"
	write_sources "$dir" "$version" "$(bootstrap_keyring)"
	# No `trusted=yes` fallback: an unverified WordPress is worse than none.
	private_apt "$dir" update || die "apt-get update for WordPress $version failed even with trixie's keyring"
}

# download_debs VERSION: fills .stack/debs/VERSION/ unless all debs are cached.
download_debs() {
	local version="$1" debs="$STACK/debs/$1" pkg have=1
	mkdir -p "$debs"
	for pkg in "${WP_PACKAGES[@]}"; do
		compgen -G "$debs/${pkg}_*.deb" >/dev/null || have=0
	done
	if ((have)); then
		log "WordPress $version: using cached .debs in $debs"
		return 0
	fi
	log "WordPress $version: downloading .debs from Debian ($(suites_for "$version" | xargs -n2 | awk '{print $2}' | xargs))"
	apt_update_verified "$APT_ROOT/$version" "$version"
	rm -f "$debs"/*.deb
	# apt-get download verifies every .deb against the signed index.
	(cd "$debs" && private_apt "$APT_ROOT/$version" download "${WP_PACKAGES[@]}")
}

# extract_tree VERSION: .debs -> .stack/wordpress/VERSION (a docroot without
# symlinks).  Skipped when the tree exists (VVC_WP_VERSION is written last).
extract_tree() {
	local version="$1" tree="$WP_ROOT/$1" debs="$STACK/debs/$1"
	local x="$STACK/tmp/extract-$1" link target wp_version deb_version
	if [[ -s "$tree/VVC_WP_VERSION" ]]; then
		log "WordPress $version: already extracted ($(<"$tree/VVC_WP_VERSION")) in $tree"
		return 0
	fi
	download_debs "$version"

	log "WordPress $version: extracting"
	rm -rf "$x" "$tree.tmp"
	mkdir -p "$x" "$WP_ROOT"
	# All debs into ONE folder, so that the wordpress package's relative symlinks
	# (wp-includes/PHPMailer -> ../../../php/libphp-phpmailer, js libraries...)
	# resolve inside it.
	for deb in "$debs"/*.deb; do
		dpkg-deb -x "$deb" "$x"
	done

	# A few links are absolute and point at the host: /etc/wordpress/htaccess
	# (Apache only, dangling here) and wp-includes/certificates/ca-bundle.crt ->
	# /etc/ssl/certs/ca-certificates.crt (the host's CA bundle, wanted).  Keep a
	# link whose target exists on the host (cp -L copies the target) and drop
	# dangling ones, which would make `cp -aL` fail.
	while IFS= read -r -d '' link; do
		target="$(readlink "$link")"
		if [[ ! -e "$target" ]]; then
			rm -f "$link"
		fi
	done < <(find "$x/usr/share/wordpress" -type l -lname '/*' -print0)

	# Resolve every remaining link: the docroot must not depend on the extraction
	# folder or on paths outside .stack.
	cp -aL "$x/usr/share/wordpress" "$tree.tmp"

	# Debian's wp-config.php reads /etc/wordpress/config-<host>.php; up.sh writes
	# an ordinary one instead.
	rm -f "$tree.tmp/wp-config.php"

	wp_version="$(sed -n "s/^\$wp_version = '\([^']*\)';.*/\1/p" "$tree.tmp/wp-includes/version.php")"
	[[ -n "$wp_version" ]] || die "could not read \$wp_version from $tree.tmp/wp-includes/version.php"
	deb_version="$(dpkg-deb -f "$debs"/wordpress_*.deb Version)"
	if [[ "$wp_version" != "$version".* && "$wp_version" != "$version" ]]; then
		# sid moves on; the folder name then no longer matches.  Keep going but say so.
		warn "the tree named $version holds WordPress $wp_version (Debian $deb_version)"
	fi
	printf '%s\n' "$wp_version" >"$tree.tmp/VVC_WP_VERSION"
	printf '%s\n' "$deb_version" >"$tree.tmp/VVC_DEBIAN_VERSION"
	mv "$tree.tmp" "$tree"
	rm -rf "$x"
	log "WordPress $version: WordPress $wp_version (Debian package $deb_version) in $tree"
}

mkdir -p "$STACK/tmp"
for v in "${VVC_WP_VERSIONS[@]}"; do
	extract_tree "$v"
done

log "setup done. Start the stack with: tests/stack/up.sh   (WP_VERSION=6.8 for the older tree)"
