#!/usr/bin/env bash
# test/bench/copy_turns.sh: bulk loading turns with COPY, against loading the
# very same literals into a text column (the built-in alternative).
#
# Input: the Oyez sample (../shared/bench/oyez-turns-sample.tsv.zst, 606,951
# rows: transcript id, turn number, speaker, start, stop, text).  Each row
# becomes "id<TAB>n<TAB>[start-stop] Speaker: text" (text format) and the same
# as CSV.  For each format the script loads the file with server-side COPY
# into UNLOGGED tables (id text, n int, t text) and (id text, n int, t turn),
# truncated before every run, interleaved, best of $RUNS runs, and prints
# seconds, the turn/text ratio, rows/s and MB/s of input.
#
# Env: PGHOST/PGPORT/PGUSER/PATH as set by test/harness.sh; TX_SHARED to point
# at the shared data; RUNS (default 3); BENCH_ROWS to cut the input (testing).
set -euo pipefail

RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${TX_SHARED:-$(cd "$HERE/../.." && pwd)/../shared}
[ -d "$SHARED/bench" ] || SHARED=/work/shared
SRC=$SHARED/bench/oyez-turns-sample.tsv.zst
[ -f "$SRC" ] || { echo "copy_turns: $SRC not found (set TX_SHARED)" >&2; exit 1; }
DB=transcripts_bench_copy

WORK=$(mktemp -d /tmp/transcripts-bench-copy.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"			# the server reads the files (server-side COPY)

echo "copy_turns: converting $SRC to turn literals in $WORK"
rows_in() {
	if [ -n "${BENCH_ROWS:-}" ]; then { zstd -dc "$SRC" || true; } | head -n "$BENCH_ROWS"
	else zstd -dc "$SRC"; fi
}
rows_in |
python3 -c '
import re, sys

# A bare speaker name may not hold : " [ ] ( ) or control characters, nor
# start or end with white space (the turn grammar); otherwise it is quoted
# with "" for a quote inside.
NEEDS_QUOTES = re.compile(rb"[:\"\[\]()\x00-\x1f\x7f]|^[ \t]|[ \t]$")
# COPY text-format escapes in column 6, undone for the CSV file.
ESC = re.compile(rb"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))", re.S)
SIMPLE = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}

def unescape(m):
    if m.group(1):
        return bytes([int(m.group(1), 8) & 0xFF])
    if m.group(2):
        return bytes([int(m.group(2), 16)])
    c = m.group(3)
    return SIMPLE.get(c, c)

def fmt_time(ms):
    h, rest = divmod(ms, 3600000)
    m, rest = divmod(rest, 60000)
    s, f = divmod(rest, 1000)
    t = b"%02d:%02d:%02d" % (h, m, s)
    return t + (b".%03d" % f if f else b"")

def ms(x):
    try:
        v = round(float(x) * 1000)
    except ValueError:
        return None
    return v if v >= 0 else None

txt = open(sys.argv[1], "wb")
csv = open(sys.argv[2], "wb")
n = 0
for line in sys.stdin.buffer:
    tid, num, spk, start, stop, text = line.rstrip(b"\n").split(b"\t")
    s, e = ms(start), ms(stop)
    if s is not None and e is not None and e < s:
        e = None                      # 69 rows stop at 0: keep the start only
    span = b""
    if s is not None or e is not None:
        span = b"[" + (fmt_time(s) if s is not None else b"") + \
               (b"-" + fmt_time(e) if e is not None else b"") + b"] "
    if spk and NEEDS_QUOTES.search(spk):
        spk = b"\"" + spk.replace(b"\"", b"\"\"") + b"\""
    head = span + spk + b": "
    # text format: the head needs COPY escaping, column 6 already has it
    head_esc = head.replace(b"\\", b"\\\\").replace(b"\t", b"\\t").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
    txt.write(tid + b"\t" + num + b"\t" + head_esc + text + b"\n")
    lit = head + ESC.sub(unescape, text)
    csv.write(tid + b"," + num + b",\"" + lit.replace(b"\"", b"\"\"") + b"\"\n")
    n += 1
print("copy_turns: %d rows" % n, file=sys.stderr)
' "$WORK/turns.txt" "$WORK/turns.csv"
chmod 644 "$WORK"/turns.*

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE UNLOGGED TABLE load_text (id text, n int, t text);
CREATE UNLOGGED TABLE load_turn (id text, n int, t turn);
SQL

# one COPY, timed in the server: prints the seconds
copy_secs() { # table file format
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" <<-SQL
	TRUNCATE $1;
	CHECKPOINT;
	SELECT set_config('bench.t0', clock_timestamp()::text, false) \g /dev/null
	COPY $1 FROM '$2' WITH (FORMAT $3);
	SELECT round(extract(epoch FROM clock_timestamp() - current_setting('bench.t0')::timestamptz)::numeric, 3);
	SQL
}

rows=$(wc -l <"$WORK/turns.txt")
declare -A best
printf '\n%-6s %10s %10s %7s %12s %12s %8s %8s\n' format "text s" "turn s" ratio "text rows/s" "turn rows/s" "text MB/s" "turn MB/s"
for fmt in text csv; do
	f=$WORK/turns.txt; [ "$fmt" = csv ] && f=$WORK/turns.csv
	mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN {printf "%.1f", b / 1048576}')
	best[text]=; best[turn]=
	for ((r = 1; r <= RUNS; r++)); do
		for col in text turn; do
			s=$(copy_secs "load_$col" "$f" "$fmt")
			if [ -z "${best[$col]}" ] || awk -v a="$s" -v b="${best[$col]}" 'BEGIN {exit !(a < b)}'; then
				best[$col]=$s
			fi
		done
	done
	# the loads must agree: same rows, and every turn prints as the literal it came from
	check=$(psql -X -A -t -v ON_ERROR_STOP=1 -d "$DB" -c \
		"SELECT (SELECT count(*) FROM load_text) || ' ' || (SELECT count(*) FROM load_turn) || ' ' ||
		        (SELECT count(*) FROM load_text x JOIN load_turn y USING (id, n) WHERE x.t <> y.t::text)")
	read -r ntext nturn ndiff <<<"$check"
	[ "$ntext" = "$rows" ] && [ "$nturn" = "$rows" ] && [ "$ndiff" = 0 ] ||
		{ echo "copy_turns: $fmt loads disagree: $ntext text rows, $nturn turn rows, $ndiff differ (want $rows)" >&2; exit 1; }
	awk -v fmt="$fmt" -v a="${best[text]}" -v b="${best[turn]}" -v n="$rows" -v mb="$mb" 'BEGIN {
		printf "%-6s %10.3f %10.3f %6.2fx %12.0f %12.0f %8.1f %8.1f\n", fmt, a, b, b / a, n / a, n / b, mb / a, mb / b }'
done
printf '\n%d rows; text file %.1f MB, CSV file %.1f MB; best of %d runs, UNLOGGED tables truncated before each run;\n' \
	"$rows" "$(awk -v b="$(stat -c %s "$WORK/turns.txt")" 'BEGIN {print b / 1048576}')" \
	"$(awk -v b="$(stat -c %s "$WORK/turns.csv")" 'BEGIN {print b / 1048576}')" "$RUNS"
echo "ratio = turn-column seconds / text-column seconds for the same literals (target <= 1.5x)"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
