SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- ---------------------------------------------------------------- parallel index build
-- A build with workers gives the same index as a serial one: the same
-- statistics, and the same scores in the same order (ties are broken by
-- document id, so equal orders mean equal document ids too).
CREATE TABLE bp_lines (n int, body text);
CREATE TEMP SEQUENCE bp_seq;
\copy bp_lines (body) FROM 'test/fixtures/analysis_turns.txt'
UPDATE bp_lines SET n = nextval('bp_seq') - 1;
-- 186 lines, 12 copies: a line alone (identical bodies tie) or two lines
-- joined; a few NULLs, which are not indexed
CREATE TABLE bp (id int, body text) WITH (parallel_workers = 2, autovacuum_enabled = off);
INSERT INTO bp
SELECT k * 1000 + a.n,
	   CASE WHEN (k * 1000 + a.n) % 97 = 0 THEN NULL
			WHEN k % 3 = 0 THEN a.body ELSE a.body || ' ' || b.body END
FROM generate_series(0, 11) k, bp_lines a, bp_lines b WHERE b.n = (a.n * 7 + k) % 186
ORDER BY k, a.n;
SELECT count(*), count(body), pg_relation_size('bp') / 8192 > 64 AS enough_blocks FROM bp;

CREATE TABLE bp_queries (q text);
INSERT INTO bp_queries VALUES ('court'), ('justice black'), ('record'), ('"the record"'),
	('question OR answer'), ('honor -court'), ('perjur*'), ('NEAR/3(court held)'), ('the');

-- results of every query through the index, rank by rank
CREATE TABLE bp_results (build text, q text, rank int, id int, score float8);
CREATE FUNCTION bp_collect(build text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	query text;
BEGIN
	SET LOCAL enable_seqscan = off;
	FOR query IN SELECT q FROM bp_queries LOOP
		INSERT INTO bp_results
		SELECT build, query, row_number() OVER (), s.id, s.score
		FROM (SELECT id, body <@> to_tquery(query) AS score FROM bp
			  ORDER BY body <@> to_tquery(query) LIMIT 40) s;
	END LOOP;
END $$;
CREATE TABLE bp_stats (build text, documents int8, total_length int8, avg_length float8, terms int8,
	segments int4, pending_documents int4, k1 float8, b float8, docids_used int8);

SET min_parallel_table_scan_size = 0;
SET maintenance_work_mem = '96MB';

-- serial
SET max_parallel_maintenance_workers = 0;
CREATE INDEX bp_idx ON bp USING bm25 (body);
INSERT INTO bp_stats SELECT 'serial', * FROM bm25_index_stats('bp_idx');
SELECT bp_collect('serial');
DROP INDEX bp_idx;

-- two workers and the leader; DEBUG1 says that they ran
SET max_parallel_maintenance_workers = 2;
SET client_min_messages = debug1;
CREATE INDEX bp_idx ON bp USING bm25 (body);
RESET client_min_messages;
INSERT INTO bp_stats SELECT 'parallel', * FROM bm25_index_stats('bp_idx');
SELECT bp_collect('parallel');

-- one worker and the leader
DROP INDEX bp_idx;
SET max_parallel_maintenance_workers = 1;
SET client_min_messages = debug1;
CREATE INDEX bp_idx ON bp USING bm25 (body);
RESET client_min_messages;
INSERT INTO bp_stats SELECT 'one worker', * FROM bm25_index_stats('bp_idx');
SELECT bp_collect('one worker');

-- with the parallel_workers reloption the planner does not cap the workers
-- by maintenance_work_mem (as for btree): 40 MB shared by two participants
DROP INDEX bp_idx;
SET maintenance_work_mem = '40MB';
SET client_min_messages = debug1;
CREATE INDEX bp_idx ON bp USING bm25 (body);
RESET client_min_messages;
INSERT INTO bp_stats SELECT 'little memory', * FROM bm25_index_stats('bp_idx');
SELECT bp_collect('little memory');
RESET maintenance_work_mem;

SELECT build, documents, total_length, round(avg_length::numeric, 6) AS avg_length, terms, segments,
	   pending_documents, docids_used
FROM bp_stats ORDER BY build COLLATE "C";
-- every build gives the same statistics ...
SELECT count(DISTINCT (documents, total_length, terms, segments, pending_documents, docids_used)) AS distinct_stats
FROM bp_stats;
-- ... and the same ranked results (nothing differs between builds)
SELECT count(*) AS results, count(DISTINCT q) AS queries FROM bp_results WHERE build = 'serial';
SELECT b.build, count(*) AS differing_ranks
FROM bp_results s JOIN bp_results b ON b.q = s.q AND b.rank = s.rank AND b.build <> 'serial'
WHERE s.build = 'serial' AND (b.id, b.score) IS DISTINCT FROM (s.id, s.score)
GROUP BY b.build ORDER BY 1;
SELECT build, count(*) FROM bp_results GROUP BY build ORDER BY build COLLATE "C";
-- ties exist (identical bodies), so the order checks document ids too
SELECT count(*) > 0 AS has_ties FROM bp_results r1 JOIN bp_results r2
	ON r1.build = r2.build AND r1.q = r2.q AND r1.rank + 1 = r2.rank AND r1.score = r2.score
WHERE r1.build = 'serial';
-- the parallel index takes inserts and vacuum like any other
INSERT INTO bp VALUES (-1, 'a brand new argument about perjury in court');
SELECT id FROM bp ORDER BY body <@> to_tquery('brand new perjury') LIMIT 1;
DELETE FROM bp WHERE id = -1;
VACUUM bp;
SELECT documents = (SELECT count(body) FROM bp) AS stats_exact FROM bm25_index_stats('bp_idx');

-- no worker can start: the build is serial
DROP INDEX bp_idx;
SET max_parallel_maintenance_workers = 2;
SET max_parallel_workers = 0;
SET client_min_messages = debug1;
CREATE INDEX bp_idx ON bp USING bm25 (body);
RESET client_min_messages;
RESET max_parallel_workers;
SELECT documents, total_length, terms FROM bm25_index_stats('bp_idx');
DROP INDEX bp_idx;

-- CREATE INDEX CONCURRENTLY builds serially, with the same result
CREATE INDEX CONCURRENTLY bp_idx ON bp USING bm25 (body);
SELECT s.documents = c.documents AND s.total_length = c.total_length AND s.terms = c.terms AS same_as_serial
FROM bm25_index_stats('bp_idx') c, bp_stats s WHERE s.build = 'serial';
DROP INDEX bp_idx;

-- an error in a worker reaches the leader, and nothing is left behind
CREATE FUNCTION bp_worker_fails(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF pg_backend_pid() <> current_setting('bp.leader')::int THEN
		RAISE EXCEPTION 'bp_worker_fails: a parallel worker analysed a row';
	END IF;
	PERFORM pg_sleep(0.01);		-- the leader is slow: the workers take ranges
	RETURN t;
END $$;
SELECT set_config('bp.leader', pg_backend_pid()::text, false) IS NOT NULL AS set;
\set VERBOSITY terse
CREATE INDEX bp_fail_idx ON bp USING bm25 (bp_worker_fails(body));
-- a statement timeout (or a cancel) stops the leader and its workers
CREATE FUNCTION bp_slow(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	PERFORM pg_sleep(0.01);
	RETURN t;
END $$;
SET statement_timeout = '300ms';
CREATE INDEX bp_slow_idx ON bp USING bm25 (bp_slow(body));
RESET statement_timeout;
\set VERBOSITY default
SELECT count(*) AS leftover_indexes FROM pg_class WHERE relname IN ('bp_fail_idx', 'bp_slow_idx');
-- the next build works
CREATE INDEX bp_idx ON bp USING bm25 (body);
SELECT documents, total_length, terms FROM bm25_index_stats('bp_idx');


-- long documents (TOASTed: the heap is one block range) and the least
-- maintenance_work_mem: the batch of a range is written out as several runs
CREATE TABLE bq (id int, body text) WITH (parallel_workers = 2);
INSERT INTO bq SELECT k, (SELECT string_agg(body, ' ' ORDER BY (n * k) % 186, n) FROM bp_lines)
FROM generate_series(1, 40) k;
INSERT INTO bq SELECT 100 + id, body FROM bq WHERE id <= 5;
DROP INDEX bp_idx;
SET enable_seqscan = off;
SET maintenance_work_mem = '1MB';
SET max_parallel_maintenance_workers = 0;
CREATE INDEX bq_idx ON bq USING bm25 (body);
CREATE TABLE bq_results AS
SELECT 'serial'::text AS build, q, s.rank, s.id, s.score
FROM bp_queries, LATERAL (SELECT row_number() OVER () AS rank, id, score
	FROM (SELECT id, body <@> to_tquery(q) AS score FROM bq ORDER BY body <@> to_tquery(q) LIMIT 50) x) s;
CREATE TABLE bq_stats AS SELECT 'serial'::text AS build, * FROM bm25_index_stats('bq_idx');
DROP INDEX bq_idx;
SET max_parallel_maintenance_workers = 2;
SET client_min_messages = debug1;
CREATE INDEX bq_idx ON bq USING bm25 (body);
RESET client_min_messages;
INSERT INTO bq_results
SELECT 'parallel', q, s.rank, s.id, s.score
FROM bp_queries, LATERAL (SELECT row_number() OVER () AS rank, id, score
	FROM (SELECT id, body <@> to_tquery(q) AS score FROM bq ORDER BY body <@> to_tquery(q) LIMIT 50) x) s;
INSERT INTO bq_stats SELECT 'parallel', * FROM bm25_index_stats('bq_idx');
RESET maintenance_work_mem;
RESET enable_seqscan;
SELECT build, documents, total_length, terms, segments, docids_used FROM bq_stats ORDER BY build COLLATE "C";
SELECT count(*) AS results,
	   count(*) FILTER (WHERE (p.id, p.score) IS DISTINCT FROM (s.id, s.score)) AS differing_ranks
FROM bq_results s LEFT JOIN bq_results p ON p.build = 'parallel' AND p.q = s.q AND p.rank = s.rank
WHERE s.build = 'serial';

RESET max_parallel_maintenance_workers;
RESET min_parallel_table_scan_size;
DROP TABLE bp, bp_lines, bp_queries, bp_results, bp_stats, bq, bq_results, bq_stats;
DROP FUNCTION bp_collect(text);
DROP FUNCTION bp_worker_fails(text);
DROP FUNCTION bp_slow(text);
