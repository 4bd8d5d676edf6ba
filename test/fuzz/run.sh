#!/usr/bin/env bash
# Runs each libFuzzer harness for $1 seconds from its seed corpus
# (test/fuzz/corpus/<name>/) and reports executions and findings.
set -u
secs=$1; shift
status=0
for f in "$@"; do
	seeds=test/fuzz/corpus/${f#fuzz_}
	work=test/build/fuzz/corpus-${f#fuzz_}
	mkdir -p "$work" "$seeds"
	log=test/build/fuzz/$f.log
	test/build/fuzz/$f -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=test/build/fuzz/$f- -print_final_stats=1 "$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
	echo "$f: ${execs:-?} executions in ${secs}s, exit $rc"
	if [ $rc -ne 0 ]; then
		status=1; tail -40 "$log"
	fi
done
exit $status
