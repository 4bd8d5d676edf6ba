-- Bringing whole transcripts in, and storing the turns (the recipes of the README)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- \copy a CSV file with one transcript per row, then segment every row into a table of turns
CREATE TABLE raw_transcripts (id text PRIMARY KEY, raw text);
\copy raw_transcripts FROM 'test/fixtures/seg-transcripts.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE turns (transcript_id text, ordinal int, section text, page int, t turn,
	PRIMARY KEY (transcript_id, ordinal));
INSERT INTO turns
SELECT r.id, s.ordinal, s.section, s.page, s.turn
FROM raw_transcripts r, segment_transcript(r.raw) s;
SELECT transcript_id, ordinal, t FROM turns ORDER BY 1, 2;
SELECT transcript_id, speaker(t), count(*) FROM turns GROUP BY 1, 2 ORDER BY 1, 2;

-- a psql variable holding a whole file
\set raw `cat test/fixtures/seg-pdf.txt`
SELECT count(*), count(speaker) AS labelled FROM segment_transcript(:'raw');

-- pg_read_file (superusers, or roles granted pg_read_server_files) reads a file the server can see;
-- the checkout may sit where the server cannot read (under /root), so the server writes a copy first
SELECT lo_from_bytea(0, convert_to(:'raw' || E'\n', 'UTF8')) AS lo \gset
SELECT lo_export(:lo, '/tmp/transcripts-regress-seg-pdf.txt') AS exported, lo_unlink(:lo) AS unlinked;
\set fixtures /tmp
SELECT count(*), count(speaker) AS labelled
FROM segment_transcript(pg_read_file(:'fixtures' || '/transcripts-regress-seg-pdf.txt'));

-- COPY ... FROM PROGRAM: wrap the file in a quote character that cannot occur in text (\x01),
-- so CSV reads the whole file, newlines included, as one value (pg_execute_server_program
-- or superuser); the path comes from a variable here, hence EXECUTE
CREATE TEMP TABLE one_file (raw text);
SELECT set_config('test.fixtures', :'fixtures', false) IS NOT NULL AS ok;
DO $$
BEGIN
	EXECUTE format('COPY one_file FROM PROGRAM %L WITH (FORMAT csv, QUOTE E''\x01'', DELIMITER E''\x02'')',
		format('printf ''\001''; cat %s; printf ''\001''', current_setting('test.fixtures') || '/transcripts-regress-seg-pdf.txt'));
END $$;
-- psql's backquotes drop the final newline of the file; the rest is the same text
SELECT rtrim(raw, E'\n') = :'raw' AS same_text FROM one_file;
SELECT count(*), count(speaker) AS labelled FROM one_file, segment_transcript(raw);
