-- segment_transcript() 0.5: a SQL function the planner inlines (only the columns a query uses are
-- computed from the turn); calls it cannot inline run segment_transcript_all; same rows either way
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- how the three functions are declared
SELECT p.proname, l.lanname, p.provolatile, p.proisstrict, p.proparallel, p.prorows,
	p.prosupport::regproc AS support, pg_get_function_result(p.oid) AS result
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.proname IN ('segment_transcript', 'segment_transcript_turns', 'segment_transcript_all')
ORDER BY 1;

CREATE TABLE inline_raw (id int PRIMARY KEY, raw text, fmt text);
\set raw `cat test/fixtures/seg-pdf.txt`
INSERT INTO inline_raw VALUES (1, :'raw', 'auto'), (2, E'WEBVTT\n\n00:01.000 --> 00:02.500\n<v Ann Lee>Hi there.\n\n00:03.000 --> 00:04.000\n<v Bo>Hello!\n', 'vtt'),
	(3, E'Susan Page (USA Today):\nGood evening.\n\nKamala Harris:\nThank you.', 'text'), (4, NULL, 'auto'), (5, 'Ann: hi', NULL);

-- a column or a constant argument: inlined, a scan of segment_transcript_turns whose output
-- has no speaker, affiliation, body or time column
EXPLAIN (COSTS OFF, VERBOSE) SELECT count(*) FROM inline_raw r, segment_transcript(r.raw, r.fmt) s;
EXPLAIN (COSTS OFF, VERBOSE) SELECT s.speaker, s.body FROM segment_transcript('Ann: hi') s;
-- a sub-select or a volatile function in an argument: segment_transcript_all
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript((SELECT raw FROM inline_raw WHERE id = 1));
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript(pg_read_file('/dev/null'));
-- so does a constant argument of more than 1 MB (inlining would copy it several times): a psql
-- variable of 1.5 MB, against the same text under 1 MB
\set big `for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do cat test/fixtures/ren-interviews-cut.txt; done`
\set small `for i in 1 2 3 4 5 6 7 8 9 10; do cat test/fixtures/ren-interviews-cut.txt; done`
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript(:'big');
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript(:'small');
SELECT (SELECT count(*) FROM segment_transcript(:'big')) AS large_constant,
	(SELECT count(*) FROM segment_transcript((SELECT :'big'))) AS sub_select;
-- a constant expression the planner folds, and the parameters of a prepared statement (custom
-- and generic plans), are inlined
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript(repeat('Ann: hi. ', 3));
PREPARE seg_q(text, text) AS SELECT count(*) FROM segment_transcript($1, $2);
EXPLAIN (COSTS OFF) EXECUTE seg_q('Ann: hi', 'text');
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE seg_q('Ann: hi', 'text');
RESET plan_cache_mode;
EXECUTE seg_q(E'Ann: hi\n\nBo: ho', 'text');
DEALLOCATE seg_q;
CREATE FUNCTION inline_count(r text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT count(*) FROM segment_transcript(r));
END $$;
SELECT inline_count(E'Ann: hi\n\nBo: ho');
DROP FUNCTION inline_count(text);
-- a call WITH ORDINALITY (never inlined) and one in a SELECT list run segment_transcript_all
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript('Ann: hi') WITH ORDINALITY;
EXPLAIN (COSTS OFF, VERBOSE) SELECT segment_transcript('Ann: hi');
-- named arguments and the default are still inlined
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_transcript(format => 'text', raw => 'Ann: hi');

-- the inlined call, segment_transcript_all, the sub-select form and the form WITH ORDINALITY
-- give the same rows, every column (the turn compared as text; NULL raw or format: no rows)
CREATE TEMP TABLE via_inline AS
SELECT r.id, s.ordinal, s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section,
	s.line, s.page, s.confidence, s.turn::text AS turn
FROM inline_raw r, segment_transcript(r.raw, r.fmt) s;
SELECT id, count(*) AS turns, count(speaker) AS labelled, sum(octet_length(body)) AS body_bytes,
	count(start_time) AS timed
FROM via_inline GROUP BY id ORDER BY id;
SELECT count(*) AS differ FROM (
	(SELECT * FROM via_inline
	 EXCEPT ALL
	 SELECT r.id, s.ordinal, s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section,
		s.line, s.page, s.confidence, s.turn::text
	 FROM inline_raw r, segment_transcript_all(r.raw, r.fmt) s)
	UNION ALL
	(SELECT r.id, s.ordinal, s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section,
		s.line, s.page, s.confidence, s.turn::text
	 FROM inline_raw r, segment_transcript_all(r.raw, r.fmt) s
	 EXCEPT ALL
	 SELECT * FROM via_inline)) d;
SELECT count(*) AS differ FROM (
	(SELECT * FROM via_inline
	 EXCEPT ALL
	 SELECT r.id, s.ordinal, s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section,
		s.line, s.page, s.confidence, s.turn::text
	 FROM inline_raw r, LATERAL segment_transcript((SELECT r.raw), (SELECT r.fmt)) s)
	UNION ALL
	(SELECT r.id, s.ordinal, s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section,
		s.line, s.page, s.confidence, s.turn::text
	 FROM inline_raw r, LATERAL segment_transcript(r.raw, r.fmt) WITH ORDINALITY s
	 EXCEPT ALL
	 SELECT * FROM via_inline)) d;
SELECT s.ordinal, s.body, s.turn FROM inline_raw r, segment_transcript(r.raw, r.fmt) s WHERE r.id = 2;
SELECT segment_transcript(raw, fmt) FROM inline_raw WHERE id = 3;
SELECT (SELECT count(*) FROM segment_transcript(NULL)) AS inlined,
	(SELECT count(*) FROM segment_transcript((SELECT NULL::text))) AS not_inlined,
	(SELECT count(*) FROM segment_transcript(NULL) WITH ORDINALITY) AS ordinality;
SELECT (SELECT count(*) FROM segment_transcript('Ann: hi', NULL)) AS inlined,
	(SELECT count(*) FROM segment_transcript((SELECT 'Ann: hi'), NULL)) AS not_inlined,
	(SELECT count(*) FROM segment_transcript('Ann: hi', NULL) WITH ORDINALITY) AS ordinality;

-- errors are those of the C function, inlined or not
SELECT * FROM segment_transcript('Ann: hi', 'docx');
SELECT * FROM segment_transcript((SELECT 'Ann: hi'), 'docx');
SELECT * FROM segment_transcript('Ann: hi', 'docx') WITH ORDINALITY;

DROP TABLE inline_raw;

-- an input of 8 MB or more stored out of line uncompressed is read into memory of the function's
-- own (huge pages): the same rows as the same text given compressed, and given in memory
CREATE TABLE inline_big (id int PRIMARY KEY, raw text);
ALTER TABLE inline_big ALTER COLUMN raw SET STORAGE EXTERNAL;
\set raw `cat test/fixtures/ren-interviews-cut.txt`
INSERT INTO inline_big SELECT 1, repeat(:'raw', ceil(9e6 / octet_length(:'raw'))::int);
ALTER TABLE inline_big ALTER COLUMN raw SET STORAGE EXTENDED;
INSERT INTO inline_big SELECT 2, repeat(:'raw', ceil(9e6 / octet_length(:'raw'))::int);
SELECT id, octet_length(raw) AS bytes, pg_column_size(raw) < 9e6 AS compressed FROM inline_big ORDER BY id;
CREATE TEMP TABLE big_turns AS
SELECT b.id, s.ordinal, s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section,
	s.line, s.page, s.confidence, s.turn::text AS turn
FROM inline_big b, segment_transcript(b.raw) s;
SELECT id, count(*) AS turns, sum(octet_length(body)) AS body_bytes FROM big_turns GROUP BY id ORDER BY id;
SELECT count(*) AS differ
FROM (SELECT * FROM big_turns WHERE id = 1) e FULL JOIN (SELECT * FROM big_turns WHERE id = 2) c USING (ordinal)
WHERE (e.speaker, e.affiliation, e.body, e.start_time, e.end_time, e.section, e.line, e.page,
	   e.confidence, e.turn) IS DISTINCT FROM
	  (c.speaker, c.affiliation, c.body, c.start_time, c.end_time, c.section, c.line, c.page,
	   c.confidence, c.turn);
SELECT count(*) AS differ
FROM (SELECT * FROM big_turns WHERE id = 1) e
	FULL JOIN (SELECT s.* FROM segment_transcript_all(repeat(:'raw', ceil(9e6 / octet_length(:'raw'))::int)) s) m
	USING (ordinal)
WHERE (e.speaker, e.affiliation, e.body, e.line, e.turn) IS DISTINCT FROM
	  (m.speaker, m.affiliation, m.body, m.line, m.turn::text);
DROP TABLE inline_big;
