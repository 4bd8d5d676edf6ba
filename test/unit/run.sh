#!/usr/bin/env bash
# Runs the core unit test binaries in $1 named by the other arguments and
# prints one closing line "unit: N passed, F failed".
set -u
dir=$1; shift
passed=0; failed=0; status=0
for t in "$@"; do
	out=$("$dir/$t" 2>&1); rc=$?
	printf '%s\n' "$out" | sed "s|^|[$t] |"
	line=$(printf '%s\n' "$out" | grep -E 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' | tail -1)
	if [ -z "$line" ]; then
		echo "[$t] no Check summary (exit $rc)"; failed=$((failed + 1)); status=1; continue
	fi
	n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
	f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
	e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + n - f - e)); failed=$((failed + f + e))
	[ "$rc" -eq 0 ] || status=1
done
echo "unit: $passed passed, $failed failed"
exit $status
