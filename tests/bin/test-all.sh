#!/usr/bin/env bash
# `npm test`: every check, from a fresh clone, against a real WordPress stack.
# Runs all steps even when one fails, then prints each step's result and wall time;
# exits non-zero if any step failed. Set VVC_STEPS="types vitest" to run only some steps.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"

results=()
failed=0
step_skipped=0 # set by a step's function when this machine cannot run it at all (it says why)
stack_was_up=0

step() {
	local name=$1
	shift
	if [ -n "${VVC_STEPS:-}" ] && [[ " $VVC_STEPS " != *" $name "* ]]; then
		return 0
	fi
	echo
	echo "==== $name: $*"
	local start=$SECONDS
	step_skipped=0
	if ! "$@"; then
		results+=("$(printf '%-12s FAILED %4ss' "$name" $((SECONDS - start)))")
		failed=1
	elif [ "$step_skipped" = 1 ]; then
		results+=("$(printf '%-12s SKIPPED %3ss' "$name" $((SECONDS - start)))")
	else
		results+=("$(printf '%-12s ok     %4ss' "$name" $((SECONDS - start)))")
	fi
}

# Dependencies, build and the stack are prerequisites: without them nothing else can run.
bash tests/bin/ensure-deps.sh || exit 1
export PATH="$PWD/node_modules/.bin:$PATH"
curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8888/ 2>/dev/null && stack_was_up=1
step build npm run --silent build
step stack bash -c 'bash tests/stack/setup.sh && bash tests/stack/up.sh'
if [ "$failed" = 1 ]; then
	printf '%s\n' "${results[@]}"
	exit 1
fi

step types tsc -p .
step lint-js wp-scripts lint-js src tests ./*.config.ts
step lint-style wp-scripts lint-style 'src/**/*.scss'
step lint-php bash tests/bin/lint-php.sh
step vitest vitest run
step phpunit-7.1 env VVC_TEST_WP=7.1 vendor/bin/phpunit
step phpunit-6.8 env VVC_TEST_WP=6.8 vendor/bin/phpunit
# The FAQ cache's tests again with a persistent object cache (a private Redis and a test-only
# drop-in), since transients then live in Redis instead of the options table.
step phpunit-redis env VVC_TEST_WP=7.1 vendor/bin/phpunit --bootstrap tests/php/bootstrap-redis.php \
	tests/php/Cache tests/php/Rest/ChatFaqTest.php tests/php/Rest/AdminFaqControllerTest.php tests/php/Voice/VoiceFaqTest.php \
	tests/php/Rest/ChatVoiceFaqTest.php
step e2e playwright test --project=main --project=cost
step e2e-phone playwright test --project=phone --output test-results/phone

# The visitor's side again in Firefox: sid's current Firefox in its own Debian root, made
# on first use (about a minute), driven over WebDriver BiDi.
e2e_in_firefox() {
	bash tests/stack/firefox.sh >/dev/null
	case $? in
	0) playwright test --project=firefox --output test-results/firefox ;;
	3) step_skipped=1 ;; # no mount namespaces here; firefox.sh said so
	*) return 1 ;;
	esac
}
step e2e-firefox e2e_in_firefox

# The browser specs again on the oldest supported WordPress (the cost project's load tests
# are about the plugin's own tables, not WordPress, and run once). The stack serves one tree
# at a time, so it switches to 6.8 and back to 7.1 whatever the result.
e2e_on_wp68() {
	WP_VERSION=6.8 bash tests/stack/up.sh >/dev/null || return 1
	playwright test --project=main --output test-results/wp-6.8
	local rc=$?
	bash tests/stack/up.sh >/dev/null || rc=1
	return $rc
}
step e2e-6.8 e2e_on_wp68

[ "$stack_was_up" = 1 ] || bash tests/stack/down.sh >/dev/null 2>&1

echo
echo "==== summary (wall time per step)"
printf '%s\n' "${results[@]}"
if [ "$failed" = 1 ]; then
	echo "npm test: FAILED"
	exit 1
fi
echo "npm test: all steps passed"
