#!/usr/bin/env bash
# `npm run bench`: asset sizes against the issue's budgets and REST latency next to
# WordPress's own floor, on the running stack (started here if needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"

bash tests/bin/ensure-deps.sh
npm run --silent build >/dev/null
bash tests/stack/setup.sh >/dev/null
bash tests/stack/up.sh >/dev/null
site=$(sed -n 's/^VVC_SITE_URL=//p' .stack/env)

echo "== asset sizes (gzip)"
tsx tests/bench/asset-sizes.ts --page "$site/chat-demo/" || true
echo
echo "== REST latency"
tsx tests/bench/rest-latency.ts "$@"
echo
echo "== voice in the browser (fake microphone)"
tsx tests/bench/voice-browser.ts 3
