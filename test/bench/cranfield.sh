#!/usr/bin/env bash
# test/bench/cranfield.sh: ranking quality of the bm25 index on the Cranfield
# collection (1,400 abstracts, 225 queries, graded judgements), side by side
# with PostgreSQL's built-in ranking over a GIN index, in one run:
#
#   bm25           ORDER BY body <@> query LIMIT 1000 (the bm25 index, k1 1.2, b 0.75)
#   ts_rank        GIN on to_tsvector('english', body), ORDER BY ts_rank DESC
#   ts_rank_cd     the same with ts_rank_cd
#
# Long natural-language queries are run as a disjunction of their words (OR),
# for every system: the words of the query, lower-cased, non-alphanumerics
# dropped; the bm25 query keeps repeated words (a word twice weighs twice),
# the tsquery is PostgreSQL's.  The top 1000 of each query are scored by
# test/bench/ir_eval.py: MAP and nDCG@10.
#
# Env: PGHOST/PGPORT/PGUSER/PATH as set by test/harness.sh; TX_SHARED to point
# at the shared data.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${TX_SHARED:-$(cd "$HERE/../.." && pwd)/../shared}
[ -d "$SHARED/ir/cranfield" ] || SHARED=/work/shared
CRAN=$SHARED/ir/cranfield
[ -f "$CRAN/cran.all.1400" ] || { echo "cranfield: $CRAN not found (set TX_SHARED)" >&2; exit 1; }
DB=transcripts_bench_cranfield

WORK=$(mktemp -d /tmp/transcripts-bench-cran.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# documents: id <TAB> .W text; queries: position <TAB> text
python3 - "$CRAN" "$WORK" <<'PY'
import re, sys
cran, work = sys.argv[1], sys.argv[2]

def records(path):
    rec, field = None, None
    for line in open(path, encoding='latin-1'):
        m = re.match(r'^\.([ITABW])\s*(.*)$', line.rstrip('\n'))
        if m and m.group(1) == 'I':
            if rec: yield rec
            rec, field = {'I': m.group(2).strip()}, None
        elif m:
            field = m.group(1)
            rec.setdefault(field, '')
        elif field:
            rec[field] += ' ' + line.strip()
    if rec: yield rec

def clean(s):
    return ' '.join(s.replace('\\', ' ').replace('\t', ' ').split())

with open(f'{work}/docs.tsv', 'w') as out:
    for r in records(f'{cran}/cran.all.1400'):
        out.write(f"{int(r['I'])}\t{clean(r.get('W', ''))}\n")
with open(f'{work}/queries.tsv', 'w') as out:
    for n, r in enumerate(records(f'{cran}/cran.qry'), 1):
        words = re.findall(r'[a-z0-9]+', r.get('W', '').lower())
        out.write(f"{n}\t{' '.join(words)}\n")
PY

PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
psql -X -q -d $DB -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE docs (id int PRIMARY KEY, body text, tsv tsvector);
\copy docs (id, body) FROM '$WORK/docs.tsv'
UPDATE docs SET tsv = to_tsvector('english', body);
CREATE TABLE queries (qid int PRIMARY KEY, words text);
\copy queries FROM '$WORK/queries.tsv'
CREATE INDEX docs_bm25 ON docs USING bm25 (body) WITH (k1 = 1.2, b = 0.75);
CREATE INDEX docs_gin ON docs USING gin (tsv);
VACUUM ANALYZE docs;
ALTER TABLE queries ADD tq tquery, ADD tsq tsquery;
-- every word quoted, so that "or", "not" and "near" in a question stay words
UPDATE queries SET tq = to_tquery('"' || regexp_replace(words, ' ', '" OR "', 'g') || '"'),
	tsq = to_tsquery('english', regexp_replace(words, ' ', ' | ', 'g'));
SQL

echo "cranfield: $(psql -X -At -d $DB -c 'SELECT count(*) FROM docs') documents, $(psql -X -At -d $DB -c 'SELECT count(*) FROM queries') queries"
psql -X -At -d $DB -c "SELECT 'bm25 index: ' || pg_size_pretty(pg_relation_size('docs_bm25')) || ', GIN: ' || pg_size_pretty(pg_relation_size('docs_gin'))"

run() { # name sql
	local t0 t1
	t0=$(date +%s.%N)
	psql -X -At -F ' ' -d $DB -c "$2" > "$WORK/$1.run"
	t1=$(date +%s.%N)
	printf '%-12s %6.2f s for 225 queries\n' "$1" "$(echo "$t1 - $t0" | bc)"
}
run bm25 "SET enable_seqscan = off;
SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid) FROM queries q,
LATERAL (SELECT d.id FROM docs d ORDER BY d.body <@> q.tq LIMIT 1000) r"
run ts_rank "SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid) FROM queries q,
LATERAL (SELECT d.id FROM docs d WHERE d.tsv @@ q.tsq ORDER BY ts_rank(d.tsv, q.tsq) DESC, d.id LIMIT 1000) r"
run ts_rank_cd "SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid) FROM queries q,
LATERAL (SELECT d.id FROM docs d WHERE d.tsv @@ q.tsq ORDER BY ts_rank_cd(d.tsv, q.tsq) DESC, d.id LIMIT 1000) r"

python3 "$HERE/ir_eval.py" "$CRAN/cranqrel" "$WORK/bm25.run" "$WORK/ts_rank.run" "$WORK/ts_rank_cd.run"
[ -n "${KEEP_DB:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
