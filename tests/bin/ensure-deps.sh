#!/usr/bin/env bash
# Installs the project's npm and Composer dependencies when they are missing or stale,
# so `npm start` and `npm test` work from a fresh clone. Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	# `npm install`, not `npm ci`: the registry copy lacks the other platforms' optional
	# binaries (e.g. @unrs/resolver-binding-darwin-*), so they can't be in the lock file,
	# and `npm ci` refuses such a lock as "out of sync". `npm install` still installs
	# exactly the locked versions and leaves package-lock.json unchanged.
	echo "Installing npm packages (npm install from the lock file)…"
	npm install --no-audit --no-fund
fi

if [ ! -f vendor/autoload.php ] || [ composer.json -nt vendor/autoload.php ]; then
	echo "Installing Composer dev tools…"
	composer install --no-interaction --no-progress
	touch vendor/autoload.php
fi
