-- title: the bm25 index: top-k ranked search with corpus statistics
\set QUIET on
\pset footer off
\pset format wrapped
\pset columns 110
CREATE EXTENSION IF NOT EXISTS transcripts;
\echo
\echo '-- A bm25 index on a turn (or text) column; k1 and b are index options (Lucene defaults shown):'
CREATE TABLE IF NOT EXISTS hearing (transcript_id int, ord int, t turn, PRIMARY KEY (transcript_id, ord));
SELECT count(*) = 0 AS empty FROM hearing \gset
\if :empty
\copy hearing FROM 'test/fixtures/query_turns.tsv'
\endif
CREATE INDEX hearing_bm25 ON hearing USING bm25 (t) WITH (k1 = 1.2, b = 0.75);
SELECT documents, total_length, round(avg_length::numeric, 2) AS avg_length, terms, k1, b
FROM bm25_index_stats('hearing_bm25');

\echo '-- The best turns: WHERE column @@ query ORDER BY column <@> query LIMIT k.  <@> is minus the'
\echo '-- BM25 score, so ascending order is best first; the index reads the postings and fetches only k rows:'
SELECT transcript_id AS tr, ord, speaker(t), round(-(t <@> 'bridge OR repairs')::numeric, 3) AS bm25,
       snippet(t, 'bridge OR repairs', max_words => 12) AS snippet
FROM hearing WHERE t @@ 'bridge OR repairs' ORDER BY t <@> 'bridge OR repairs' LIMIT 10;

\echo '-- Phrases, OR, exclusions, prefixes and NEAR are answered from the positions in the index:'
SET enable_seqscan = off;
SELECT q, array_agg(tr || '/' || ord ORDER BY tr, ord) AS turns
FROM (VALUES ('"port fee"'), ('fleet OR fishermen'), ('bridge -repairs'), ('tax*'), ('NEAR/3(bridge reopens)')) v(q),
     LATERAL (SELECT transcript_id AS tr, ord FROM hearing WHERE t @@ q::tquery ORDER BY t <@> q::tquery LIMIT 10) r
GROUP BY q ORDER BY q COLLATE "C";
RESET enable_seqscan;

\echo '-- Filters in WHERE still give k rows (the scan keeps producing rows in score order):'
SELECT transcript_id AS tr, ord, speaker(t) FROM hearing
WHERE transcript_id = 2 AND t @@ 'bridge OR fee OR fleet' ORDER BY t <@> 'bridge OR fee OR fleet' LIMIT 3;

\echo '-- bm25_score(index, value, query) scores any value with the index statistics:'
SELECT round(bm25_score('hearing_bm25', turn('Clerk', 'The bridge repairs are finished.'), 'bridge repairs')::numeric, 3) AS score;

\echo '-- At scale: 60,000 generated turns.  EXPLAIN shows the index scan the planner picks for ORDER BY ... LIMIT:'
CREATE TABLE gen_turns AS
SELECT i AS id, turn(CASE WHEN i % 3 = 0 THEN 'Chair' ELSE 'Witness ' || (i % 17) END,
       (ARRAY['The harbour', 'Our fleet', 'The bridge', 'This council', 'The budget'])[1 + i % 5] || ' ' ||
       (ARRAY['needs', 'lost', 'funds', 'reviewed', 'delayed'])[1 + (i / 5) % 5] || ' ' ||
       (ARRAY['repairs', 'the port fee', 'new inspections', 'a tax', 'fishermen'])[1 + (i / 25) % 5] ||
       ' in item ' || i || '.') AS t
FROM generate_series(1, 60000) i;
CREATE INDEX gen_turns_bm25 ON gen_turns USING bm25 (t);
ANALYZE gen_turns;
EXPLAIN (COSTS OFF) SELECT id FROM gen_turns WHERE t @@ 'bridge repairs' ORDER BY t <@> 'bridge repairs' LIMIT 10;
SELECT id, speaker(t), body(t), round(-(t <@> 'bridge repairs')::numeric, 3) AS bm25
FROM gen_turns WHERE t @@ 'bridge repairs' ORDER BY t <@> 'bridge repairs' LIMIT 5;

\echo '-- Statistics follow INSERT, UPDATE and DELETE; VACUUM takes dead rows out of them.'
\echo '-- A new row is found at once (it waits in the pending list until it becomes a segment):'
INSERT INTO gen_turns VALUES (60001, turn('Chair', 'The bridge repairs, the bridge repairs!'));
SELECT documents, pending_documents FROM bm25_index_stats('gen_turns_bm25');
SELECT id, speaker(t) FROM gen_turns WHERE t @@ 'bridge repairs' ORDER BY t <@> 'bridge repairs' LIMIT 2;
DELETE FROM gen_turns WHERE id > 50000;
SELECT documents, pending_documents FROM bm25_index_stats('gen_turns_bm25');
VACUUM gen_turns;
SELECT documents, segments, pending_documents FROM bm25_index_stats('gen_turns_bm25');
DROP TABLE gen_turns;
DROP INDEX hearing_bm25;
