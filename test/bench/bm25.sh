#!/usr/bin/env bash
# test/bench/bm25.sh: the bm25 index against PostgreSQL's built-in full text
# search (GIN on a stored tsvector, ranked with ts_rank) and RUM (if the rum
# extension is installed), in one run on the same table:
#
#   load      COPY of the Oyez sample (606,951 turns, 179 MB of text)
#   build     bm25: CREATE INDEX ... USING bm25 (body), once serially
#             (max_parallel_maintenance_workers = 0) and once with the
#             workers PostgreSQL plans for the table (the index kept); GIN: computing the
#             stored tsvector column plus CREATE INDEX ... USING gin; RUM:
#             CREATE INDEX ... USING rum on the same tsvector
#   size      bm25 index vs GIN index + the stored tsvector (and RUM + tsvector)
#   latency   p50/p95 of top-10 queries of 1, 2, 3 and 5 words, rare and
#             common words, every query run $REPS times after a warm-up, in
#             two forms:
#               all words (AND, as plainto_tsquery does):
#                 bm25:  ORDER BY body <@> to_tquery('a b c') LIMIT 10
#                 GIN:   WHERE tsv @@ plainto_tsquery('english', 'a b c')
#                        ORDER BY ts_rank(tsv, query) DESC LIMIT 10
#                 RUM:   WHERE tsv @@ query ORDER BY tsv <=> query LIMIT 10
#               any word (OR, how BM25 rankers are usually queried), 2+ words:
#                 bm25:  to_tquery('a OR b OR c'), GIN and RUM:
#                        to_tsquery('english', 'a | b | c'), same ORDER BY
#             Both sides are timed the same way, inside the server (plpgsql,
#             clock_timestamp around EXECUTE of the same count(*) wrapper),
#             so times include parsing and planning but not the client; all
#             run with the server's default planner settings (GIN may use
#             parallel workers, the bm25 scan does not).  "floor" is a bm25
#             query whose word is not in the index: what parsing, planning
#             and an empty index scan cost in this timing.
#             Each query is timed on every side in turn (bm25, GIN, RUM: a
#             warm-up, then REPS runs each) before the next query, so the
#             machine's drift over minutes falls on all sides alike.
#             The all-words classes are timed once more with the plans
#             cached, as a driver's prepared statements run (the words a
#             parameter of a static query in plpgsql: neither side parses or
#             plans it again).
#
# Words are drawn from the corpus with a fixed seed: "common" words are among
# the 30..300 most frequent non-stop words, "rare" ones occur in roughly
# 50..300 turns.  Words are runs of letters between non-letters other than
# the apostrophe, and words with an apostrophe are left out: the pieces
# "couldn" or "wasn" are lexemes for the english parser but not for the bm25
# analysis, which keeps "couldn't" whole, so the two sides would answer
# different queries.
#
# Env: PGHOST/PGPORT/PGUSER/PATH as set by test/harness.sh; TX_SHARED to point
# at the shared data; REPS (default 5); NQ queries per class (default 10);
# BENCH_ROWS to cut the input (testing); KEEP_DB=1 keeps the database;
# REUSE_DB=1 reuses a kept one (no load and build figures, queries only);
# with REINDEX=1 too, the bm25 index is rebuilt first (a kept index is read
# as the version that built it wrote it: after a change of the index format,
# e.g. the dense sections of index version 2, the old format is what runs).
set -euo pipefail

REPS=${REPS:-5}
NQ=${NQ:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${TX_SHARED:-$(cd "$HERE/../.." && pwd)/../shared}
[ -d "$SHARED/bench" ] || SHARED=/work/shared
SRC=$SHARED/bench/oyez-turns-sample.tsv.zst
[ -f "$SRC" ] || { echo "bm25: $SRC not found (set TX_SHARED)" >&2; exit 1; }
DB=transcripts_bench_bm25

q() { psql -X -q -At -d $DB -v ON_ERROR_STOP=1 "$@"; }
mb() { python3 -c "print(f'{$1 / 1048576:.1f} MB')"; }
HAVE_RUM=0
if [ -n "${REUSE_DB:-}" ]; then
	KEEP_DB=1
	[ "$(q -c "SELECT to_regclass('turns_rum') IS NOT NULL")" = t ] && HAVE_RUM=1
	echo "bm25 bench: reusing $DB ($(q -c 'SELECT count(*) FROM turns') turns)"
	if [ -n "${REINDEX:-}" ]; then
		q -c "REINDEX INDEX turns_bm25"
		echo "bm25 index rebuilt: $(mb "$(q -c "SELECT pg_relation_size('turns_bm25')")")"
	fi
else
WORK=$(mktemp -d /tmp/transcripts-bench-bm25.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
if [ -n "${BENCH_ROWS:-}" ]; then { zstd -dc "$SRC" || true; } | head -n "$BENCH_ROWS" > "$WORK/turns.tsv"
else zstd -dc "$SRC" > "$WORK/turns.tsv"; fi
chmod 644 "$WORK/turns.tsv"
MB=$(python3 -c "import sys; print(round(sum(len(l.split(b'\t', 5)[5]) for l in open(sys.argv[1], 'rb')) / 1e6, 1))" "$WORK/turns.tsv")

PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
timed() { # label sql -> prints seconds
	local t0 t1
	t0=$(date +%s.%N)
	q -c "$2" >/dev/null
	t1=$(date +%s.%N)
	python3 -c "print(f'{$t1 - $t0:.2f}')"
}

q -c "SET client_min_messages = warning; CREATE EXTENSION transcripts"
if q -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS rum" 2>/dev/null; then HAVE_RUM=1; fi
q -c "CREATE TABLE turns (transcript_id text, turn_no int, speaker text, t_start float8, t_stop float8, body text)"

echo "bm25 bench: $(wc -l < "$WORK/turns.tsv") turns, $MB MB of text; maintenance_work_mem = $(q -c 'SHOW maintenance_work_mem')"
T_LOAD=$(timed load "COPY turns FROM '$WORK/turns.tsv'")
q -c "VACUUM ANALYZE turns"
T_BM25_SERIAL=$(timed bm25 "SET max_parallel_maintenance_workers = 0; CREATE INDEX turns_bm25 ON turns USING bm25 (body)")
q -c "DROP INDEX turns_bm25"
W_BM25=$(q -c "SHOW max_parallel_maintenance_workers")
T_BM25=$(timed bm25 "CREATE INDEX turns_bm25 ON turns USING bm25 (body)")
T_TSV=$(timed tsv "ALTER TABLE turns ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED")
T_GIN=$(timed gin "CREATE INDEX turns_gin ON turns USING gin (tsv)")
T_RUM=-
[ $HAVE_RUM = 1 ] && T_RUM=$(timed rum "CREATE INDEX turns_rum ON turns USING rum (tsv rum_tsvector_ops)")
q -c "VACUUM ANALYZE turns"

S_BM25=$(q -c "SELECT pg_relation_size('turns_bm25')")
S_GIN=$(q -c "SELECT pg_relation_size('turns_gin')")
S_TSV=$(q -c "SELECT sum(pg_column_size(tsv)) FROM turns")
S_RUM=0
[ $HAVE_RUM = 1 ] && S_RUM=$(q -c "SELECT pg_relation_size('turns_rum')")
echo
echo "load (COPY):                 ${T_LOAD} s"
printf 'build bm25, serial:          %s s (%s MB/s of text)\n' "$T_BM25_SERIAL" "$(python3 -c "print(f'{$MB / $T_BM25_SERIAL:.1f}')")"
printf 'build bm25, parallel:        %s s (%s MB/s of text; up to %s workers and the leader, on %s cores)\n' "$T_BM25" \
	"$(python3 -c "print(f'{$MB / $T_BM25:.1f}')")" "$W_BM25" "$(nproc)"
printf 'build GIN:                   %s s tsvector column + %s s index (%s MB/s of text)\n' "$T_TSV" "$T_GIN" \
	"$(python3 -c "print(f'{$MB / ($T_TSV + $T_GIN):.1f}')")"
[ $HAVE_RUM = 1 ] && printf 'build RUM:                   %s s tsvector column + %s s index\n' "$T_TSV" "$T_RUM"
echo "size bm25 index:             $(mb $S_BM25)"
echo "size GIN index + tsvector:   $(mb $S_GIN) + $(mb $S_TSV) = $(mb $((S_GIN + S_TSV)))"
[ $HAVE_RUM = 1 ] && echo "size RUM index + tsvector:   $(mb $S_RUM) + $(mb $S_TSV) = $(mb $((S_RUM + S_TSV)))"
fi

# ---------------------------------------------------------------- queries
q <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS words, common, rare, qset;
DROP FUNCTION IF EXISTS bench(text, text, int);
DROP FUNCTION IF EXISTS bench(text[], text, int);
CREATE TABLE words AS
WITH s AS (SELECT body FROM turns TABLESAMPLE SYSTEM (10) REPEATABLE (42))
SELECT x AS word, count(*) AS df
FROM s, LATERAL (SELECT DISTINCT lower(x) AS x FROM regexp_split_to_table(s.body, '[^A-Za-z'']+') x) d
WHERE length(x) >= 3 AND x !~ '''' AND to_tsvector('english', x) <> ''::tsvector
GROUP BY 1;
SQL
q <<SQL
SET client_min_messages = warning;
SELECT setseed(0.42);
CREATE TABLE common AS SELECT word FROM (SELECT word FROM words ORDER BY df DESC OFFSET 30 LIMIT 270) c ORDER BY random();
CREATE TABLE rare AS SELECT word FROM words WHERE df BETWEEN 5 AND 30 ORDER BY random() LIMIT 500;
CREATE TABLE qset (class text, n int, i int, words text);
INSERT INTO qset
SELECT kind || ' ' || n || 'w', n, i,
	(SELECT string_agg(word, ' ') FROM (SELECT word FROM (SELECT word, row_number() OVER () rn
		FROM (SELECT word FROM common WHERE kind = 'common' UNION ALL SELECT word FROM rare WHERE kind = 'rare') u) z
		WHERE rn > (i * 7 + n * 31) % 200 ORDER BY rn LIMIT n) y)
FROM (VALUES ('rare'), ('common')) k(kind), (VALUES (1), (2), (3), (5)) nn(n), generate_series(1, $NQ) i;
-- rare words rarely occur together: a rare query of n words is one rare word and n - 1 common ones
UPDATE qset SET words = (SELECT word FROM rare OFFSET i LIMIT 1) || coalesce(' ' ||
	(SELECT string_agg(word, ' ') FROM (SELECT word FROM common OFFSET (i * 5) % 200 LIMIT n - 1) c), '')
WHERE class LIKE 'rare%';
-- a word in no document: the cost of an empty bm25 scan
INSERT INTO qset SELECT 'floor', 1, i, 'qqzxqqzx' FROM generate_series(1, $NQ) i;
-- Each query is timed on every side in turn (a warm-up, then reps runs), so
-- that the machine's drift over minutes falls on all sides alike.  A side is
-- a query template (EXECUTEd: parsed and planned every time) or, with cached,
-- one of bm25 / gin / rum: static SQL whose words are a parameter, so
-- PL/pgSQL keeps its plan as a driver's prepared statement does.
DROP FUNCTION IF EXISTS pbench(text, int, text);
DROP FUNCTION IF EXISTS pbench(text, int, text[]);
DROP FUNCTION IF EXISTS bench(text[], text, int, bool);
CREATE FUNCTION bench(sides text[], cls text, reps int, cached bool DEFAULT false)
RETURNS TABLE (side int, p50 float8, p95 float8, hits float8) AS \$\$
DECLARE
	t0 timestamptz;
	sd int[] := '{}';
	ms float8[] := '{}';
	h bigint[] := array_fill(0::bigint, ARRAY[array_length(sides, 1)]);
	w text;
	s int;
	r int;
	c bigint;
BEGIN
	FOR w IN SELECT words FROM qset WHERE class = cls ORDER BY i LOOP
		FOR s IN 1 .. array_length(sides, 1) LOOP
			FOR r IN 0 .. reps LOOP
				t0 := clock_timestamp();
				IF NOT cached THEN
					EXECUTE format('SELECT count(*) FROM (' || sides[s] || ') z', w) INTO c;
				ELSIF sides[s] = 'bm25' THEN
					SELECT count(*) INTO c FROM (SELECT transcript_id FROM turns ORDER BY body <@> to_tquery(w) LIMIT 10) z;
				ELSIF sides[s] = 'gin' THEN
					SELECT count(*) INTO c FROM (SELECT transcript_id FROM turns, plainto_tsquery('english', w) q
						WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10) z;
				ELSE
					SELECT count(*) INTO c FROM (SELECT transcript_id FROM turns, plainto_tsquery('english', w) q
						WHERE tsv @@ q ORDER BY tsv <=> q LIMIT 10) z;
				END IF;
				IF r > 0 THEN	-- run 0 warms up
					ms := ms || extract(epoch FROM clock_timestamp() - t0) * 1000;
					sd := sd || s;
				END IF;
			END LOOP;
			h[s] := h[s] + c;
		END LOOP;
	END LOOP;
	RETURN QUERY SELECT x.s, percentile_cont(0.5) WITHIN GROUP (ORDER BY x.t),
		percentile_cont(0.95) WITHIN GROUP (ORDER BY x.t),
		h[x.s]::float8 / (SELECT count(*) FROM qset WHERE class = cls)
	FROM unnest(sd, ms) x(s, t) GROUP BY x.s ORDER BY x.s;
END \$\$ LANGUAGE plpgsql;
SQL

echo
echo "example queries: $(q -c "SELECT string_agg(quote_literal(words), ', ' ORDER BY class) FROM qset WHERE i = 1")"
echo
printf '%-14s %18s %18s %18s %9s\n' "class" "bm25 p50/p95 ms" "GIN+ts_rank" "RUM" "speedup"
AND_BM25="SELECT transcript_id, turn_no FROM turns ORDER BY body <@> to_tquery(%L) LIMIT 10"
AND_GIN="SELECT transcript_id, turn_no FROM turns, plainto_tsquery('english', %L) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
AND_RUM="SELECT transcript_id, turn_no FROM turns, plainto_tsquery('english', %L) q WHERE tsv @@ q ORDER BY tsv <=> q LIMIT 10"
OR_BM25="SELECT transcript_id, turn_no FROM turns ORDER BY body <@> to_tquery(replace(%L, ' ', ' OR ')) LIMIT 10"
OR_GIN="SELECT transcript_id, turn_no FROM turns, to_tsquery('english', replace(%L, ' ', ' | ')) q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
OR_RUM="SELECT transcript_id, turn_no FROM turns, to_tsquery('english', replace(%L, ' ', ' | ')) q WHERE tsv @@ q ORDER BY tsv <=> q LIMIT 10"
sql_array() { # the arguments as an SQL text[] of dollar-quoted strings
	local a="" x
	for x in "$@"; do a="$a${a:+, }\$\$$x\$\$"; done
	echo "ARRAY[$a]"
}
run() { # label class bm25-template gin-template rum-template
	local out b50 b95 bh g50 g95 gh r50="-" r95="-" rh="-" tpls
	if [ $HAVE_RUM = 1 ]; then tpls=$(sql_array "$3" "$4" "$5"); else tpls=$(sql_array "$3" "$4"); fi
	out=$(q -F ' ' -c "SELECT round(p50::numeric, 2), round(p95::numeric, 2), round(hits::numeric, 1) FROM bench($tpls, '$2', $REPS)")
	{ read -r b50 b95 bh; read -r g50 g95 gh; if [ $HAVE_RUM = 1 ]; then read -r r50 r95 rh; fi; } <<<"$out"
	printf '%-14s %18s %18s %18s %8sx   (rows: %s / %s / %s)\n' "$1" "$b50 / $b95" "$g50 / $g95" "$r50 / $r95" \
		"$(python3 -c "print(f'{$g50 / max($b50, 0.01):.0f}')")" "$bh" "$gh" "$rh"
}
run "floor" "floor" "$AND_BM25" "$AND_GIN" "$AND_RUM"
echo "all words (AND):"
for cls in "rare 1w" "rare 2w" "rare 3w" "rare 5w" "common 1w" "common 2w" "common 3w" "common 5w"; do
	run "$cls" "$cls" "$AND_BM25" "$AND_GIN" "$AND_RUM"
done
echo "any word (OR):"
for cls in "rare 2w" "rare 3w" "rare 5w" "common 2w" "common 3w" "common 5w"; do
	run "$cls OR" "$cls" "$OR_BM25" "$OR_GIN" "$OR_RUM"
done
prun() { # class: the all-words form with the plans cached
	local out b50 b95 g50 g95 r50="-" r95="-" sides="ARRAY['bm25', 'gin']"
	[ $HAVE_RUM = 1 ] && sides="ARRAY['bm25', 'gin', 'rum']"
	out=$(q -F ' ' -c "SELECT round(p50::numeric, 2), round(p95::numeric, 2) FROM bench($sides, '$1', $REPS, true)")
	{ read -r b50 b95; read -r g50 g95; if [ $HAVE_RUM = 1 ]; then read -r r50 r95; fi; } <<<"$out"
	printf '%-14s %18s %18s %18s %8sx\n' "$1" "$b50 / $b95" "$g50 / $g95" "$r50 / $r95" \
		"$(python3 -c "print(f'{$g50 / max($b50, 0.01):.0f}')")"
}
echo "all words (AND), plans cached (prepared statements):"
for cls in floor "rare 1w" "rare 2w" "rare 3w" "rare 5w" "common 1w" "common 2w" "common 3w" "common 5w"; do
	prun "$cls"
done

[ -n "${KEEP_DB:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
