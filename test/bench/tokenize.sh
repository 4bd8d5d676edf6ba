#!/usr/bin/env bash
# test/bench/tokenize.sh: throughput of the transcripts analyzer next to
# PostgreSQL's own parser and to_tsvector('english', ...), on the same rows
# of the oyez sample in the same run.
#
#   TX_BENCH_ROWS   rows of oyez-turns-sample.tsv.zst to use (default 100000)
#
# MB/s are bytes of turn text per second, best of 3 runs, one backend: by
# the wall clock and by the backend's CPU time (per core, not disturbed by
# other load).  The core figures are CPU time of the C tokenizer alone.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TX_SHARED:-$ROOT/../shared}
[ -f "$SHARED/bench/oyez-turns-sample.tsv.zst" ] || SHARED=/work/shared
DATA=$SHARED/bench/oyez-turns-sample.tsv.zst
ROWS=${TX_BENCH_ROWS:-100000}
[ -f "$DATA" ] || { echo "tokenize.sh: $DATA not found (set TX_SHARED)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{ zstd -dc "$DATA" 2>/dev/null || true; } | head -n "$ROWS" | cut -f6 > "$work/body.txt"
chmod 755 "$work"; chmod 644 "$work/body.txt"

# the core tokenizer alone
ICU_LIBS=$(pkg-config --libs icu-i18n icu-uc 2>/dev/null || echo -licui18n -licuuc -licudata)
mkdir -p "$ROOT/test/build/bench"
${CC:-cc} -O2 -I"$ROOT/src/core" -o "$ROOT/test/build/bench/tokenize_core" \
	"$ROOT/test/bench/tokenize_core.c" "$ROOT/src/core/tokenize.c" "$ROOT/src/core/tx_core.c" $ICU_LIBS
echo "rows: $ROWS turns of $(basename "$DATA")"
"$ROOT/test/build/bench/tokenize_core" "$work/body.txt" 3
# the same rows with every e accented: no span stays ASCII
sed 's/e/\xc3\xa9/g' "$work/body.txt" > "$work/accented.txt"
"$ROOT/test/build/bench/tokenize_core" "$work/accented.txt" 3 | sed 's/^core tokenizer (C, no PostgreSQL)   /core tokenizer, every e written as é/'

DB=tx_bench_tokenize
TICK=$(getconf CLK_TCK 2>/dev/null || echo 100)
dropdb --if-exists "$DB" 2>/dev/null
createdb "$DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TEMP TABLE bench_body (body text);
\copy bench_body FROM '$work/body.txt'
ANALYZE bench_body;
-- CPU seconds of this backend (Linux /proc; NULL elsewhere)
CREATE FUNCTION pg_temp.cpu_seconds() RETURNS float8 LANGUAGE plpgsql AS \$f\$
DECLARE
	st text;
BEGIN
	st := pg_read_file('/proc/' || pg_backend_pid() || '/stat');
	st := substr(st, strpos(st, ') ') + 2);
	RETURN (split_part(st, ' ', 12)::float8 + split_part(st, ' ', 13)::float8) / $TICK;
EXCEPTION WHEN OTHERS THEN
	RETURN NULL;
END
\$f\$;
SET client_min_messages = notice;
DO \$\$
DECLARE
	mb float8;
	t0 timestamptz;
	c0 float8;
	secs float8;
	cpu float8;
	best float8;
	bestcpu float8;
	label text;
	q text;
	i int;
BEGIN
	SELECT sum(octet_length(body)) / 1e6 INTO mb FROM bench_body;
	RAISE NOTICE '%', rpad('', 52) || '   wall MB/s    CPU MB/s';
	FOR label, q IN VALUES
		('ts_parse(''default'', body)                      [pg]', 'SELECT count(*) FROM bench_body, ts_parse(''default'', body)'),
		('ts_parse(''transcripts_parser'', body)', 'SELECT count(*) FROM bench_body, ts_parse(''transcripts_parser'', body)'),
		('to_tsvector(''english'', body)                   [pg]', 'SELECT sum(length(to_tsvector(''english'', body))) FROM bench_body'),
		('to_tsvector(''transcripts'', body)', 'SELECT sum(length(to_tsvector(''transcripts'', body))) FROM bench_body'),
		('tokens(body) (tx_analyze, one row per token)', 'SELECT count(*) FROM bench_body, tokens(body)')
	LOOP
		best := NULL;
		bestcpu := NULL;
		FOR i IN 1..3 LOOP
			c0 := pg_temp.cpu_seconds();
			t0 := clock_timestamp();
			EXECUTE q;
			secs := extract(epoch FROM clock_timestamp() - t0);
			cpu := pg_temp.cpu_seconds() - c0;
			best := least(best, secs);
			bestcpu := least(bestcpu, cpu);
		END LOOP;
		RAISE NOTICE '%', rpad(label, 52) || lpad(to_char(mb / best, 'FM9990.0'), 11)
			|| lpad(coalesce(to_char(mb / nullif(bestcpu, 0), 'FM9990.0'), '-'), 12);
	END LOOP;
END
\$\$;
SQL
dropdb "$DB"
