#!/bin/sh
# Dependency step: installs the Debian and npm packages kbd needs, if missing.
# Idempotent. As root it installs; otherwise it prints the exact command to run.
#   scripts/deps.sh          build + run dependencies
#   scripts/deps.sh test     also test dependencies (Criterion, Chromium, npm)
#   scripts/deps.sh bench    also benchmark dependencies (wrk, omindex)
#   scripts/deps.sh fuzz     also clang with libFuzzer and the sanitizers
#   scripts/deps.sh security also the injection scanner (sqlmap)
set -eu
cd "$(dirname "$0")/.."

want="build-essential pkg-config libxapian-dev libmicrohttpd-dev libcmark-dev \
libsqlite3-dev libyaml-dev libjansson-dev libsodium-dev"
case "${1:-}" in
test) want="$want libcriterion-dev chromium sqlite3"
	command -v npm >/dev/null 2>&1 || want="$want nodejs npm" ;;
bench) want="$want libcriterion-dev wrk xapian-omega sqlite3 time" ;;
fuzz) want="$want clang libclang-rt-14-dev llvm" ;;
security) want="$want sqlmap curl" ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing Debian packages:$missing" >&2
		echo "deps: run: sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi

if [ "${1:-}" = test ]; then
	if [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/@axe-core/playwright ]; then
		echo "deps: installing npm packages in tests/"
		(cd tests && npm ci --no-audit --no-fund --silent 2>/dev/null || npm install --no-audit --no-fund --silent)
	fi
fi
