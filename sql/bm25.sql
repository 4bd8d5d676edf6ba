SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- ---------------------------------------------------------------- a tiny corpus, scores by hand
CREATE TABLE bm_tiny (id int PRIMARY KEY, body text);
INSERT INTO bm_tiny VALUES
	(1, 'the cat sat on the mat'),
	(2, 'the dog chased the cat'),
	(3, 'dogs and cats living together'),
	(4, 'a quick brown fox'),
	(5, 'cat cat cat');
CREATE INDEX bm_tiny_idx ON bm_tiny USING bm25 (body) WITH (k1 = 1.2, b = 0.75);
SELECT documents, total_length, avg_length, terms, segments, pending_documents, k1, b
FROM bm25_index_stats('bm_tiny_idx');

-- the index scan is chosen for ORDER BY ... LIMIT
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('cat') LIMIT 3;
SELECT id, round((body <@> to_tquery('cat'))::numeric, 6) AS d
FROM bm_tiny ORDER BY body <@> to_tquery('cat') LIMIT 3;

-- Lucene BM25 by hand: N = 5, avgdl = 16/5, "cat" in 4 documents
-- (lengths: 1 -> 3 lexemes, 2 -> 3, 3 -> 4, 5 -> 3; stop words do not count)
WITH p AS (SELECT 1.2 AS k1, 0.75 AS b, 16.0 / 5 AS avgdl, ln(1 + (5 - 4 + 0.5) / (4 + 0.5)) AS idf),
	 d(id, tf, dl) AS (VALUES (1, 1, 3), (2, 1, 3), (3, 1, 4), (5, 3, 3))
SELECT d.id,
	   round((p.idf * d.tf * (p.k1 + 1) / (d.tf + p.k1 * (1 - p.b + p.b * d.dl / p.avgdl)))::numeric, 6) AS by_hand,
	   round(bm25_score('bm_tiny_idx', t.body, to_tquery('cat'))::numeric, 6) AS bm25_score,
	   round(-(t.body <@> to_tquery('cat'))::numeric, 6) AS operator
FROM d JOIN bm_tiny t USING (id), p ORDER BY d.id;

-- a term twice in the query weighs twice
SELECT round((bm25_score('bm_tiny_idx', body, to_tquery('cat cat'))
			 / bm25_score('bm_tiny_idx', body, to_tquery('cat')))::numeric, 6) AS ratio
FROM bm_tiny WHERE id = 5;

-- the index returns the same order as a sequential scan with a sort
RESET enable_seqscan;
SET enable_indexscan = off;
SELECT array_agg(id ORDER BY body <@> to_tquery('cat'), id) AS seqscan
FROM bm_tiny WHERE body @@ to_tquery('cat');
RESET enable_indexscan;
SET enable_seqscan = off;
SELECT array_agg(id) AS indexscan
FROM (SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('cat') LIMIT 10) s;

-- match operator through the index, and boolean queries
EXPLAIN (COSTS OFF) SELECT id FROM bm_tiny WHERE body @@ to_tquery('dog');
SELECT id FROM bm_tiny WHERE body @@ to_tquery('dog') ORDER BY id;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('cat -dog') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('cat dog') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('fox OR mat') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('liv*') LIMIT 10;

-- phrases and NEAR come from the positions stored in the index
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('"dog chased"') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('"chased dog"') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('NEAR/4(cat mat)') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('NEAR/3(cat mat)') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('NEAR/4(dog together)') LIMIT 10;
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('NEAR/2(cat mat)') LIMIT 10;
-- the same answers without the index
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT q, array_agg(id ORDER BY id) FROM bm_tiny,
	(VALUES ('"dog chased"'), ('"chased dog"'), ('NEAR/3(cat mat)'), ('NEAR/2(cat mat)'), ('NEAR/4(dog together)')) v(q)
WHERE body @@ to_tquery(q) GROUP BY q ORDER BY q COLLATE "C";
RESET enable_indexscan;
RESET enable_bitmapscan;
SET enable_seqscan = off;
-- a query of stop words only matches nothing
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('the') LIMIT 10;

-- ---------------------------------------------------------------- statistics under DML
INSERT INTO bm_tiny VALUES (6, 'cat and mouse');
SELECT documents, total_length, pending_documents FROM bm25_index_stats('bm_tiny_idx');
-- the new row is found, and "cat" now has df 5 of N 6
SELECT id, round(bm25_score('bm_tiny_idx', body, to_tquery('cat'))::numeric, 6) AS score
FROM bm_tiny ORDER BY body <@> to_tquery('cat') LIMIT 3;
SELECT round((ln(1 + (6 - 5 + 0.5) / (5 + 0.5)) * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / (18.0 / 6))))::numeric, 6) AS by_hand_6;
UPDATE bm_tiny SET body = 'a mouse' WHERE id = 5;
DELETE FROM bm_tiny WHERE id = 4;
-- dead rows stay in the statistics until VACUUM
SELECT documents, total_length FROM bm25_index_stats('bm_tiny_idx');
SELECT id FROM bm_tiny ORDER BY body <@> to_tquery('cat') LIMIT 10;
VACUUM (INDEX_CLEANUP ON) bm_tiny;
SELECT documents, total_length, avg_length, terms, segments, pending_documents
FROM bm25_index_stats('bm_tiny_idx');
-- after VACUUM: N = 5 live rows, total length 13, cat in 4 of them
SELECT id, round(-(body <@> to_tquery('cat'))::numeric, 6) AS score
FROM bm_tiny ORDER BY body <@> to_tquery('cat') LIMIT 10;
SELECT round((ln(1 + (5 - 4 + 0.5) / (4 + 0.5)) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / (13.0 / 5))))::numeric, 6) AS by_hand_row_6;

-- ---------------------------------------------------------------- a larger corpus
RESET enable_seqscan;
CREATE TABLE bm_docs (id int PRIMARY KEY, grp int, body text);
INSERT INTO bm_docs
SELECT i, i % 7,
	   (ARRAY['court', 'state', 'federal', 'question', 'argument', 'counsel', 'justice', 'record',
			  'statute', 'petitioner', 'respondent', 'appeal', 'jury', 'evidence', 'trial'])[1 + (i * 7) % 15]
	   || ' ' || (ARRAY['held', 'argued', 'decided', 'reversed', 'affirmed', 'remanded'])[1 + (i * 3) % 6]
	   || ' ' || (ARRAY['court', 'law', 'case', 'rule', 'order'])[1 + (i * 11) % 5]
	   || ' ' || repeat('word' || (i % 50) || ' ', 1 + i % 4)
FROM generate_series(1, 3000) i;
-- a small maintenance_work_mem makes the build write several runs and merge them
SET maintenance_work_mem = '1MB';
CREATE INDEX bm_docs_idx ON bm_docs USING bm25 (body) WITH (pending_limit = 64);
RESET maintenance_work_mem;
SELECT documents, total_length, segments FROM bm25_index_stats('bm_docs_idx');

SET enable_seqscan = off;
-- index results equal a full sort by the operator (ties by id, which is the insertion order)
SELECT (SELECT array_agg(id ORDER BY body <@> to_tquery('court held'), id)
		FROM bm_docs WHERE body @@ to_tquery('court held'))
	 = (SELECT array_agg(id) FROM (SELECT id FROM bm_docs ORDER BY body <@> to_tquery('court held') LIMIT 100000) s)
	AS same_order,
	   (SELECT count(*) FROM bm_docs WHERE body @@ to_tquery('court held')) AS matches;
-- a WHERE filter still gives exactly k rows (the scan goes past its first batch)
SELECT count(*) FROM (SELECT id FROM bm_docs WHERE grp = 3
					  ORDER BY body <@> to_tquery('court') LIMIT 25) s;
SELECT count(*) FROM (SELECT id FROM bm_docs WHERE id % 50 = 17
					  ORDER BY body <@> to_tquery('word7 OR word17') LIMIT 10) s;
SELECT count(*) AS all_matches FROM (SELECT id FROM bm_docs ORDER BY body <@> to_tquery('court') LIMIT 100000) s;
RESET enable_seqscan;
SELECT count(*) AS all_matches_seq FROM bm_docs WHERE body @@ to_tquery('court');

-- inserts go to the pending list and, past pending_limit, into new segments
INSERT INTO bm_docs
SELECT i, i % 7, 'pending ' || (SELECT string_agg('w' || (i * j % 997), ' ') FROM generate_series(1, 30) j)
FROM generate_series(3001, 4500) i;
SELECT documents, segments > 1 AS several_segments, pending_documents < 1500 AS flushed
FROM bm25_index_stats('bm_docs_idx');
SET enable_seqscan = off;
SELECT count(*) FROM (SELECT id FROM bm_docs ORDER BY body <@> to_tquery('pending') LIMIT 100000) s;
DELETE FROM bm_docs WHERE id > 4000;
VACUUM (INDEX_CLEANUP ON) bm_docs;
SELECT documents, segments, pending_documents FROM bm25_index_stats('bm_docs_idx');
SELECT count(*) FROM (SELECT id FROM bm_docs ORDER BY body <@> to_tquery('pending') LIMIT 100000) s;
RESET enable_seqscan;

-- ---------------------------------------------------------------- turn columns
CREATE TABLE bm_turns (id int, t turn);
INSERT INTO bm_turns VALUES
	(1, turn('Anna', 'We discussed the 5G security rules.')),
	(2, turn('Ben', 'Security matters more than speed.')),
	(3, turn('Anna', 'Nothing about networks here.'));
CREATE INDEX bm_turns_idx ON bm_turns USING bm25 (t);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM bm_turns ORDER BY t <@> to_tquery('security') LIMIT 2;
SELECT id, speaker(t) FROM bm_turns ORDER BY t <@> to_tquery('security') LIMIT 2;
-- a speaker filter is checked on the row (the index does not store speakers)
SELECT id FROM bm_turns WHERE t @@ to_tquery('security speaker:Anna')
ORDER BY t <@> to_tquery('security speaker:Anna') LIMIT 5;
SELECT id FROM bm_turns WHERE t @@ to_tquery('security speaker:Ben');
RESET enable_seqscan;
SELECT id, round(bm25_score('bm_turns_idx', t, to_tquery('security'))::numeric, 6) FROM bm_turns ORDER BY id;

-- ---------------------------------------------------------------- errors
CREATE INDEX ON bm_tiny USING bm25 (body) WITH (k1 = -1);
CREATE INDEX ON bm_tiny USING bm25 (body) WITH (b = 2);
CREATE INDEX ON bm_tiny USING bm25 (body) WITH (c = 1);
CREATE INDEX ON bm_tiny USING bm25 (id);
CREATE INDEX ON bm_tiny USING bm25 (id, body);
SELECT bm25_index_stats('bm_tiny_pkey');
SELECT bm25_score('bm_tiny_pkey', 'cat', to_tquery('cat'));
-- outside an index scan with two bm25 indexes on text columns the operator cannot choose
SELECT 'a mouse' <@> to_tquery('mouse');

-- the idiom with the query as a FROM item: to_tquery is folded into a constant, so the index orders
CREATE TABLE bm_idiom (transcript_id int, body text);
INSERT INTO bm_idiom SELECT i, 'turn ' || i || CASE WHEN i % 7 = 0 THEN ' about 5G security and networks'
	ELSE ' about the weather' END FROM generate_series(1, 2000) i;
CREATE INDEX ON bm_idiom USING bm25 (body) WITH (k1 = 1.2, b = 0.75);
ANALYZE bm_idiom;
EXPLAIN (COSTS OFF)
SELECT transcript_id, snippet(body, q) FROM bm_idiom, to_tquery('5G security') q ORDER BY body <@> q LIMIT 10;
SELECT count(*) AS rows, count(*) FILTER (WHERE snippet LIKE '%<b>5G</b> <b>security</b>%') AS highlighted
FROM (SELECT transcript_id, snippet(body, q) FROM bm_idiom, to_tquery('5G security') q
	  ORDER BY body <@> q LIMIT 10) top;

-- a backend keeps what its lookups in a segment found: a word absent from the
-- segments is found once a later segment holds it, and the answers stay right
-- after more words than the memo has slots (1024) were looked up
CREATE TABLE bm_memo (id int, body text);
INSERT INTO bm_memo SELECT i, 'word' || i || ' common' FROM generate_series(1, 3000) i;
CREATE INDEX bm_memo_idx ON bm_memo USING bm25 (body) WITH (pending_limit = 64);
SET enable_seqscan = off;
SELECT count(*) FROM bm_memo WHERE body @@ to_tquery('memoword');
INSERT INTO bm_memo VALUES (3001, 'memoword common');
SELECT id FROM bm_memo WHERE body @@ to_tquery('memoword');
VACUUM bm_memo;
SELECT segments, pending_documents FROM bm25_index_stats('bm_memo_idx');
SELECT id FROM bm_memo ORDER BY body <@> to_tquery('memoword') LIMIT 3;
DO $$
DECLARE
	i int;
	got int;
	bad int := 0;
BEGIN
	FOR i IN 1 .. 3000 LOOP
		SELECT id INTO got FROM bm_memo ORDER BY body <@> to_tquery('word' || i) LIMIT 1;
		IF got IS DISTINCT FROM i THEN bad := bad + 1; END IF;
	END LOOP;
	FOR i IN 1 .. 3000 BY 7 LOOP
		SELECT id INTO got FROM bm_memo ORDER BY body <@> to_tquery('word' || i) LIMIT 1;
		IF got IS DISTINCT FROM i THEN bad := bad + 1; END IF;
	END LOOP;
	RAISE NOTICE 'memo lookups answered wrong: %', bad;
END $$;
RESET enable_seqscan;

DROP TABLE bm_tiny, bm_docs, bm_turns, bm_idiom, bm_memo;
