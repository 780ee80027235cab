#!/usr/bin/env bash
# scripts/bench.sh — one benchmark run of kbd (indexer + HTTP server).
#
# Run from anywhere (it changes to the repo root); `make bench` runs
# `scripts/deps.sh bench && make && scripts/bench.sh`.
#
#   1. corpus size (.md files, bytes)
#   2. indexer/indexer --rebuild on the whole corpus: wall time, peak RSS,
#      index size, articles/s
#   3. Xapian's omindex on the same corpus (Markdown as text/plain), same
#      measures; runs alternate indexer, omindex, indexer, ... and medians
#      are reported, with ratio_indexer_over_omindex (target <= 1.0)
#   4. kbd/kbd on a free 127.0.0.1 port, on the index of step 2
#   5. wrk load on /api/v1/search with the dev queries (English and Arabic):
#      -c64 requests/s, -c8 p50/p99 latency, -c256 errors (target: none)
#      and requests/s (wrk counts no error for a request never answered:
#      a stalled server shows as a low -c256 rate, not as errors)
#   6. build/rel/bin/bench-search (tests/bench/inproc.c): kbd's search code
#      in-process, no HTTP, on the same index and queries, 2 threads, for
#      BENCH_DURATION while kbd is idle: searches/s, p50/p99, and
#      ratio_http_over_inproc = wrk -c64 requests/s / in-process searches/s
#      (target >= 0.8); then again with --answer (search_run() and the
#      API's JSON answer, built and written: all of a request but HTTP):
#      inproc_answer_rps… and ratio_http_over_inproc_answer
#   6b. the same two side by side: BENCH_RATIO_ROUNDS rounds of wrk -c64
#      then bench-search, BENCH_RATIO_SECONDS each, one ratio a round;
#      ratio_http_over_inproc_median is what the target (>= 0.8) is judged on
#   7. the same wrk runs for /api/v1/suggest with query prefixes, if it exists
#   7c. search -c8 latency without and then with BENCH_SSE_STREAMS (500) idle
#      live-update streams open (tests/bench/streams.mjs), side by side
#   8. the metrics dashboard: build/rel/bin/kbd-demo (tests/bench/demo.c)
#      generates a year of help-desk history (BENCH_DASHBOARD_TICKETS
#      tickets) into the temp dir, a second kbd serves it (the first one is
#      stopped), and BENCH_DASHBOARD_REQUESTS sequential GETs each of
#      /api/v1/metrics and /dashboard for the last 365 days are timed after
#      one warm-up request: median and p95 (target: median < 200 ms), with
#      curl -w %{time_total} (or bash /dev/tcp, which adds a fork, if no curl)
#   9. stop kbd, print a summary
#
# Figures are printed on stdout as name=value lines, then a readable summary;
# progress goes to stderr. Everything temporary lives in one mktemp -d
# directory, removed at exit (also on Ctrl-C, which also stops kbd).
#
# Environment:
#   CORPUS              corpus dir, relative to the repo root (../shared/corpus)
#   BENCH_REPEAT        indexer/omindex repetitions, median reported (3)
#   BENCH_DURATION      wrk duration of the -c64 and -c8 runs (10s)
#   BENCH_ERR_DURATION  wrk duration of the -c256 run (5s)
#   BENCH_THREADS       wrk threads (2)
#   BENCH_INPROC_THREADS bench-search threads (2)
#   BENCH_RATIO_ROUNDS  alternating HTTP / in-process rounds in 6b. (5)
#   BENCH_RATIO_SECONDS seconds of each run in a round (4)
#   BENCH_WRK_TIMEOUT   wrk per-request timeout; slower counts as error (2s)
#   BENCH_INDEX_TIMEOUT seconds allowed for one indexer/omindex run (1200)
#   BENCH_DASHBOARD_TICKETS tickets in the generated history (50000; 0 skips 8.)
#   BENCH_DASHBOARD_REQUESTS timed requests per dashboard endpoint (21)
#   BENCH_SSE_STREAMS   idle event streams held open in 7c. (500; 0 skips)
#   BENCH_OUT           if set, the name=value lines are also written there
#   BENCH_STRICT=1      exit 1 when a target is missed (ratio > 1, errors)
#   BENCH_KEEP=1        keep the temp dir (its path is printed)
#
# Exit: 0 = run complete, 1 = a step failed (or a target missed with
# BENCH_STRICT=1), 2 = missing tool/binary or bad setting, 130 = interrupted.

set -u -o pipefail

case "${BENCH_OUT:-}" in ""|/*) ;; *) BENCH_OUT=$PWD/$BENCH_OUT ;; esac
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)

case "${1:-}" in
-h|--help)
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
	exit 0 ;;
"") ;;
*)	echo "bench: unexpected argument '$1' (settings are environment variables, see --help)" >&2
	exit 2 ;;
esac

CORPUS=${CORPUS:-../shared/corpus}
REPEAT=${BENCH_REPEAT:-3}
DURATION=${BENCH_DURATION:-10s}
ERR_DURATION=${BENCH_ERR_DURATION:-5s}
THREADS=${BENCH_THREADS:-2}
WRK_TIMEOUT=${BENCH_WRK_TIMEOUT:-2s}
INDEX_TIMEOUT=${BENCH_INDEX_TIMEOUT:-1200}
INDEXER=${BENCH_INDEXER:-$ROOT/indexer/indexer}
KBD=${BENCH_KBD:-$ROOT/kbd/kbd}
BENCH_SEARCH=${BENCH_SEARCH:-$ROOT/build/rel/bin/bench-search}
KBD_DEMO=${BENCH_DEMO:-$ROOT/build/rel/bin/kbd-demo}
DASH_TICKETS=${BENCH_DASHBOARD_TICKETS:-50000}
DASH_REQUESTS=${BENCH_DASHBOARD_REQUESTS:-21}
INPROC_THREADS=${BENCH_INPROC_THREADS:-2}
RATIO_ROUNDS=${BENCH_RATIO_ROUNDS:-5}
RATIO_SECS=${BENCH_RATIO_SECONDS:-4}
LUA=$ROOT/tests/bench/search.lua
HOST=127.0.0.1

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$1" >&2; exit "${2:-1}"; }

# ---- results: name=value on stdout (and BENCH_OUT) -------------------------
declare -A R=()
emit() {
	R[$1]=$2
	printf '%s=%s\n' "$1" "$2"
	if [ -n "${BENCH_OUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$BENCH_OUT"; fi
}

# ---- settings ---------------------------------------------------------------
# wrk duration -> seconds (accepts 10, 10s, 2m)
dur_secs() {
	case "$1" in
	*[!0-9smh]*|'') return 1 ;;
	*s) echo "${1%s}" ;;
	*m) echo $(( ${1%m} * 60 )) ;;
	*h) echo $(( ${1%h} * 3600 )) ;;
	*) echo "$1" ;;
	esac
}
case "$DURATION" in *[0-9]) DURATION=${DURATION}s ;; esac
case "$ERR_DURATION" in *[0-9]) ERR_DURATION=${ERR_DURATION}s ;; esac
DUR_S=$(dur_secs "$DURATION") && [ -n "$DUR_S" ] || die "BENCH_DURATION='$DURATION' is not like 10s" 2
ERR_DUR_S=$(dur_secs "$ERR_DURATION") && [ -n "$ERR_DUR_S" ] || die "BENCH_ERR_DURATION='$ERR_DURATION' is not like 5s" 2
case "$REPEAT" in ''|*[!0-9]*|0) die "BENCH_REPEAT='$REPEAT' must be a positive integer" 2 ;; esac
case "$THREADS" in ''|*[!0-9]*|0) die "BENCH_THREADS='$THREADS' must be a positive integer" 2 ;; esac
case "$INPROC_THREADS" in ''|*[!0-9]*|0) die "BENCH_INPROC_THREADS='$INPROC_THREADS' must be a positive integer" 2 ;; esac
case "$RATIO_ROUNDS" in ''|*[!0-9]*|0) die "BENCH_RATIO_ROUNDS='$RATIO_ROUNDS' must be a positive integer" 2 ;; esac
case "$RATIO_SECS" in ''|*[!0-9]*|0) die "BENCH_RATIO_SECONDS='$RATIO_SECS' must be a positive integer" 2 ;; esac
case "$INDEX_TIMEOUT" in ''|*[!0-9]*|0) die "BENCH_INDEX_TIMEOUT='$INDEX_TIMEOUT' must be seconds" 2 ;; esac
case "$DASH_TICKETS" in ''|*[!0-9]*) die "BENCH_DASHBOARD_TICKETS='$DASH_TICKETS' must be a number (0 skips)" 2 ;; esac
case "$DASH_REQUESTS" in ''|*[!0-9]*|0) die "BENCH_DASHBOARD_REQUESTS='$DASH_REQUESTS' must be a positive integer" 2 ;; esac

# ---- tools ------------------------------------------------------------------
missing=""
for t in wrk omindex timeout du find awk sort; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -f '%e %M' -o /dev/null /bin/sh -c : 2>/dev/null; then
	missing="$missing /usr/bin/time(GNU)"
fi
if [ -n "$missing" ]; then
	die "missing tool(s):$missing — run: scripts/deps.sh bench (Debian packages wrk xapian-omega time)" 2
fi
# python3 is preferred for URL-encoding and port picking; perl (always on
# Debian) and a port scan are the fallbacks.
PY=""
if command -v python3 >/dev/null 2>&1 && python3 -c 'import urllib.parse, socket' 2>/dev/null; then
	PY=python3
elif ! command -v perl >/dev/null 2>&1; then
	die "need python3 or perl to URL-encode the queries" 2
fi
[ -f "$LUA" ] || die "missing $LUA" 2
[ -x "$INDEXER" ] || die "indexer/indexer not built — run: make (or make bench)" 2
[ -x "$KBD" ] || die "kbd/kbd not built — run: make (or make bench)" 2
[ -x "$BENCH_SEARCH" ] || die "$BENCH_SEARCH not built — run: make build/rel/bin/bench-search (or make bench)" 2
if [ "$DASH_TICKETS" -gt 0 ] && [ ! -x "$KBD_DEMO" ]; then
	die "$KBD_DEMO not built — run: make build/rel/bin/kbd-demo (or make bench), or set BENCH_DASHBOARD_TICKETS=0" 2
fi

# ---- corpus -----------------------------------------------------------------
[ -d "$CORPUS" ] || die "corpus '$CORPUS' not found (set CORPUS; relative to $ROOT)" 2
CORPUS=$(cd "$CORPUS" && pwd) || die "cannot enter corpus '$CORPUS'" 2
Q1=$CORPUS/queries-dev.tsv
Q2=$CORPUS/queries-dev-natural.tsv
[ -f "$Q1" ] || [ -f "$Q2" ] || die "no queries-dev.tsv / queries-dev-natural.tsv in $CORPUS" 2

if [ -n "${BENCH_OUT:-}" ]; then : >"$BENCH_OUT" || die "cannot write BENCH_OUT=$BENCH_OUT" 2; fi

# ---- temp dir, kbd, cleanup -------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kbd-bench.XXXXXX") || die "mktemp failed" 2
KBD_PID=""

stop_kbd() {
	[ -n "$KBD_PID" ] || return 0
	if kill -0 "$KBD_PID" 2>/dev/null; then
		kill -TERM "$KBD_PID" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$KBD_PID" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$KBD_PID" 2>/dev/null; then
			say "kbd (pid $KBD_PID) did not stop on TERM; killing"
			kill -KILL "$KBD_PID" 2>/dev/null
		fi
	fi
	wait "$KBD_PID" 2>/dev/null
	KBD_PID=""
}
cleanup() {
	stop_kbd
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		say "temp dir kept: $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM HUP

# ---- helpers ----------------------------------------------------------------
# median of numbers given as arguments
median() {
	printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1}
		END { if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'
}
# pctl P numbers... : the P-th percentile (nearest rank) of the numbers
pctl() {
	local p=$1; shift
	printf '%s\n' "$@" | sort -g | awk -v p="$p" '{a[NR]=$1}
		END { k = int((p * NR + 99) / 100); if (k < 1) k = 1; print a[k] }'
}
# awk arithmetic: calc 'expr' (uses a, b)
calc() { awk -v a="$2" -v b="${3:-0}" "BEGIN { $1 }"; }
join_comma() { local IFS=,; echo "$*"; }

# run_timed NAME CMD... : wall time + peak RSS into $TMP/NAME.time ("%e %M"),
# stdout/stderr into $TMP/NAME.out / .err; bounded by BENCH_INDEX_TIMEOUT.
run_timed() {
	local name=$1; shift
	/usr/bin/time -f '%e %M' -o "$TMP/$name.time" \
		timeout --foreground -k 10 "$INDEX_TIMEOUT" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
}

# http_status PATH [BODYFILE]: HTTP status of GET PATH on kbd ("000" if none),
# with plain bash /dev/tcp so curl is not needed; bounded to 10 s.
http_raw() { # HOST PORT PATH BODYFILE
	local line h code
	exec 3<>"/dev/tcp/$1/$2" || return 1
	printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' \
	    "$3" "$1" "$2" "${BENCH_TOKEN:-none}" >&3
	IFS= read -r -t 8 line <&3 || return 1
	code=${line#* }; code=${code%% *}
	echo "$code"
	while IFS= read -r -t 8 h <&3; do
		h=${h%$'\r'}
		[ -z "$h" ] && break
	done
	cat <&3 >"$4"
	exec 3<&-
}
export -f http_raw
http_status() {
	local out
	out=$(timeout -k 2 10 bash -c 'http_raw "$@"' _ "$HOST" "$PORT" "$1" "${2:-/dev/null}" 2>/dev/null | head -n 1)
	case "$out" in [0-9][0-9][0-9]) echo "$out" ;; *) echo 000 ;; esac
}

# start_kbd INDEX ARTICLES DATA : kbd on a free port ($PORT, $KBD_PID), with a
# user and an API token for the load ($BENCH_TOKEN); waits for /healthz.
start_kbd() {
	local rc
	PORT=$(pick_port) || die "no free port found on $HOST" 1
	mkdir -p "$3"
	quiet=()
	if timeout 10 "$KBD" --help 2>&1 | grep -q -- '--quiet'; then quiet=(--quiet); fi
	# kbd serves signed-in users only: a user and an API token for the load
	if timeout 10 "$KBD" --help 2>&1 | grep -q 'token add'; then
		printf 'bench-password-123\n' | "$KBD" --data "$3" user add bench l2 >/dev/null ||
		    die "cannot create the bench user" 1
		BENCH_TOKEN=$("$KBD" --data "$3" token add bench | tail -n 1)
		export BENCH_TOKEN
	fi
	say "starting kbd on $HOST:$PORT ${quiet[*]} (data $3)"
	"$KBD" --listen "$HOST:$PORT" --index "$1" --articles "$2" \
		--data "$3" --watch 0 "${quiet[@]}" >"$TMP/kbd.out" 2>"$TMP/kbd.log" &
	KBD_PID=$!
	for _ in $(seq 1 60); do
		if ! kill -0 "$KBD_PID" 2>/dev/null; then
			wait "$KBD_PID"; rc=$?; KBD_PID=""
			say "kbd exited (status $rc) before becoming ready; log:"
			tail -n 20 "$TMP/kbd.log" | sed 's/^/  | /' >&2
			die "kbd did not start" 1
		fi
		if [ "$(http_status /healthz)" = 200 ]; then
			say "kbd ready (pid $KBD_PID)"
			return 0
		fi
		sleep 0.5
	done
	tail -n 20 "$TMP/kbd.log" | sed 's/^/  | /' >&2
	die "kbd not ready on /healthz after 30 s" 1
}

# timed_get PATH BODYFILE : "STATUS MILLISECONDS" of one GET on kbd
timed_get() {
	local out t0 t1
	if command -v curl >/dev/null 2>&1; then
		out=$(curl -s -o "$2" --max-time 60 -H "Authorization: Bearer ${BENCH_TOKEN:-none}" \
			-w '%{http_code} %{time_total}' "http://$HOST:$PORT$1" 2>/dev/null) || out="000 0"
		awk -v c="${out% *}" -v t="${out#* }" 'BEGIN { printf "%s %.1f\n", c, t * 1000 }'
	else
		t0=$EPOCHREALTIME
		out=$(http_status "$1" "$2")
		t1=$EPOCHREALTIME
		awk -v c="$out" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s %.1f\n", c, (b - a) * 1000 }'
	fi
}

# pick a free port on 127.0.0.1
pick_port() {
	if [ -n "$PY" ]; then
		python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return
	fi
	local p
	for p in $(seq 18080 18180); do
		if ! timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$p" 2>/dev/null; then
			echo "$p"; return
		fi
	done
	return 1
}

# url_paths PREFIX MODE < queries : one "PREFIX<encoded>" per line.
# MODE=full: the query; MODE=prefixes: its first 3..10 characters.
url_paths() {
	if [ -n "$PY" ]; then
		python3 -c '
import sys, urllib.parse
prefix, mode = sys.argv[1], sys.argv[2]
seen = set()
for q in sys.stdin.read().splitlines():
    q = q.strip()
    if not q:
        continue
    qs = [q] if mode == "full" else [q[:n].rstrip() for n in range(3, min(len(q), 10) + 1)]
    for x in qs:
        if len(x) < (1 if mode == "full" else 3) or (mode != "full" and x in seen):
            continue
        seen.add(x)
        print(prefix + urllib.parse.quote(x, safe=""))
' "$1" "$2"
	else
		perl -CSD -e '
			my ($p, $m) = @ARGV; my %seen;
			while (my $q = <STDIN>) {
				chomp $q; $q =~ s/^\s+|\s+$//g; next if $q eq "";
				my @qs;
				if ($m eq "full") { @qs = ($q); }
				else {
					my $max = length($q) < 10 ? length($q) : 10;
					for my $n (3 .. $max) { my $x = substr($q, 0, $n); $x =~ s/\s+$//; push @qs, $x; }
				}
				for my $x (@qs) {
					next if length($x) < ($m eq "full" ? 1 : 3) || ($m ne "full" && $seen{$x}++);
					utf8::encode($x);
					$x =~ s/([^A-Za-z0-9_.~-])/sprintf("%%%02X", ord($1))/ge;
					print "$p$x\n";
				}
			}' "$1" "$2"
	fi
}

# wrk_run LABEL CONNS DURATION PATHSFILE [--latency]
# Runs wrk with search.lua; keeps the "bench:" key=value lines in
# $TMP/wrk.LABEL.kv. Returns non-zero if wrk failed.
wrk_run() {
	local label=$1 conns=$2 dur=$3 paths=$4; shift 4
	local secs; secs=$(dur_secs "$dur")
	say "wrk $label: -t$THREADS -c$conns -d$dur $*"
	timeout --foreground -k 5 $((secs + 60)) \
		wrk -t"$THREADS" -c"$conns" -d"$dur" --timeout "$WRK_TIMEOUT" "$@" \
		-s "$LUA" "http://$HOST:$PORT" -- "$paths" \
		>"$TMP/wrk.$label.txt" 2>&1
	local rc=$?
	sed -n 's/^bench://p' "$TMP/wrk.$label.txt" >"$TMP/wrk.$label.kv"
	if [ $rc -ne 0 ] || ! [ -s "$TMP/wrk.$label.kv" ]; then
		say "wrk $label failed (exit $rc):"
		sed 's/^/  | /' "$TMP/wrk.$label.txt" | tail -n 15 >&2
		return 1
	fi
	if ! kill -0 "$KBD_PID" 2>/dev/null; then
		say "kbd died during wrk $label; last log lines:"
		tail -n 15 "$TMP/kbd.log" | sed 's/^/  | /' >&2
		return 1
	fi
}
kv() { sed -n "s/^$2=//p" "$TMP/wrk.$1.kv" | tail -n 1; }

# load_endpoint NAME PATHSFILE : the three wrk runs for one endpoint
FAILED=0
load_endpoint() {
	local n=$1 paths=$2
	if wrk_run "${n}_c64" 64 "$DURATION" "$paths"; then
		emit "${n}_rps" "$(kv "${n}_c64" rps)"
		emit "${n}_c64_non2xx" "$(kv "${n}_c64" non2xx)"
		emit "${n}_c64_socket_errors" "$(kv "${n}_c64" socket_errors)"
	else FAILED=1; return 1; fi
	if wrk_run "${n}_c8" 8 "$DURATION" "$paths" --latency; then
		emit "${n}_p50_ms" "$(kv "${n}_c8" p50_ms)"
		emit "${n}_p99_ms" "$(kv "${n}_c8" p99_ms)"
		emit "${n}_c8_rps" "$(kv "${n}_c8" rps)"
	else FAILED=1; return 1; fi
	if wrk_run "${n}_c256" 256 "$ERR_DURATION" "$paths"; then
		local nx se
		nx=$(kv "${n}_c256" non2xx); se=$(kv "${n}_c256" socket_errors)
		emit "${n}_errors" $((nx + se))
		emit "${n}_c256_non2xx" "$nx"
		emit "${n}_c256_non2xx_codes" "$(kv "${n}_c256" non2xx_codes)"
		emit "${n}_c256_socket_errors" "$se"
		emit "${n}_c256_timeouts" "$(kv "${n}_c256" err_timeout)"
		emit "${n}_c256_p99_ms" "$(kv "${n}_c256" p99_ms)"
		emit "${n}_c256_rps" "$(kv "${n}_c256" rps)"
	else FAILED=1; return 1; fi
}

say "repo $ROOT, corpus $CORPUS, temp $TMP"
say "repeat=$REPEAT duration=$DURATION err_duration=$ERR_DURATION threads=$THREADS"

# ---- 1. corpus --------------------------------------------------------------
md_files=$(find "$CORPUS" -type f -name '*.md' | wc -l)
md_bytes=$(find "$CORPUS" -type f -name '*.md' -printf '%s\n' | awk '{s+=$1} END {printf "%d\n", s}')
articles=$(find "$CORPUS" -type f -name '*.md' -not -path '*/includes/*' | wc -l)
[ "$md_files" -gt 0 ] || die "no .md files under $CORPUS" 2
emit corpus_md_files "$md_files"
emit corpus_md_bytes "$md_bytes"
emit corpus_md_mib "$(calc 'printf "%.1f", a/1048576' "$md_bytes")"
emit corpus_articles "$articles"

# Read the corpus once so the first timed run does not pay for a cold page
# cache that the later ones get for free.
say "warming the page cache with the corpus"
find "$CORPUS" -type f -name '*.md' -print0 | timeout 300 xargs -0 cat >/dev/null

# ---- 2+3. indexer vs omindex, alternating ----------------------------------
ix_wall=(); ix_rss=(); ix_size=(); om_wall=(); om_rss=(); om_size=()
ix_rc=0; ix_failed=0; ix_indexed=""; ix_summary=""
for i in $(seq 1 "$REPEAT"); do
	# indexer, fresh directory each time (the last one is served by kbd)
	rm -rf "$TMP/index"
	say "indexer run $i/$REPEAT"
	run_timed "indexer.$i" "$INDEXER" --rebuild "$CORPUS" "$TMP/index"
	ix_rc=$?
	if [ $ix_rc -ge 2 ]; then
		if [ $ix_rc -eq 124 ] || [ $ix_rc -eq 137 ]; then
			say "indexer timed out after ${INDEX_TIMEOUT}s"
		fi
		say "indexer failed (exit $ix_rc); last stderr lines:"
		tail -n 20 "$TMP/indexer.$i.err" | sed 's/^/  | /' >&2
		die "indexing failed" 1
	fi
	read -r w m < <(tail -n 1 "$TMP/indexer.$i.time")
	[[ ${w:-} =~ ^[0-9.]+$ && ${m:-} =~ ^[0-9]+$ ]] || die "no timing for indexer run $i: $(cat "$TMP/indexer.$i.time")" 1
	ix_wall+=("$w"); ix_rss+=("$m")
	ix_size+=("$(du -sb "$TMP/index" | awk '{print $1}')")
	# summary line, e.g. "indexer: indexed=11194 unchanged=0 removed=0 failed=11 ..."
	ix_summary=$(tr '\r' '\n' <"$TMP/indexer.$i.err" | grep -E '(^|[^a-z_])indexed=[0-9]+' | tail -n 1)
	ix_indexed=$(printf '%s\n' "$ix_summary" | grep -oE '(^|[^a-z_])indexed=[0-9]+' | sed 's/.*=//')
	ix_failed=$(printf '%s\n' "$ix_summary" | grep -oE '(^|[^a-z_])failed=[0-9]+' | sed 's/.*=//')
	# without a summary: count the distinct files with path:line: messages
	[ -n "$ix_failed" ] || ix_failed=$(grep -oE '^[^ :]+:[0-9]+: ' "$TMP/indexer.$i.err" | cut -d: -f1 | sort -u | wc -l)
	say "  wall ${w}s, peak RSS $((m / 1024)) MiB, exit $ix_rc, summary: ${ix_summary:-$(tail -n 1 "$TMP/indexer.$i.err")}"

	# omindex, fresh database each time
	rm -rf "$TMP/omega"
	say "omindex run $i/$REPEAT"
	run_timed "omindex.$i" omindex --db "$TMP/omega" --url / --overwrite -p \
		--mime-type=md:text/plain --mime-type=tsv:skip \
		--mime-type-match='LICENSE*:skip' "$CORPUS"
	om_rc=$?
	if [ $om_rc -ne 0 ]; then
		say "omindex failed (exit $om_rc); last stderr lines:"
		tail -n 20 "$TMP/omindex.$i.err" | sed 's/^/  | /' >&2
		die "omindex failed" 1
	fi
	read -r w m < <(tail -n 1 "$TMP/omindex.$i.time")
	[[ ${w:-} =~ ^[0-9.]+$ && ${m:-} =~ ^[0-9]+$ ]] || die "no timing for omindex run $i: $(cat "$TMP/omindex.$i.time")" 1
	om_wall+=("$w"); om_rss+=("$m")
	om_size+=("$(du -sb "$TMP/omega" | awk '{print $1}')")
	say "  wall ${w}s, peak RSS $((m / 1024)) MiB"
done
rm -rf "$TMP/omega"

[ -n "$ix_indexed" ] || ix_indexed=$articles
IXW=$(median "${ix_wall[@]}"); OMW=$(median "${om_wall[@]}")
emit indexer_runs "$REPEAT"
emit indexer_exit "$ix_rc"
emit indexer_failed_files "$ix_failed"
emit indexer_summary "$ix_summary"
emit indexer_articles "$ix_indexed"
emit indexer_wall_s "$IXW"
emit indexer_wall_s_runs "$(join_comma "${ix_wall[@]}")"
emit indexer_articles_per_s "$(calc 'printf "%.1f", a / (b > 0.01 ? b : 0.01)' "$ix_indexed" "$IXW")"
emit indexer_peak_rss_mib "$(calc 'printf "%.1f", a/1024' "$(median "${ix_rss[@]}")")"
emit indexer_index_mib "$(calc 'printf "%.1f", a/1048576' "$(median "${ix_size[@]}")")"
emit omindex_wall_s "$OMW"
emit omindex_wall_s_runs "$(join_comma "${om_wall[@]}")"
emit omindex_files_per_s "$(calc 'printf "%.1f", a / (b > 0.01 ? b : 0.01)' "$md_files" "$OMW")"
emit omindex_peak_rss_mib "$(calc 'printf "%.1f", a/1024' "$(median "${om_rss[@]}")")"
emit omindex_index_mib "$(calc 'printf "%.1f", a/1048576' "$(median "${om_size[@]}")")"
emit ratio_indexer_over_omindex "$(calc 'printf "%.3f", a / (b > 0.01 ? b : 0.01)' "$IXW" "$OMW")"

# ---- 4. kbd -----------------------------------------------------------------
start_kbd "$TMP/index" "$CORPUS" "$TMP/data"

# ---- 5. search load ---------------------------------------------------------
for f in "$Q1" "$Q2"; do [ -f "$f" ] && tail -n +2 "$f" | cut -f1; done >"$TMP/queries.txt"
url_paths "/api/v1/search?q=" full <"$TMP/queries.txt" >"$TMP/search.paths"
nq=$(wc -l <"$TMP/search.paths")
[ "$nq" -gt 0 ] || die "no queries read from $Q1 / $Q2" 1
emit search_queries "$nq"
first=$(head -n 1 "$TMP/search.paths")
st=$(http_status "$first" "$TMP/search.sample")
if [ "$st" != 200 ]; then
	say "warning: GET $first answered HTTP $st (load runs will count it as errors)"
else
	say "sample search answer: $(head -c 160 "$TMP/search.sample" | tr '\n' ' ')"
fi
load_endpoint search "$TMP/search.paths"

# ---- 6. in-process search, kbd idle -----------------------------------------
# The same queries as the wrk runs, as plain text (trimmed, no empty lines).
awk '{ sub(/^[ \t\r]+/, ""); sub(/[ \t\r]+$/, ""); if ($0 != "") print }' \
	"$TMP/queries.txt" >"$TMP/search.queries"
# inproc NAME [--answer]: one bench-search run; emits NAME_rps, NAME_p50_ms…
# and ratio_http_over_NAME (wrk -c64 requests/s over NAME_rps)
inproc() {
	local name=$1 rc k; shift
	say "in-process $name: bench-search --threads $INPROC_THREADS --seconds $DUR_S $* ($(wc -l <"$TMP/search.queries") queries)"
	timeout --foreground -k 5 $((DUR_S + 120)) "$BENCH_SEARCH" --index "$TMP/index" \
		--threads "$INPROC_THREADS" --seconds "$DUR_S" "$@" "$TMP/search.queries" \
		>"$TMP/$name.out" 2>"$TMP/$name.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		say "bench-search $* exited with status $rc:"
		tail -n 15 "$TMP/$name.err" | sed 's/^/  | /' >&2
		FAILED=1
	fi
	inproc_kv() { tr ' ' '\n' <"$TMP/$name.out" | sed -n "s/^inproc_$1=//p" | tail -n 1; }
	if [ -n "$(inproc_kv rps)" ]; then
		for k in threads queries rps p50_ms p99_ms failures; do emit "${name}_$k" "$(inproc_kv "$k")"; done
		if [ -n "${R[search_rps]:-}" ]; then
			emit "ratio_http_over_$name" "$(calc 'printf "%.3f", (b > 0) ? a / b : 0' "${R[search_rps]}" "${R[${name}_rps]}")"
		fi
	elif [ $rc -eq 0 ]; then
		say "bench-search $* printed no figures"; FAILED=1
	fi
}
# search_run() alone (the target's measure), then with the API's JSON
# answer built and written (all of a request but HTTP)
inproc inproc
inproc inproc_answer --answer

# ---- 6b. HTTP and in-process side by side, alternating ----------------------
# This host's speed drifts within minutes (it is shared): on the same code,
# single runs of 6. gave ratios from 0.68 to 0.90. So both are also run in
# short rounds, wrk -c64 then bench-search, one ratio a round; the target is
# judged on their median.
ratios=(); r_http=(); r_inproc=()
for i in $(seq 1 "$RATIO_ROUNDS"); do
	wrk_run "ratio_c64.$i" 64 "${RATIO_SECS}s" "$TMP/search.paths" || { FAILED=1; break; }
	h=$(kv "ratio_c64.$i" rps)
	say "in-process round $i/$RATIO_ROUNDS: bench-search --threads $INPROC_THREADS --seconds $RATIO_SECS"
	timeout --foreground -k 5 $((RATIO_SECS + 120)) "$BENCH_SEARCH" --index "$TMP/index" \
		--threads "$INPROC_THREADS" --seconds "$RATIO_SECS" "$TMP/search.queries" \
		>"$TMP/ratio_inproc.$i.out" 2>"$TMP/ratio_inproc.$i.err" || { FAILED=1; break; }
	ip=$(tr ' ' '\n' <"$TMP/ratio_inproc.$i.out" | sed -n 's/^inproc_rps=//p' | tail -n 1)
	[ -n "$h" ] && [ -n "$ip" ] || { say "round $i printed no figures"; FAILED=1; break; }
	r_http+=("$h"); r_inproc+=("$ip")
	ratios+=("$(calc 'printf "%.3f", (b > 0) ? a / b : 0' "$h" "$ip")")
	say "  round $i: HTTP $h req/s, in-process $ip searches/s, ratio ${ratios[-1]}"
done
if [ ${#ratios[@]} -eq "$RATIO_ROUNDS" ]; then
	emit ratio_rounds_http_rps "$(join_comma "${r_http[@]}")"
	emit ratio_rounds_inproc_rps "$(join_comma "${r_inproc[@]}")"
	emit ratio_rounds "$(join_comma "${ratios[@]}")"
	emit ratio_http_over_inproc_median "$(median "${ratios[@]}")"
fi

# ---- 7. suggest load --------------------------------------------------------
url_paths "/api/v1/suggest?q=" prefixes <"$TMP/queries.txt" >"$TMP/suggest.paths"
st=$(http_status "$(head -n 1 "$TMP/suggest.paths")")
if [ "$st" = 404 ]; then
	emit suggest "not available"
elif [ "$st" = 000 ]; then
	say "suggest check got no answer"; emit suggest "no answer"; FAILED=1
else
	[ "$st" = 200 ] || say "warning: suggest answered HTTP $st"
	emit suggest available
	emit suggest_prefixes "$(wc -l <"$TMP/suggest.paths")"
	load_endpoint suggest "$TMP/suggest.paths"
fi

# ---- 7b. ticket writes: 16 concurrent clients -------------------------------
if [ -n "${BENCH_TOKEN:-}" ]; then
	# ticket T-000001 for the comments (bash /dev/tcp: no curl needed)
	body='{"title":"Benchmark ticket","requester":{"name":"Bench"},"impact":"low","urgency":"low"}'
	exec 3<>"/dev/tcp/$HOST/$PORT" && {
		printf 'POST /api/v1/tickets HTTP/1.0\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
		    "$HOST" "$BENCH_TOKEN" "${#body}" "$body" >&3
		IFS= read -r -t 10 line <&3 || true
		exec 3<&-
	}
	say "ticket writes: wrk -t$THREADS -c16 -d$DURATION (half creates, half comments)"
	if timeout -k 5 $((DUR_S + 30)) wrk -t"$THREADS" -c16 -d"$DURATION" \
	    -s "$ROOT/tests/bench/tickets.lua" "http://$HOST:$PORT" >"$TMP/wrk.tickets" 2>&1; then
		emit tickets_rps "$(sed -n 's/^bench:rps=//p' "$TMP/wrk.tickets")"
		emit tickets_p50_ms "$(sed -n 's/^bench:p50_ms=//p' "$TMP/wrk.tickets")"
		emit tickets_p99_ms "$(sed -n 's/^bench:p99_ms=//p' "$TMP/wrk.tickets")"
		emit tickets_errors "$(sed -n 's/^bench:errors=//p' "$TMP/wrk.tickets")"
	else
		say "ticket wrk run failed:"; tail -n 5 "$TMP/wrk.tickets" >&2
	fi
fi

# ---- 7c. search with 500 idle live-update streams open ----------------------
# An idle stream is a suspended connection, not a busy worker: search
# latency should not move. Both runs side by side, same wrk settings.
SSE_STREAMS=${BENCH_SSE_STREAMS:-500}
if [ "$SSE_STREAMS" -gt 0 ] && command -v node >/dev/null && [ -n "${BENCH_TOKEN:-}" ]; then
	if wrk_run search_nostreams 8 "$DURATION" "$TMP/search.paths" --latency; then
		emit search_p99_no_streams_ms "$(kv search_nostreams p99_ms)"
		emit search_p50_no_streams_ms "$(kv search_nostreams p50_ms)"
	fi
	say "opening $SSE_STREAMS idle event streams"
	mkfifo "$TMP/streams.in"
	node "$ROOT/tests/bench/streams.mjs" "http://$HOST:$PORT" "$BENCH_TOKEN" \
	    "$SSE_STREAMS" <"$TMP/streams.in" >"$TMP/streams.out" 2>"$TMP/streams.err" &
	STREAMS_PID=$!
	exec 9>"$TMP/streams.in"	# the holder runs until this closes
	for _ in $(seq 1 120); do
		grep -q '^open' "$TMP/streams.out" 2>/dev/null && break
		sleep 0.5
	done
	emit sse_streams_open "$(sed -n 's/^open //p' "$TMP/streams.out")"
	if wrk_run search_streams 8 "$DURATION" "$TMP/search.paths" --latency; then
		emit search_p99_with_streams_ms "$(kv search_streams p99_ms)"
		emit search_p50_with_streams_ms "$(kv search_streams p50_ms)"
	fi
	exec 9>&-
	wait "$STREAMS_PID" 2>/dev/null || say "stream holder: $(head -c 200 "$TMP/streams.err")"
	if [ -n "${R[search_p99_no_streams_ms]:-}" ] && [ -n "${R[search_p99_with_streams_ms]:-}" ]; then
		emit ratio_p99_streams_over_none "$(calc 'printf "%.2f", b / a' \
		    "${R[search_p99_no_streams_ms]}" "${R[search_p99_with_streams_ms]}")"
	fi
else
	say "skipping the event-stream run (node missing, no token, or BENCH_SSE_STREAMS=0)"
fi

# ---- 8. the dashboard on a generated year of history ------------------------
# dash_endpoint NAME PATH : one warm-up GET, then DASH_REQUESTS timed ones
dash_endpoint() {
	local n=$1 path=$2 i st ms bad=0 times=()
	read -r st ms < <(timed_get "$path" "$TMP/dash.$n.sample")
	say "dashboard $n: warm-up GET $path: HTTP $st in $ms ms"
	for i in $(seq 1 "$DASH_REQUESTS"); do
		read -r st ms < <(timed_get "$path" /dev/null)
		[ "$st" = 200 ] || bad=$((bad + 1))
		times+=("$ms")
	done
	emit "dashboard_${n}_median_ms" "$(median "${times[@]}")"
	emit "dashboard_${n}_p95_ms" "$(pctl 95 "${times[@]}")"
	emit "dashboard_${n}_ms_runs" "$(join_comma "${times[@]}")"
	emit "dashboard_${n}_errors" "$bad"
	[ "$bad" = 0 ] || { say "dashboard $n: $bad of $DASH_REQUESTS requests were not HTTP 200"; FAILED=1; }
}
if [ "$DASH_TICKETS" -gt 0 ]; then
	stop_kbd	# the dashboard's kbd gets the machine to itself
	say "dashboard: kbd-demo generating $DASH_TICKETS tickets of history"
	if run_timed demo "$KBD_DEMO" "$TMP/demo" "$DASH_TICKETS"; then
		read -r w m < <(tail -n 1 "$TMP/demo.time")
		emit dashboard_tickets "$DASH_TICKETS"
		emit dashboard_generate_s "$w"
		emit dashboard_generate_peak_rss_mib "$(calc 'printf "%.1f", a/1024' "$m")"
		emit dashboard_db_mib "$(calc 'printf "%.1f", a/1048576' \
		    "$(du -sb "$TMP/demo/kbd.db" | awk '{print $1}')")"
		grep -v password "$TMP/demo.out" | sed 's/^/  | /' >&2
		# an index of the shipped articles (the history links to them)
		"$INDEXER" "$ROOT/articles" "$TMP/demo-index" >"$TMP/demo-index.out" 2>&1 ||
		    [ $? -eq 1 ] || die "indexing articles/ for the dashboard failed" 1
		start_kbd "$TMP/demo-index" "$ROOT/articles" "$TMP/demo"
		DASH_TO=$(date -u +%F)
		DASH_FROM=$(date -u -d '365 days ago' +%F)
		emit dashboard_range "$DASH_FROM..$DASH_TO"
		if command -v curl >/dev/null 2>&1; then emit dashboard_client curl; else emit dashboard_client bash-dev-tcp; fi
		dash_endpoint api "/api/v1/metrics?from=$DASH_FROM&to=$DASH_TO"
		grep -q '"L1"' "$TMP/dash.api.sample" ||
		    { say "dashboard: /api/v1/metrics answered without an L1 figure"; FAILED=1; }
		dash_endpoint page "/dashboard?from=$DASH_FROM&to=$DASH_TO"
	else
		say "kbd-demo failed; last stderr lines:"
		tail -n 15 "$TMP/demo.err" | sed 's/^/  | /' >&2
		FAILED=1
	fi
fi

# ---- 9. stop kbd, summary ---------------------------------------------------
stop_kbd

g() { echo "${R[$1]:-n/a}"; }
MISSED=0
verdict() { if [ "$1" = 1 ]; then echo met; else echo MISSED; fi; }
ratio_ok=$(calc 'print (a <= 1.0) ? 1 : 0' "$(g ratio_indexer_over_omindex)")
serr_ok=0; [ "${R[search_errors]:-x}" = 0 ] && serr_ok=1
sug_ok=1; [ "${R[suggest]:-}" = available ] && [ "${R[suggest_errors]:-x}" != 0 ] && sug_ok=0
inproc_ok=0; [ -n "${R[ratio_http_over_inproc_median]:-}" ] && inproc_ok=$(calc 'print (a >= 0.8) ? 1 : 0' "${R[ratio_http_over_inproc_median]}")
dash_api_ok=1; dash_page_ok=1	# BENCH_DASHBOARD_TICKETS=0: no target to miss
if [ "$DASH_TICKETS" -gt 0 ]; then
	dash_api_ok=$(calc 'print (a > 0 && a < 200) ? 1 : 0' "${R[dashboard_api_median_ms]:-0}")
	dash_page_ok=$(calc 'print (a > 0 && a < 200) ? 1 : 0' "${R[dashboard_page_median_ms]:-0}")
fi
[ "$ratio_ok" = 1 ] && [ $serr_ok = 1 ] && [ $sug_ok = 1 ] && [ "$inproc_ok" = 1 ] &&
    [ "$dash_api_ok" = 1 ] && [ "$dash_page_ok" = 1 ] || MISSED=1

cat <<EOF

==================== kbd benchmark summary ====================
corpus      $(g corpus_md_files) .md files, $(g corpus_md_mib) MiB, $(g corpus_articles) articles (outside includes/)
            $CORPUS
indexing    median of $REPEAT alternating cold runs each
  indexer   $(g indexer_wall_s) s  ($(g indexer_wall_s_runs))  $(g indexer_articles_per_s) articles/s
            peak $(g indexer_peak_rss_mib) MiB, index $(g indexer_index_mib) MiB, exit $(g indexer_exit), $(g indexer_failed_files) files failed
  omindex   $(g omindex_wall_s) s  ($(g omindex_wall_s_runs))  $(g omindex_files_per_s) files/s
            peak $(g omindex_peak_rss_mib) MiB, index $(g omindex_index_mib) MiB
  ratio     indexer/omindex wall time $(g ratio_indexer_over_omindex)  (target <= 1.0: $(verdict "$ratio_ok"))
search      $(g search_queries) queries (EN+AR), wrk -t$THREADS
  -c64  $DURATION  $(g search_rps) req/s
  -c8   $DURATION  p50 $(g search_p50_ms) ms, p99 $(g search_p99_ms) ms
  -c256 $ERR_DURATION  $(g search_c256_rps) req/s, $(g search_errors) errors ($(g search_c256_non2xx) non-2xx [$(g search_c256_non2xx_codes)], $(g search_c256_socket_errors) socket of which $(g search_c256_timeouts) timeouts > $WRK_TIMEOUT)  (target 0: $(verdict $serr_ok))
  in-process  bench-search, no HTTP, $(g inproc_threads) threads, $DURATION, kbd idle
            $(g inproc_rps) searches/s, p50 $(g inproc_p50_ms) ms, p99 $(g inproc_p99_ms) ms, $(g inproc_failures) failed
  ratio     HTTP -c64 / in-process req/s $(g ratio_http_over_inproc) (the two runs above)
  side by side  $RATIO_ROUNDS alternating rounds of ${RATIO_SECS} s each: HTTP $(g ratio_rounds_http_rps) req/s,
            in-process $(g ratio_rounds_inproc_rps) searches/s
            ratios $(g ratio_rounds), median $(g ratio_http_over_inproc_median)  (target >= 0.8: $(verdict "$inproc_ok"))
  in-process with the JSON answer built too (bench-search --answer)
            $(g inproc_answer_rps) searches/s, p50 $(g inproc_answer_p50_ms) ms, p99 $(g inproc_answer_p99_ms) ms; HTTP -c64 / this $(g ratio_http_over_inproc_answer)
EOF
if [ "${R[suggest]:-}" = available ]; then
cat <<EOF
suggest     $(g suggest_prefixes) prefixes
  -c64  $DURATION  $(g suggest_rps) req/s
  -c8   $DURATION  p50 $(g suggest_p50_ms) ms, p99 $(g suggest_p99_ms) ms
  -c256 $ERR_DURATION  $(g suggest_c256_rps) req/s, $(g suggest_errors) errors ($(g suggest_c256_non2xx) non-2xx [$(g suggest_c256_non2xx_codes)], $(g suggest_c256_socket_errors) socket of which $(g suggest_c256_timeouts) timeouts > $WRK_TIMEOUT)  (target 0: $(verdict $sug_ok))
EOF
else
	echo "suggest     $(g suggest)"
fi
echo "streams     search -c8 p99 $(g search_p99_no_streams_ms) ms without, $(g search_p99_with_streams_ms) ms with $(g sse_streams_open) idle event streams open (ratio $(g ratio_p99_streams_over_none)); p50 $(g search_p50_no_streams_ms) / $(g search_p50_with_streams_ms) ms"
echo "tickets     16 clients, half creates, half comments: $(g tickets_rps) writes/s, p50 $(g tickets_p50_ms) ms, p99 $(g tickets_p99_ms) ms, $(g tickets_errors) errors"
if [ "$DASH_TICKETS" = 0 ]; then
	echo "dashboard   skipped (BENCH_DASHBOARD_TICKETS=0)"
else
cat <<EOF
dashboard   kbd-demo history of $(g dashboard_tickets) tickets: generated in $(g dashboard_generate_s) s (peak $(g dashboard_generate_peak_rss_mib) MiB), kbd.db $(g dashboard_db_mib) MiB
            range $(g dashboard_range), $DASH_REQUESTS sequential requests each after a warm-up ($(g dashboard_client))
  metrics   /api/v1/metrics  median $(g dashboard_api_median_ms) ms, p95 $(g dashboard_api_p95_ms) ms, $(g dashboard_api_errors) errors  (target median < 200 ms: $(verdict "$dash_api_ok"))
  page      /dashboard       median $(g dashboard_page_median_ms) ms, p95 $(g dashboard_page_p95_ms) ms, $(g dashboard_page_errors) errors  (target median < 200 ms: $(verdict "$dash_page_ok"))
EOF
fi
echo "==============================================================="

if [ $FAILED -ne 0 ]; then say "some load runs failed (see above)"; exit 1; fi
if [ "${BENCH_STRICT:-0}" = 1 ] && [ $MISSED -ne 0 ]; then say "target missed (BENCH_STRICT=1)"; exit 1; fi
exit 0
