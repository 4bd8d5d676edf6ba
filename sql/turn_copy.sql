-- COPY of turns: text, CSV and binary round trips; a bad row fails the whole COPY.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

CREATE TABLE copy_src (id int, t turn);
INSERT INTO copy_src VALUES
	(1, 'Ren: We believe'),
	(2, '[00:01:02.500-00:01:09] Nathan VanderKlippe (Asia Correspondent, The Globe and Mail): A question, with a comma.'),
	(3, ': unknown speaker'),
	(4, '"Dr. Ko: MD" ("Clinic ""North"""): quotes, colons, "brackets" [x]'),
	(5, E'Ren: two lines\nand a tab\there, and a backslash \\ too'),
	(6, 'Mavi Doñate: diacritics ñ é 中文'),
	(7, NULL),
	(8, '[-00:00:05] (Audience): end only');

-- text format
\copy copy_src TO 'results/turns.txt'
CREATE TABLE copy_txt (LIKE copy_src);
\copy copy_txt FROM 'results/turns.txt'
-- CSV
\copy copy_src TO 'results/turns.csv' (FORMAT csv)
CREATE TABLE copy_csv (LIKE copy_src);
\copy copy_csv FROM 'results/turns.csv' (FORMAT csv)
-- binary
\copy copy_src TO 'results/turns.bin' (FORMAT binary)
CREATE TABLE copy_bin (LIKE copy_src);
\copy copy_bin FROM 'results/turns.bin' (FORMAT binary)

SELECT 'text' AS format, count(*) AS rows, count(*) FILTER (WHERE s.t IS NOT DISTINCT FROM c.t) AS identical
FROM copy_src s JOIN copy_txt c USING (id)
UNION ALL
SELECT 'csv', count(*), count(*) FILTER (WHERE s.t IS NOT DISTINCT FROM c.t) FROM copy_src s JOIN copy_csv c USING (id)
UNION ALL
SELECT 'binary', count(*), count(*) FILTER (WHERE s.t IS NOT DISTINCT FROM c.t) FROM copy_src s JOIN copy_bin c USING (id);

-- the binary form is pinned: version 1, flags, counted strings, int64 milliseconds
SELECT turn_send('[00:00:01.5-00:00:02] Ren (H): a') AS wire;

-- recv validates as strictly as text input: crafted binary values go through COPY (FORMAT binary)
CREATE TABLE wire (label text, bytes bytea);
INSERT INTO wire VALUES
	('good', '\x01010000000352656e0000000161'),
	('nul in body', '\x01010000000352656e00000003610062'),
	('nul in speaker', '\x01010000000352006e0000000161'),
	('unknown version', '\x02010000000352656e0000000161'),
	('unknown flag', '\x01810000000352656e0000000161'),
	('truncated', '\x0101000000035265'),
	('junk after body', '\x01010000000352656e0000000161ff'),
	('end before start', '\x010c00000000000007d000000000000003e80000000161'),
	('empty speaker', '\x0101000000000000000161'),
	('negative length', '\x0101ffffffff0000000161'),
	('overlong speaker', decode('01010000' || '03e9' || repeat('78', 1001) || '0000000161', 'hex'));
CREATE TABLE wire_in (t turn);
\copy (SELECT bytes FROM wire WHERE label = 'good') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'nul in body') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'nul in speaker') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'unknown version') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'unknown flag') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'truncated') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'junk after body') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'end before start') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'empty speaker') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'negative length') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
\copy (SELECT bytes FROM wire WHERE label = 'overlong speaker') TO 'results/wire.bin' (FORMAT binary)
\copy wire_in FROM 'results/wire.bin' (FORMAT binary)
SELECT t FROM wire_in;

-- a COPY of 10,000 rows with one bad row in the middle fails with the line number and loads nothing
CREATE TABLE copy_many (id int, t turn);
\copy (SELECT i, CASE WHEN i = 5000 THEN '[00:00:09-00:00:01] Ren: end before start' ELSE format('[%s] Speaker %s: turn number %s', i, i % 7, i) END FROM generate_series(1, 10000) i) TO 'results/many.txt'
\copy copy_many FROM 'results/many.txt'
SELECT count(*) AS rows_after_failed_copy FROM copy_many;
-- without the bad row all 10,000 load
\copy (SELECT i, format('[%s] Speaker %s: turn number %s', i, i % 7, i) FROM generate_series(1, 10000) i) TO 'results/many.txt'
\copy copy_many FROM 'results/many.txt'
SELECT count(*) AS rows_after_good_copy, count(DISTINCT t) AS distinct_turns FROM copy_many;

DROP TABLE copy_src, copy_txt, copy_csv, copy_bin, copy_many, wire, wire_in;
