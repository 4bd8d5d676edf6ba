-- segment_transcript's rows are the same whether they stay in memory or spill from work_mem to
-- a temporary file, every body is the same in the body column and in the turn, and a call per
-- row (LATERAL) gives the same rows each time
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

\set raw `cat test/fixtures/ren-interviews-cut.txt`
-- 20 copies: about 770 kB of input, some 1.7 MB of result rows
CREATE TEMP TABLE big AS SELECT repeat(:'raw', 20) AS raw;
SET work_mem = '64kB';
CREATE TEMP TABLE spilled AS SELECT * FROM segment_transcript((SELECT raw FROM big));
SET work_mem = '64MB';
CREATE TEMP TABLE kept AS SELECT * FROM segment_transcript((SELECT raw FROM big));
RESET work_mem;

SELECT count(*) AS turns, count(DISTINCT speaker) AS speakers, min(ordinal), max(ordinal),
	sum(octet_length(body)) AS body_bytes, count(*) FILTER (WHERE body(turn) <> body) AS body_differs
FROM kept;
SELECT count(*) AS rows_differing
FROM spilled s FULL JOIN kept k USING (ordinal)
WHERE (s.speaker, s.affiliation, s.body, s.start_time, s.end_time, s.section, s.line, s.page,
	   s.confidence, s.turn::text)
	IS DISTINCT FROM
	  (k.speaker, k.affiliation, k.body, k.start_time, k.end_time, k.section, k.line, k.page,
	   k.confidence, k.turn::text);
-- the 20 copies hold the turns of one copy, over and over
SELECT count(DISTINCT (speaker, body)) AS distinct_turns FROM kept;

-- a call per row: 30 calls, the same rows each time
SELECT count(*) AS rows, count(DISTINCT g) AS calls, count(DISTINCT (s.ordinal, md5(s.body))) AS distinct_rows
FROM generate_series(1, 30) g, segment_transcript(:'raw') s;
SET work_mem = '64kB';
SELECT count(*) AS rows, count(DISTINCT (s.ordinal, md5(s.body))) AS distinct_rows
FROM generate_series(1, 30) g, segment_transcript(:'raw') s;
RESET work_mem;
