SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- Conjunctions of common words (the posting lists of alpha .. foxtrot and of
-- w0 .. w49 hold 1/10 to 2/3 of the documents, so they carry dense sections
-- that a conjunction probes instead of decoding the lists) give, through the
-- index, exactly the rows and the scores of a full sort by bm25_score (ties
-- by id, the insertion order): after the build, after inserts (pending list,
-- new segments, merges), deletes and VACUUM, and after a parallel build.
-- echo occurs up to 23 times in a document: tfs of 15 and more are read from
-- the posting blocks.  zulu is in a few documents only (no dense section): a
-- conjunction of it with common words decodes zulu and probes the others.
CREATE TABLE bm_dense (id int PRIMARY KEY, body text) WITH (parallel_workers = 2, autovacuum_enabled = off);
CREATE FUNCTION bm_dense_doc(i int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws(' ',
		CASE WHEN i % 2 = 0 THEN 'alpha' END,
		CASE WHEN i % 3 <> 1 THEN 'bravo' END,
		CASE WHEN i % 5 < 2 THEN 'charlie' END,
		CASE WHEN (i * 7) % 11 < 4 THEN 'delta' END,
		CASE WHEN i % 7 = 3 THEN repeat('echo ', 1 + i % 23) END,
		CASE WHEN i % 17 < 3 THEN 'foxtrot' END,
		(SELECT string_agg('w' || ((i * 31 + j * 17) % 50), ' ') FROM generate_series(1, i % 30) j),
		CASE WHEN i % 4 = 1 THEN 'alpha bravo' END,
		CASE WHEN i % 397 = 5 THEN 'zulu' END)
$$;
INSERT INTO bm_dense SELECT i, bm_dense_doc(i) FROM generate_series(1, 6000) i;
SELECT pg_relation_size('bm_dense') / 8192 > 64 AS enough_blocks;
CREATE INDEX bm_dense_idx ON bm_dense USING bm25 (body) WITH (pending_limit = 64);

-- index order and scores against the full sort, bit for bit.  Equal texts
-- tie, and the index breaks ties by document id, the order of the build's
-- scan (a parallel build's workers take parts of the table): so the rows
-- compared are those scoring above the last score of the list, and the
-- scores all of them.
CREATE FUNCTION bm_dense_check(q text, k int) RETURNS TABLE (matches bigint, same_rows boolean, same_scores boolean) AS $$
DECLARE
	ids_index int[];
	sc_index float8[];
	ids_sort int[];
	sc_sort float8[];
BEGIN
	SET LOCAL enable_seqscan = off;
	SET LOCAL enable_bitmapscan = off;
	SET LOCAL enable_indexscan = on;
	SELECT array_agg(id ORDER BY r), array_agg(-d ORDER BY r) INTO ids_index, sc_index
	FROM (SELECT id, body <@> to_tquery(q) AS d, row_number() OVER () AS r
		  FROM (SELECT id, body FROM bm_dense ORDER BY body <@> to_tquery(q) LIMIT k) s) t;
	SET LOCAL enable_seqscan = on;
	SET LOCAL enable_indexscan = off;
	SELECT array_agg(id ORDER BY s DESC, id), array_agg(s ORDER BY s DESC, id) INTO ids_sort, sc_sort
	FROM (SELECT id, bm25_score('bm_dense_idx', body, to_tquery(q)) s FROM bm_dense
		  WHERE body @@ to_tquery(q) ORDER BY 2 DESC, id LIMIT k) t;
	RETURN QUERY SELECT (SELECT count(*) FROM bm_dense WHERE body @@ to_tquery(q)),
		coalesce((SELECT array_agg(i ORDER BY i) FROM unnest(ids_index, sc_index) u(i, s)
				  WHERE s > sc_index[array_length(sc_index, 1)]) IS NOT DISTINCT FROM
				 (SELECT array_agg(i ORDER BY i) FROM unnest(ids_sort, sc_sort) u(i, s)
				  WHERE s > sc_sort[array_length(sc_sort, 1)])
				 AND array_length(ids_index, 1) = array_length(ids_sort, 1),
				 ids_index IS NULL AND ids_sort IS NULL),
		coalesce(sc_index = sc_sort, sc_index IS NULL AND sc_sort IS NULL);
END $$ LANGUAGE plpgsql;

CREATE TABLE bm_dense_q (q text);
INSERT INTO bm_dense_q VALUES
	('alpha bravo'), ('bravo alpha'), ('alpha bravo charlie'), ('alpha bravo charlie delta'),
	('bravo charlie delta echo foxtrot'), ('echo alpha'), ('echo bravo w7'), ('alpha w3 w17'),
	('foxtrot delta w0 w1'), ('alpha alpha bravo'),
	('zulu alpha'), ('bravo zulu'), ('zulu alpha bravo charlie delta'),
	-- not every list probed: a negation, an alternative, a phrase, a prefix
	('alpha bravo -charlie'), ('alpha (bravo OR echo)'), ('"alpha bravo" charlie'), ('alpha br*');

SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM bm_dense ORDER BY body <@> to_tquery('alpha bravo') LIMIT 10;
RESET enable_seqscan;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 10) c;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 400) c;

-- inserts: the pending list, segments flushed from it and merged
INSERT INTO bm_dense SELECT i, bm_dense_doc(i) FROM generate_series(6001, 8000) i;
SELECT segments > 1 AS several_segments, pending_documents > 0 AS pending
FROM bm25_index_stats('bm_dense_idx');
DELETE FROM bm_dense WHERE id IN (SELECT id FROM bm_dense ORDER BY body <@> to_tquery('alpha bravo charlie') LIMIT 3);
DELETE FROM bm_dense WHERE id % 89 = 0;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 10) c;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 400) c WHERE q NOT LIKE '%-%';

-- VACUUM merges everything into one segment without the deleted rows
VACUUM bm_dense;
SELECT segments, pending_documents FROM bm25_index_stats('bm_dense_idx');
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 10) c;

-- a parallel build
SET min_parallel_table_scan_size = 0;
SET max_parallel_maintenance_workers = 2;
REINDEX INDEX bm_dense_idx;
RESET max_parallel_maintenance_workers;
RESET min_parallel_table_scan_size;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 10) c;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 400) c WHERE q LIKE 'alpha%';

-- a backend's caches of the index (common words' lists, skip indexes, word
-- lookups) are dropped when its relcache entry changes, also while a cursor
-- still reads lists from them (those are freed when it lets them go)
BEGIN;
SET LOCAL enable_seqscan = off;
DECLARE bm_cur CURSOR FOR SELECT id FROM bm_dense ORDER BY body <@> to_tquery('alpha bravo charlie') LIMIT 500;
FETCH 5 FROM bm_cur;
ALTER INDEX bm_dense_idx RENAME TO bm_dense_idx_renamed;
MOVE 400 FROM bm_cur;
FETCH 5 FROM bm_cur;
CLOSE bm_cur;
ALTER INDEX bm_dense_idx_renamed RENAME TO bm_dense_idx;
COMMIT;
SELECT id FROM (SELECT id, row_number() OVER () AS n
				FROM (SELECT id FROM bm_dense ORDER BY body <@> to_tquery('alpha bravo charlie') LIMIT 500) s) t
WHERE n <= 5 OR n BETWEEN 406 AND 410 ORDER BY n;
SELECT q, c.* FROM bm_dense_q, bm_dense_check(q, 10) c WHERE q LIKE 'alpha%';

DROP TABLE bm_dense, bm_dense_q;
DROP FUNCTION bm_dense_check(text, int);
DROP FUNCTION bm_dense_doc(int);
