#!/bin/sh
# Run the libFuzzer harnesses built by `make fuzz-build`, one after another,
# each for SECONDS seconds from its seed corpus tests/fuzz/corpus/NAME (new
# inputs go to build/fuzz/corpus/NAME, so the seeds stay as committed).
# Crash, leak, timeout and out-of-memory inputs are kept as
# build/fuzz/NAME-crash-*, … and the run fails if any harness found one.
#   scripts/fuzz.sh SECONDS NAME...      (make fuzz FUZZ_SECONDS=60)
# FUZZ_FLAGS adds libFuzzer options, e.g. FUZZ_FLAGS=-timeout=1.
set -u
cd "$(dirname "$0")/.."

secs=${1:-30}
shift
out=build/fuzz
failed=""
summary=""

for name in "$@"; do
	bin=$out/fuzz_$name
	seeds=tests/fuzz/corpus/$name
	corpus=$out/corpus/$name
	log=$out/fuzz_$name.log
	mkdir -p "$corpus"
	echo "fuzz: $name for ${secs}s (log $log)"
	# ASan: report leaks; UBSan: print a stack; both: stop at the first error
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	    "$bin" -max_len=65536 -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=4096 -print_final_stats=1 \
	    -artifact_prefix="$out/$name-" ${FUZZ_FLAGS:-} \
	    "$corpus" "$seeds" >"$log" 2>&1
	rc=$?
	# "#123 DONE cov: 1 ft: 2 corp: 3/4b ... exec/s: 5 rss: 6Mb"
	last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	slow=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log")
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		status=ok
	else
		status="FAILED (exit $rc)"
		failed="$failed $name"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 | sed 's/^/  /'
		ls "$out/$name-"* 2>/dev/null | sed 's/^/  input: /'
	fi
	summary="$summary$(printf '%-8s runs=%-9s exec/s=%-6s cov=%-5s ft=%-6s corpus=%-12s slowest=%ss %s' \
	    "$name" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${slow:-?}" "$status")
"
done

echo "fuzz: summary (${secs}s each)"
printf '%s' "$summary" | sed 's/^/  /'
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed; reproduce with build/fuzz/fuzz_NAME INPUT" >&2
	exit 1
fi
