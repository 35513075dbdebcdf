#!/usr/bin/env bash
# `npm start`: install what is missing, build the plugin, bring up the real WordPress stack
# (with the OpenAI simulator unless OPENAI_API_KEY is set) and print where to find it.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash tests/bin/ensure-deps.sh
npm run --silent build
bash tests/stack/setup.sh
bash tests/stack/up.sh
