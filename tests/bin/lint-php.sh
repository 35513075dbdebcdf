#!/usr/bin/env bash
# PHP syntax check on every PHP file we ship or test with, then PHPCS and PHPStan.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "php -l"
failed=0
while IFS= read -r -d '' file; do
	if ! out=$(php -l "$file" 2>&1); then
		echo "$out"
		failed=1
	fi
done < <(find plugin.php uninstall.php includes src tests/php -name '*.php' -print0)
[ "$failed" = 0 ] || exit 1

echo "PHPCS (WordPress-Extra, Docs, I18n)"
vendor/bin/phpcs -q --report=summary --report-width=120

echo "PHPStan (level in phpstan.neon.dist)"
vendor/bin/phpstan analyse --no-progress --memory-limit=1G
