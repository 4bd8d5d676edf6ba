#!/usr/bin/env bash
# test/bench/snippet.sh: snippet() and kwic() throughput next to the built-in
# ts_headline() on the same rows in the same run.
#
# Rows: the turns among the first $BENCH_TURNS (default 100000) of
# ../shared/bench/oyez-turns-sample.tsv.zst that match each query; the
# built-in gets the equivalent tsquery (phraseto/plainto/to_tsquery) with the
# english configuration and its default MaxWords 35, snippet() max_words 35.
# Each timing is the median of three runs in CPU time of the backend.
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

# Median of three CPU milliseconds of the backend running one statement
# (user + system time from /proc, so that other work on a shared machine does
# not count; the kernel samples it at clock ticks, hence a median over runs of
# a second or so rather than a minimum), after one warm-up run; wall-clock
# milliseconds where /proc is missing.
best_ms() {
	local sql=$1 i cpu
	cpu="\\! awk -v hz=\$(getconf CLK_TCK) '{ print \"CPU\", \$14 + \$15, hz }' /proc/\$BENCH_PID/stat 2>/dev/null"
	{
		# one backend does all the work (parallel workers' CPU would not be
		# counted), and every row is computed (Memoize would reuse kwic's rows
		# for the repeated bodies)
		printf '%s\n' 'SET max_parallel_workers_per_gather = 0;' 'SET enable_memoize = off;' \
			'SELECT pg_backend_pid() AS pid \gset' \
			'\setenv BENCH_PID :pid' '\o /dev/null' "$sql;" '\o' '\timing on'
		for i in 1 2 3; do
			printf '%s\n' "$cpu" '\o /dev/null' "$sql;" '\o'
		done
		printf '%s\n' "$cpu"
	} | P | awk '
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return a[int((n + 1) / 2)]
		}
		/^CPU / { n++; if (n > 1) c[++nc] = ($2 - prev) * 1000 / $3; prev = $2 }
		/^Time: / { w[++nw] = $2 + 0 }
		END { m = nc ? median(c, nc) : 0; if (m > 0) print m; else print median(w, nw) }'
}

printf '\n%-22s %7s %14s %12s %10s %8s %15s %14s\n' query rows "ts_headline/s" "snippet/s" "kwic/s" speedup "snippet(turn)/s" "@@ (analysis)/s"
# Each statement goes over the matching rows reps times (at least 12000 rows
# in all) so that it runs long enough for the CPU clock.
run() { # label tquery-text tsquery-expression
	local label=$1 tq=$2 ts=$3 rows reps n t_ts t_sn t_kw t_tn t_m
	P -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS hit" \
	  -c "CREATE TABLE hit AS SELECT id, body, t FROM bench WHERE to_tsvector('english', body) @@ $ts AND body @@ '$tq'::tquery"
	rows=$(P -At -c "SELECT count(*) FROM hit")
	reps=$(( (12000 + rows - 1) / rows ))
	n=$((rows * reps))
	P -c "CREATE TABLE hitn AS SELECT h.* FROM hit h, generate_series(1, $reps) r" -c "ANALYZE hitn"
	local from="hitn"
	t_ts=$(best_ms "SELECT sum(length(ts_headline('english', body, $ts))) FROM $from")
	t_sn=$(best_ms "SELECT sum(length(snippet(body, '$tq'))) FROM $from")
	t_kw=$(best_ms "SELECT count(*) FROM $from, kwic(body, '$tq')")
	t_tn=$(best_ms "SELECT sum(length(snippet(t, '$tq'))) FROM $from")
	t_m=$(best_ms "SELECT count(*) FROM $from WHERE body @@ '$tq'::tquery")
	awk -v l="$label" -v r="$rows" -v n="$n" -v a="$t_ts" -v b="$t_sn" -v c="$t_kw" -v d="$t_tn" -v m="$t_m" 'BEGIN {
		printf "%-22s %7d %14.0f %12.0f %10.0f %7.1fx %15.0f %14.0f\n", l, r, n / a * 1000, n / b * 1000, n / c * 1000, a / b, n / d * 1000, n / m * 1000 }'
	P -c "DROP TABLE hitn"
}
run 'jurisdiction' 'jurisdiction' "plainto_tsquery('english', 'jurisdiction')"
run '"first amendment"' '"first amendment"' "phraseto_tsquery('english', 'first amendment')"
run 'evidence witness' 'evidence witness' "plainto_tsquery('english', 'evidence witness')"
run 'statut* OR congress' 'statut* OR congress' "to_tsquery('english', 'statut:* | congress')"

# The same with a dictionary that does not stem (simple, both sides): what
# snippet() costs when word analysis is cheap.
P -c "CREATE TEXT SEARCH DICTIONARY bench_simple (TEMPLATE = pg_catalog.simple)" \
  -c "CREATE TEXT SEARCH CONFIGURATION bench_simple (PARSER = transcripts_parser)" \
  -c "ALTER TEXT SEARCH CONFIGURATION bench_simple ADD MAPPING FOR word, compound_part, compound, number, mixed, dict_word, compound_numpart, numcompound WITH bench_simple"
printf '\n%-22s %7s %22s %18s %8s\n' "no stemming" rows "ts_headline(simple)/s" "snippet(simple)/s" speedup
simple() { # label tquery-text tsquery-expression
	local label=$1 tq=$2 ts=$3 rows reps n t_ts t_sn
	P -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS hit" \
	  -c "CREATE TABLE hit AS SELECT id, body FROM bench WHERE to_tsvector('simple', body) @@ $ts"
	rows=$(P -At -c "SELECT count(*) FROM hit")
	reps=$(( (12000 + rows - 1) / rows ))
	n=$((rows * reps))
	P -c "CREATE TABLE hitn AS SELECT h.* FROM hit h, generate_series(1, $reps) r" -c "ANALYZE hitn"
	t_ts=$(best_ms "SELECT sum(length(ts_headline('simple', body, $ts))) FROM hitn")
	t_sn=$(best_ms "SELECT sum(length(snippet(body, (SELECT to_tquery('bench_simple', '$tq'))))) FROM hitn")
	P -c "DROP TABLE hitn"
	awk -v l="$label" -v r="$rows" -v n="$n" -v a="$t_ts" -v b="$t_sn" 'BEGIN {
		printf "%-22s %7d %22.0f %18.0f %7.1fx\n", l, r, n / a * 1000, n / b * 1000, a / b }'
}
simple 'jurisdiction' 'jurisdiction' "to_tsquery('simple', 'jurisdiction')"
simple 'statute OR congress' 'statute OR congress' "to_tsquery('simple', 'statute | congress')"
echo "(turns: first $N of $(basename "$DATA"); rows per CPU second of the backend, median of 3; speedup = snippet over ts_headline;"
echo " @@ (analysis) = text @@ tquery alone, i.e. tx_analyze of each row, the floor under snippet and kwic)"
psql -X -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null
