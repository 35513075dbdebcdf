#!/usr/bin/env bash
# Installs the project's npm and Composer dependencies when they are missing or stale,
# so `npm start` and `npm test` work from a fresh clone. Quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "Installing npm packages (npm ci)…"
	npm ci --no-audit --no-fund
fi

if [ ! -f vendor/autoload.php ] || [ composer.json -nt vendor/autoload.php ]; then
	echo "Installing Composer dev tools…"
	composer install --no-interaction --no-progress
	touch vendor/autoload.php
fi
