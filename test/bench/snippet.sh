#!/usr/bin/env bash
# test/bench/snippet.sh: snippet() and kwic() throughput next to the built-in
# ts_headline() on the same rows in the same run.
#
# Rows: the turns among the first $BENCH_TURNS (default 100000) of
# ../shared/bench/oyez-turns-sample.tsv.zst that match each query; the
# built-in gets the equivalent tsquery (phraseto/plainto/to_tsquery) with the
# english configuration and its default MaxWords 35, snippet() max_words 35.
# Each timing is the best of three runs.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TX_SHARED:-$ROOT/../shared}
[ -d "$SHARED/bench" ] || SHARED=/work/shared
DATA=$SHARED/bench/oyez-turns-sample.tsv.zst
N=${BENCH_TURNS:-100000}
DB=transcripts_bench_snippet
[ -f "$DATA" ] || { echo "snippet bench: $DATA not found, skipped"; exit 0; }

psql -X -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
P() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
P -c "CREATE EXTENSION transcripts" \
  -c "CREATE TABLE raw (tid text, n int, speaker text, t0 float8, t1 float8, body text)"
{ zstd -dc "$DATA" 2>/dev/null || true; } | head -n "$N" | P -c "\\copy raw FROM STDIN"
P -c "CREATE TABLE bench AS SELECT row_number() OVER () AS id, body,
        turn(NULLIF(speaker, ''), body) AS t FROM raw" -c "ANALYZE bench"

# best of three wall-clock milliseconds of one statement
best_ms() {
	local sql=$1 best= ms
	for _ in 1 2 3; do
		ms=$(P -c '\timing on' -c "$sql" | sed -nE 's/^Time: ([0-9.]+) ms.*/\1/p' | tail -1)
		if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
	done
	echo "$best"
}

printf '\n%-22s %7s %14s %14s %14s %8s %14s\n' query rows "ts_headline/s" "snippet/s" "kwic/s" speedup "snippet(turn)/s"
run() { # label tquery-text tsquery-expression
	local label=$1 tq=$2 ts=$3 rows t_ts t_sn t_kw t_tn
	P -c "DROP TABLE IF EXISTS hit" \
	  -c "CREATE TABLE hit AS SELECT id, body, t FROM bench WHERE to_tsvector('english', body) @@ $ts AND body @@ '$tq'::tquery"
	rows=$(P -At -c "SELECT count(*) FROM hit")
	t_ts=$(best_ms "SELECT sum(length(ts_headline('english', body, $ts))) FROM hit")
	t_sn=$(best_ms "SELECT sum(length(snippet(body, '$tq'))) FROM hit")
	t_kw=$(best_ms "SELECT count(*) FROM hit, kwic(body, '$tq')")
	t_tn=$(best_ms "SELECT sum(length(snippet(t, '$tq'))) FROM hit")
	awk -v l="$label" -v r="$rows" -v a="$t_ts" -v b="$t_sn" -v c="$t_kw" -v d="$t_tn" 'BEGIN {
		printf "%-22s %7d %14.0f %14.0f %14.0f %7.1fx %14.0f\n", l, r, r / a * 1000, r / b * 1000, r / c * 1000, a / b, r / d * 1000 }'
}
run 'jurisdiction' 'jurisdiction' "plainto_tsquery('english', 'jurisdiction')"
run '"first amendment"' '"first amendment"' "phraseto_tsquery('english', 'first amendment')"
run 'commerce clause' 'commerce clause' "plainto_tsquery('english', 'commerce clause')"
run 'statut* OR congress' 'statut* OR congress' "to_tsquery('english', 'statut:* | congress')"
echo "(turns: first $N of $(basename "$DATA"); rows/second, best of 3; speedup = snippet over ts_headline)"
psql -X -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null
