SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- ORDER BY body <@> q through a bm25 index: the executor evaluates the
-- operator once more on every returned row (the ORDER BY expression is in the
-- projection).  The scan hands it the score it found, keyed by the row's
-- stored value as the heap holds it (a TOAST pointer, compressed bytes or the
-- text), so that a long row is neither fetched from TOAST nor decompressed.
-- Whatever way the value is stored, the projected value must be the row's own
-- score, and a row the scan did not return must never take a returned row's.
CREATE TABLE bm_rows (id int PRIMARY KEY, body text, note text) WITH (fillfactor = 50);
-- short inline rows, long compressible rows (compressed inline or in TOAST)
-- and long incompressible ones (TOAST, uncompressed)
INSERT INTO bm_rows
SELECT i,
	CASE i % 3
		WHEN 0 THEN 'the court held the ' || i || ' claim'
		WHEN 1 THEN repeat('the court held that the claim was barred ', 20 + i * 13)
		ELSE 'court claim ' || (SELECT string_agg(md5((i * 1000 + j)::text), ' ') FROM generate_series(1, 20 + i * 9) j)
	END, 'n'
FROM generate_series(1, 60) i;
CREATE INDEX bm_rows_idx ON bm_rows USING bm25 (body);
-- the three storage forms are all present
SELECT count(*) FILTER (WHERE octet_length(body) < 2000) AS short,
	count(*) FILTER (WHERE pg_column_size(body) < octet_length(body) / 2) AS compressed,
	count(*) FILTER (WHERE pg_column_size(body) >= octet_length(body) AND octet_length(body) > 2100) AS plain_long
FROM bm_rows;

CREATE FUNCTION bm_rows_check(q text, k int) RETURNS TABLE (rows bigint, same boolean) AS $$
	SELECT count(*), bool_and(abs(-d - bm25_score('bm_rows_idx', body, to_tquery(q))) < 1e-9)
	FROM (SELECT id, body, body <@> to_tquery(q) AS d FROM bm_rows ORDER BY body <@> to_tquery(q) LIMIT k) s
$$ LANGUAGE sql;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM bm_rows ORDER BY body <@> to_tquery('court') LIMIT 5;
SELECT * FROM bm_rows_check('court', 5);
SELECT * FROM bm_rows_check('court claim', 60);
SELECT * FROM bm_rows_check('barred OR claim', 40);

-- HOT updates leave the index TID on a redirect: the score still comes through
BEGIN;
UPDATE bm_rows SET note = 'hot ' || id WHERE id % 4 = 1;
SELECT pg_stat_get_xact_tuples_hot_updated('bm_rows'::regclass) AS hot_updates;
COMMIT;
SELECT * FROM bm_rows_check('court claim', 60);

-- a returned row's score is not given to another row in the same statement:
-- the operator on every row of the table, next to each of the top rows
SELECT count(*) AS pairs,
	bool_and(abs(-(o.body <@> to_tquery('barred claim')) - bm25_score('bm_rows_idx', o.body, to_tquery('barred claim'))) < 1e-9) AS same
FROM (SELECT id FROM bm_rows ORDER BY body <@> to_tquery('barred claim') LIMIT 3) t
	CROSS JOIN LATERAL (SELECT body FROM bm_rows o WHERE o.id <> t.id OFFSET 0) o;

-- nor is it given after a change in the same statement has moved the
-- statistics: a function that finds the best row through the index, inserts
-- rows with the query's words, then scores that row again
CREATE FUNCTION bm_rows_after_insert() RETURNS TABLE (moved boolean, same boolean) AS $$
DECLARE
	best int;
	first float8;
	again float8;
	expect float8;
BEGIN
	SELECT id, -(body <@> to_tquery('barred claim')) INTO best, first
	FROM bm_rows ORDER BY body <@> to_tquery('barred claim') LIMIT 1;
	INSERT INTO bm_rows SELECT 1000 + i, 'barred claim barred', 'n' FROM generate_series(1, 50) i;
	SELECT -(body <@> to_tquery('barred claim')), bm25_score('bm_rows_idx', body, to_tquery('barred claim'))
	INTO again, expect FROM bm_rows WHERE id = best;
	DELETE FROM bm_rows WHERE id >= 1000;
	RETURN QUERY SELECT abs(first - expect) > 1e-6, abs(again - expect) < 1e-9;
END $$ LANGUAGE plpgsql;
SELECT * FROM bm_rows_after_insert();

-- an index on an expression: the scan cannot read the stored value, and the
-- score is found by the text's hash instead
CREATE TABLE bm_rows_expr (id int PRIMARY KEY, body text);
INSERT INTO bm_rows_expr SELECT id, body FROM bm_rows;
CREATE INDEX bm_rows_expr_idx ON bm_rows_expr USING bm25 ((lower(body)));
EXPLAIN (COSTS OFF) SELECT id FROM bm_rows_expr ORDER BY lower(body) <@> to_tquery('court claim') LIMIT 5;
SELECT count(*) AS rows,
	bool_and(abs(-d - bm25_score('bm_rows_expr_idx', lower(body), to_tquery('court claim'))) < 1e-9) AS same
FROM (SELECT body, lower(body) <@> to_tquery('court claim') AS d FROM bm_rows_expr
	  ORDER BY lower(body) <@> to_tquery('court claim') LIMIT 20) s;
RESET enable_seqscan;

DROP TABLE bm_rows, bm_rows_expr;
DROP FUNCTION bm_rows_check(text, int);
DROP FUNCTION bm_rows_after_insert();
