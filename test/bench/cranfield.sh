#!/usr/bin/env bash
# test/bench/cranfield.sh: ranking quality of the bm25 index on the Cranfield
# collection (1,400 abstracts, 225 queries, graded judgements), side by side
# with PostgreSQL's built-in ranking over a GIN index, in one run:
#
#   bm25           ORDER BY body <@> query LIMIT 1000 (the bm25 index, k1 1.2, b 0.75)
#   ts_rank        GIN on to_tsvector('english', body), ORDER BY ts_rank DESC
#   ts_rank_cd     the same with ts_rank_cd
#   bm25_sql_english      plain BM25 computed in SQL over PostgreSQL's own
#                         'english' lexemes (to_tsvector): the reference
#                         "BM25 on PostgreSQL's lexemes", no index involved
#   bm25_sql_transcripts  the same SQL formula over the 'transcripts'
#                         configuration's lexemes: it must rank like the
#                         index (a check of the index's scoring)
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
	printf '%-22s %6.2f s for 225 queries\n' "$1" "$(echo "$t1 - $t0" | bc)"
}
run bm25 "SET enable_seqscan = off;
SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid) FROM queries q,
LATERAL (SELECT d.id FROM docs d ORDER BY d.body <@> q.tq LIMIT 1000) r"
run ts_rank "SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid) FROM queries q,
LATERAL (SELECT d.id FROM docs d WHERE d.tsv @@ q.tsq ORDER BY ts_rank(d.tsv, q.tsq) DESC, d.id LIMIT 1000) r"
run ts_rank_cd "SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid) FROM queries q,
LATERAL (SELECT d.id FROM docs d WHERE d.tsv @@ q.tsq ORDER BY ts_rank_cd(d.tsv, q.tsq) DESC, d.id LIMIT 1000) r"

# Reference rankings: BM25 written out in SQL over a configuration's lexemes,
# with the index's formula: for every query lexeme (qtf = its count in the
# query) qtf * ln(1 + (N - df + 0.5)/(df + 0.5)) * tf*(k1+1)/(tf + k1*(1 - b + b*dl/avgdl)),
# dl = number of lexeme occurrences of the document, avgdl over all N documents.
psql -X -q -d $DB -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE ref_post AS
	SELECT c.cfg::text AS cfg, d.id, u.lexeme, array_length(u.positions, 1)::float8 AS tf
	FROM (VALUES ('english'::regconfig), ('transcripts'::regconfig)) c(cfg), docs d,
		unnest(to_tsvector(c.cfg, d.body)) u;
CREATE INDEX ON ref_post (cfg, lexeme);
CREATE TABLE ref_len AS
	SELECT c.cfg, d.id, coalesce((SELECT sum(tf) FROM ref_post p WHERE p.cfg = c.cfg AND p.id = d.id), 0) AS dl
	FROM (VALUES ('english'), ('transcripts')) c(cfg), docs d;
CREATE UNIQUE INDEX ON ref_len (cfg, id);
CREATE TABLE ref_df AS SELECT cfg, lexeme, count(*)::float8 AS df FROM ref_post GROUP BY cfg, lexeme;
CREATE UNIQUE INDEX ON ref_df (cfg, lexeme);
CREATE TABLE ref_coll AS SELECT cfg, count(*)::float8 AS n, avg(dl) AS avgdl FROM ref_len GROUP BY cfg;
ANALYZE ref_post, ref_len, ref_df, ref_coll;
SQL
ref_sql() { # configuration
	echo "SELECT q.qid, r.id, row_number() OVER (PARTITION BY q.qid ORDER BY r.score DESC, r.id)
FROM queries q, ref_coll c, LATERAL (
	SELECT p.id, sum(qt.qtf * ln(1 + (c.n - f.df + 0.5) / (f.df + 0.5))
		* p.tf * (1.2 + 1) / (p.tf + 1.2 * (1 - 0.75 + 0.75 * l.dl / c.avgdl))) AS score
	FROM (SELECT lexeme, array_length(positions, 1) AS qtf
		FROM unnest(to_tsvector('$1', q.words))) qt
	JOIN ref_post p ON p.cfg = '$1' AND p.lexeme = qt.lexeme
	JOIN ref_df f ON f.cfg = '$1' AND f.lexeme = qt.lexeme
	JOIN ref_len l ON l.cfg = '$1' AND l.id = p.id
	GROUP BY p.id ORDER BY score DESC, p.id LIMIT 1000) r
WHERE c.cfg = '$1'"
}
run bm25_sql_english "$(ref_sql english)"
run bm25_sql_transcripts "$(ref_sql transcripts)"

python3 "$HERE/ir_eval.py" "$CRAN/cranqrel" "$WORK/bm25.run" "$WORK/ts_rank.run" "$WORK/ts_rank_cd.run" \
	"$WORK/bm25_sql_english.run" "$WORK/bm25_sql_transcripts.run"
# the index against the same formula in SQL over the same lexemes: top-10 agreement
python3 - "$WORK/bm25.run" "$WORK/bm25_sql_transcripts.run" <<'PY'
import sys
def top(path, k=10):
    r = {}
    for line in open(path):
        f = line.split()
        if len(f) != 3 or not all(x.isdigit() for x in f):
            continue
        q, d, n = map(int, f)
        if n <= k:
            r.setdefault(q, set()).add(d)
    return r
a, b = top(sys.argv[1]), top(sys.argv[2])
qs = sorted(set(a) | set(b))
same = sum(1 for q in qs if a.get(q) == b.get(q))
overlap = sum(len(a.get(q, set()) & b.get(q, set())) for q in qs) / max(1, sum(len(b.get(q, set())) for q in qs))
print(f"bm25 index vs bm25_sql_transcripts: identical top-10 set on {same} of {len(qs)} queries, top-10 overlap {overlap:.4f}")
PY
[ -n "${KEEP_DB:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
