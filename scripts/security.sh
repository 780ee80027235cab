#!/bin/sh
# Injection scan (test plan T23): builds kbd, indexes articles/ into a
# temporary directory, starts kbd on 127.0.0.1 and runs sqlmap against every
# parameter of the JSON API, one target at a time, bounded in time. Reports
# per target whether sqlmap found anything injectable; exits 1 if it did,
# 2 if a scan could not run (server down, sqlmap error or time-out).
#   scripts/security.sh              (make security)
# Environment: SQLMAP_TIMEOUT seconds per target (default 900), KEEP=1 keeps
# the temporary directory (sqlmap logs and traffic) for a look afterwards.
# Only 127.0.0.1 is ever scanned. When kbd has accounts (`kbd --help` lists
# `token add`), an admin user and an API token are created in the temporary
# data directory before the server starts, and sqlmap sends the token.
set -euf	# -f: no globbing (the "*" injection marker)
cd "$(dirname "$0")/.."

SQLMAP_TIMEOUT=${SQLMAP_TIMEOUT:-900}
KBD=kbd/kbd
INDEXER=indexer/indexer

command -v sqlmap >/dev/null 2>&1 || {
	echo "security: sqlmap is missing; run scripts/deps.sh security" >&2
	exit 2
}
make --no-print-directory all

tmp=$(mktemp -d /tmp/kbd-security.XXXXXX)
kbd_pid=""
cleanup() {
	if [ -n "$kbd_pid" ]; then
		kill "$kbd_pid" 2>/dev/null || true
		wait "$kbd_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "security: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM

echo "security: indexing articles/ into $tmp/index"
"$INDEXER" --quiet articles "$tmp/index" || [ $? -eq 1 ]
mkdir -p "$tmp/data"

# ---- credentials, if kbd has accounts ----
auth=""
if "$KBD" --help 2>&1 | grep -q 'token add'; then
	pw=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$pw" | "$KBD" --data "$tmp/data" user add sqlmap admin >/dev/null
	token=$("$KBD" --data "$tmp/data" token add sqlmap | tail -n 1)
	[ -n "$token" ] || { echo "security: no API token" >&2; exit 2; }
	auth="Authorization: Bearer $token"
	echo "security: scanning as admin user 'sqlmap' with an API token"
else
	echo "security: kbd has no accounts; scanning without credentials"
fi

# ---- the server, on a free port of 127.0.0.1 ----
"$KBD" --listen 127.0.0.1:0 --index "$tmp/index" --articles articles \
    --data "$tmp/data" --templates templates --quiet 2>"$tmp/kbd.log" &
kbd_pid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
	    "$tmp/kbd.log" | head -n 1)
	[ -n "$port" ] && break
	kill -0 "$kbd_pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$port" ]; then
	echo "security: kbd did not start:" >&2
	cat "$tmp/kbd.log" >&2
	exit 2
fi
base=http://127.0.0.1:$port
echo "security: kbd (pid $kbd_pid) on $base"

# GET with the credentials; prints the status code
get_status() {
	if [ -n "$auth" ]; then
		curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$1"
	else
		curl -s -o /dev/null -w '%{http_code}' "$1"
	fi
}

# name|URL (a '*' marks an injection point in the path)
targets="search|$base/api/v1/search?q=vpn&page=1&per_page=10&lang=en
suggest|$base/api/v1/suggest?q=pass
gaps|$base/api/v1/gaps?days=30
article|$base/api/v1/articles/accounts/password-reset*
revisions|$base/api/v1/articles/accounts/password-reset/revisions
diff|$base/api/v1/articles/accounts/password-reset/diff?a=1&b=1
faq|$base/api/v1/faq?q=vpn
canned|$base/api/v1/canned/1
metrics|$base/api/v1/metrics?from=2026-01-01&to=2026-12-31&tier=L1
metrics_csv|$base/api/v1/metrics/tiers.csv?from=2026-01-01&to=2026-12-31&tier=all
known_errors|$base/api/v1/known-errors?q=vpn+drops
problems|$base/api/v1/problems?status=investigating
incidents|$base/api/v1/incidents?status=active
notifications|$base/api/v1/notifications"

# each target must answer 200 to its plain request, or the scan is void
echo "$targets" | while IFS='|' read -r name url; do
	code=$(get_status "$(printf '%s' "$url" | tr -d '*')")
	if [ "$code" != 200 ]; then
		echo "security: $name: plain request answered $code, not 200" >&2
		exit 2
	fi
done || exit 2

found=0
broken=0
report=""
for line in $targets; do
	name=${line%%|*}
	url=${line#*|}
	out=$tmp/sqlmap-$name
	mkdir -p "$out"
	echo "security: sqlmap $name: $url"
	set -- -u "$url" --batch --level=2 --risk=1 --time-sec=2 --timeout=10 \
	    --retries=1 --threads=2 --flush-session --disable-coloring \
	    --output-dir="$out" -t "$out/traffic.txt"
	[ -n "$auth" ] && set -- "$@" --headers="$auth"
	rc=0
	timeout "$SQLMAP_TIMEOUT" sqlmap "$@" >"$out/log.txt" 2>&1 || rc=$?
	requests=$(grep -c '^HTTP request \[#' "$out/traffic.txt" 2>/dev/null || true)
	errors5xx=$(grep -c '^HTTP response \[#[0-9]*\] (5' "$out/traffic.txt" 2>/dev/null || true)
	params=$(sed -n "s/.*testing if \(.* parameter '[^']*'\) is dynamic.*/\1/p" \
	    "$out/log.txt" | sort -u | tr '\n' ',' | sed 's/,$//; s/,/, /g')
	if grep -q 'identified the following injection point' "$out/log.txt"; then
		result="INJECTABLE"
		found=1
		grep -E "^Parameter: |^    Type: |^    Payload: " "$out/log.txt" | sed 's/^/    /'
	elif [ "$rc" -eq 124 ]; then
		result="TIMED OUT after ${SQLMAP_TIMEOUT}s"
		broken=1
	elif grep -q 'all tested parameters do not appear to be injectable' "$out/log.txt"; then
		result="not injectable"
	else
		result="NO VERDICT (sqlmap exit $rc)"
		broken=1
		grep -E '\[(CRITICAL|ERROR)\]' "$out/log.txt" | head -n 3 | sed 's/^/    /'
	fi
	if ! kill -0 "$kbd_pid" 2>/dev/null; then
		result="$result; KBD DIED"
		broken=1
	fi
	[ "${errors5xx:-0}" -gt 0 ] && result="$result; $errors5xx responses 5xx"
	report="$report$(printf '%-8s %-17s requests=%-6s params: %s' "$name" \
	    "$result" "${requests:-?}" "${params:-?}")
"
done

echo "security: sqlmap summary (--level=2 --risk=1, 127.0.0.1 only)"
printf '%s' "$report" | sed 's/^/  /'
if [ "$found" -ne 0 ]; then
	echo "security: FAILED: sqlmap found an injectable parameter" >&2
	exit 1
fi
if [ "$broken" -ne 0 ]; then
	echo "security: FAILED: a scan gave no verdict (logs: KEEP=1 scripts/security.sh)" >&2
	exit 2
fi
echo "security: no injectable parameter found"
