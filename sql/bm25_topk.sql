SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- Top-k through the bm25 index equals a full sort by bm25_score (ties by id,
-- the insertion order) for conjunctive, disjunctive and mixed queries, on
-- posting lists of many 128-doc blocks, across segments, the pending list and
-- deleted rows.  The scan skips docid ranges and docs on block bounds; a wrong
-- skip shows up as a different list.
CREATE TABLE bm_topk (id int PRIMARY KEY, body text);
-- 6000 docs of 3..42 words from w0..w19, skewed towards w0
INSERT INTO bm_topk
SELECT i, (SELECT string_agg('w' || floor(20 * power(((i * 7919 + j * 104729) % 1000) / 1000.0, 2))::int, ' ')
		   FROM generate_series(1, 3 + i % 40) j)
FROM generate_series(1, 6000) i;
CREATE INDEX bm_topk_idx ON bm_topk USING bm25 (body) WITH (pending_limit = 64);

CREATE FUNCTION bm_topk_check(q text, k int) RETURNS TABLE (matches bigint, same boolean) AS $$
DECLARE
	via_index int[];
	via_sort int[];
BEGIN
	SET LOCAL enable_seqscan = off;
	SET LOCAL enable_bitmapscan = off;
	SET LOCAL enable_indexscan = on;
	SELECT array_agg(id) INTO via_index
	FROM (SELECT id FROM bm_topk ORDER BY body <@> to_tquery(q) LIMIT k) s;
	SET LOCAL enable_seqscan = on;
	SET LOCAL enable_indexscan = off;
	SELECT array_agg(id ORDER BY s DESC, id) INTO via_sort
	FROM (SELECT id, bm25_score('bm_topk_idx', body, to_tquery(q)) s FROM bm_topk
		  WHERE body @@ to_tquery(q) ORDER BY 2 DESC, id LIMIT k) t;
	RETURN QUERY SELECT (SELECT count(*) FROM bm_topk WHERE body @@ to_tquery(q)),
		coalesce(via_index = via_sort, via_index IS NULL AND via_sort IS NULL);
END $$ LANGUAGE plpgsql;

CREATE TABLE bm_topk_q (q text);
INSERT INTO bm_topk_q VALUES
	('w0'), ('w0 w1'), ('w1 w0'), ('w2 w5 w9'), ('w0 w1 w2 w3 w4'), ('w14 w0'), ('w18 w19'),
	('w0 OR w3'), ('w1 OR w7 OR w12'), ('w0 OR w1 OR w2 OR w3 OR w4'), ('w19 OR w0'),
	('(w2 OR w3) w6'), ('w4 -w0'), ('w3 w3 w8'), ('w5 OR w5 w11');

-- one segment; the first side is an index scan
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM bm_topk ORDER BY body <@> to_tquery('w0 w1') LIMIT 10;
RESET enable_seqscan;
SELECT q, c.* FROM bm_topk_q, bm_topk_check(q, 10) c;
SELECT q, c.* FROM bm_topk_q, bm_topk_check(q, 95) c WHERE q LIKE '%OR%';

-- more segments and a pending list, then deleted rows (still in the index)
INSERT INTO bm_topk
SELECT i, (SELECT string_agg('w' || floor(20 * power(((i * 7907 + j * 104723) % 1000) / 1000.0, 2))::int, ' ')
		   FROM generate_series(1, 3 + i % 25) j)
FROM generate_series(6001, 7500) i;
SELECT segments > 1 AS several_segments, pending_documents > 0 AS pending
FROM bm25_index_stats('bm_topk_idx');
DELETE FROM bm_topk WHERE id IN (SELECT id FROM bm_topk ORDER BY body <@> to_tquery('w0 w1') LIMIT 3);
DELETE FROM bm_topk WHERE id % 97 = 0;
SELECT q, c.* FROM bm_topk_q, bm_topk_check(q, 10) c;

DROP TABLE bm_topk, bm_topk_q;
DROP FUNCTION bm_topk_check(text, int);
