#!/usr/bin/env bash
# test/bench/segment.sh: segment_transcript() throughput on the corpus text repeated to
# 100 MB (count(*), and a query consuming every column), next to length(raw) and
# regexp_split_to_table(raw, '\n') on the same text in the same run; linearity (10 MB vs
# 100 MB); inputs that could be quadratic (100 MB without a newline, 10 MB of colons, a
# million one-word lines); the 100 MB row again at the default work_mem and with work_mem = 1GB
# (no result row spills), also with the input as a sub-select (not inlined); statement_timeout
# on a 1 GB input.
#
# Needs PGHOST/PGPORT/PGUSER (test/harness.sh bench sets them) and ../shared/corpus.
# SEG_MB overrides the size (default 100).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TX_SHARED:-$ROOT/../shared}
[ -d "$SHARED/corpus" ] || SHARED=/work/shared
CORPUS=$SHARED/corpus/ren-interviews-part1.txt
[ -f "$CORPUS" ] || { echo "segment.sh: $CORPUS not found (set TX_SHARED)" >&2; exit 1; }
MB=${SEG_MB:-100}
DB=${SEG_DB:-transcripts_bench}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1

psql -X -q -d "$DB" -v ON_ERROR_STOP=1 -v mb="$MB" <<SQL
\set raw \`cat "$CORPUS"\`
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
-- the inputs, built once (kept uncompressed so every contender pays the same to read them)
CREATE TABLE inputs (name text PRIMARY KEY, raw text);
ALTER TABLE inputs ALTER COLUMN raw SET STORAGE EXTERNAL;
INSERT INTO inputs
SELECT 'corpus x ' || :mb || ' MB', repeat(:'raw', ceil(:mb * 1e6 / octet_length(:'raw'))::int)
UNION ALL SELECT 'corpus x 10 MB', repeat(:'raw', ceil(10e6 / octet_length(:'raw'))::int)
UNION ALL SELECT 'no newline, ' || :mb || ' MB', repeat('word ', :mb * 200000)
UNION ALL SELECT '10 MB of colons', repeat(':', 10000000)
UNION ALL SELECT 'a million one-word lines', repeat(E'word\n', 1000000);
-- Settle the new rows before measuring, so that the first table does not pay for work the later
-- ones do not: the first reads of freshly inserted toast tuples set their hint bits and prune
-- their pages, autovacuum would process the 100 MB toast table in the minute after the INSERT,
-- and the checkpointer writes the loaded pages out.  (On a 2-core machine any of this running
-- next to a measured query slows it.)
VACUUM (FREEZE, ANALYZE) inputs;
CHECKPOINT;

-- seconds of this backend's CPU (utime + stime from /proc/self/stat, 1/100 s ticks) for one
-- run of a query over one input, best of n: on a shared machine wall time measures the
-- neighbours too.  Falls back to wall time where /proc is missing.
CREATE FUNCTION pg_temp.cpu() RETURNS float8 LANGUAGE sql AS \$\$
	SELECT (f[14]::float8 + f[15]::float8) / 100
	FROM regexp_split_to_array(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ') AS g(f0),
		LATERAL (SELECT ARRAY['', ''] || f0 AS f) x \$\$;
CREATE FUNCTION pg_temp.secs(q text, input text, n int DEFAULT 3, wm text DEFAULT NULL) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; c0 float8; best float8 := 'Infinity'; r record; use_cpu bool := true; d float8;
	old_wm text := current_setting('work_mem');
BEGIN
	BEGIN PERFORM pg_temp.cpu(); EXCEPTION WHEN OTHERS THEN use_cpu := false; END;
	IF wm IS NOT NULL THEN PERFORM set_config('work_mem', wm, true); END IF;
	FOR i IN 1..n LOOP
		t0 := clock_timestamp();
		IF use_cpu THEN c0 := pg_temp.cpu(); END IF;
		-- %1\$s: a sub-select giving the input; %2\$s: the input's name as a literal
		EXECUTE format(q, 'SELECT raw FROM inputs WHERE name = ' || quote_literal(input), quote_literal(input)) INTO r;
		IF use_cpu THEN d := pg_temp.cpu() - c0; ELSE d := extract(epoch FROM clock_timestamp() - t0); END IF;
		best := least(best, greatest(d, 0.01));
	END LOOP;
	PERFORM set_config('work_mem', old_wm, true);
	RETURN best;
END \$\$;

-- segment_transcript as stored transcripts are segmented (FROM inputs, segment_transcript(raw)):
-- the planner inlines the SQL function, so count(*) computes the turn (which holds speaker,
-- affiliation, body and times) and ordinal, section, line, page and confidence, not the
-- speaker, affiliation, body and time columns taken from the turn.  every_column consumes all
-- eleven columns.
\set seg_count 'SELECT count(*) FROM inputs, segment_transcript(raw) WHERE name = %2\$s'
\set seg_every 'SELECT count(ordinal) + count(speaker) + count(affiliation) + sum(octet_length(body)) + count(start_time) + count(end_time) + count(section) + sum(line) + count(page) + sum(confidence) + sum(pg_column_size(turn)) FROM inputs, segment_transcript(raw) WHERE name = %2\$s'
-- an argument with a sub-select is not inlined: segment_transcript_all computes every column
\set seg_subselect 'SELECT count(*) FROM segment_transcript((%1\$s))'

\echo
\echo '-- throughput, MB of input per second of backend CPU (best of 3); segment_transcript is'
\echo '-- count(*) FROM inputs, segment_transcript(raw), every_column the same consuming all 11 columns:'
\pset footer off
SELECT name AS input, round(octet_length(raw) / 1e6, 1) AS mb,
	round((octet_length(raw) / 1e6 / pg_temp.secs(:'seg_count', name))::numeric, 1) AS segment_transcript,
	round((octet_length(raw) / 1e6 / pg_temp.secs(:'seg_every', name))::numeric, 1) AS every_column,
	round((octet_length(raw) / 1e6 / pg_temp.secs('SELECT length((%s))', name))::numeric, 1) AS "length(raw)",
	round((octet_length(raw) / 1e6 / pg_temp.secs('SELECT count(*) FROM regexp_split_to_table((%s), E''\\n'')', name))::numeric, 1) AS "regexp_split_to_table(raw, '\\n')"
FROM inputs ORDER BY octet_length(raw) DESC, name;

\echo '-- the' :mb 'MB row at the default work_mem (the result rows spill to a temporary file) and with'
\echo '-- work_mem large enough that no row spills; count(*) inlined, every column, and count(*) with'
\echo '-- the input given as a sub-select (not inlined: segment_transcript_all, every column):'
SELECT name AS input, w AS work_mem,
	round((octet_length(raw) / 1e6 / pg_temp.secs(:'seg_count', name, 3, w))::numeric, 1) AS segment_transcript,
	round((octet_length(raw) / 1e6 / pg_temp.secs(:'seg_every', name, 3, w))::numeric, 1) AS every_column,
	round((octet_length(raw) / 1e6 / pg_temp.secs(:'seg_subselect', name, 3, w))::numeric, 1) AS "sub-select argument"
FROM inputs, (VALUES (current_setting('work_mem')), ('1GB')) AS v(w)
WHERE name = 'corpus x ' || :mb || ' MB';

\echo '-- turns found in each input:'
SELECT name AS input, (SELECT count(*) FROM segment_transcript(raw)) AS turns FROM inputs ORDER BY name;
SQL

echo
echo "-- statement_timeout = 2s on a 1 GB input (built by repeat() inside the statement):"
start=$(date +%s.%N)
out=$(psql -X -q -d "$DB" 2>&1 <<SQL || true
\set raw \`cat "$CORPUS"\`
SET statement_timeout = '2s';
SELECT count(*) FROM segment_transcript(repeat(:'raw', 7000));
SQL
)
end=$(date +%s.%N)
echo "$out" | grep -E 'ERROR|^ *[0-9]+$' | head -2
awk -v a="$start" -v b="$end" 'BEGIN { printf "returned after %.2f s (timeout 2 s)\n", b - a }'

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
