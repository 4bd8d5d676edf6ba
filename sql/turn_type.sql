-- The turn type: literals, accessors, constructor, JSON, comparison.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- every literal form, and its canonical output
SELECT lit, lit::turn AS turn
FROM (VALUES
	('Ren: We believe in openness.'),
	('  Ren  :   two leading spaces stay in the body'),
	('[00:01:02.500-00:01:09] Ren: We believe ...'),
	('[1:02-1:09.25] Ren: minutes and seconds'),
	('[75.5] Ren: plain seconds, start only'),
	('[-00:00:05] Ren: end only'),
	('[ 00:00:01 - 00:00:02 ]Ren: spaces inside the span'),
	('Nathan VanderKlippe (Asia Correspondent, The Globe and Mail): Thank you.'),
	(': an unknown speaker'),
	('(Audience): an unknown speaker with an affiliation'),
	('[00:00:03]: unknown speaker with a time'),
	('"Dr. Ko: MD": a name with a colon'),
	('"Ren ""the founder""": a name with quotes'),
	('"[inaudible]": a name with brackets'),
	('Ren ("Huawei (Shenzhen)"): an affiliation with parentheses'),
	('Mavi Doñate (RTVE): diacritics'),
	('Ren:'),
	('Ren: body: with colons [and brackets] ("quotes")'),
	(E'Ren: line one\nline two\ttabbed')
) v(lit);

-- output is a fixpoint of input
SELECT count(*) AS not_fixpoints
FROM (VALUES ('[00:01:02.500-00:01:09] Ren: x'), ('"A: B" ("x (y)"): z'), (': u'), ('"Ren ""x""": y'),
			 ('(Audience): a'), ('[-00:00:05] Ren: e')) v(lit)
WHERE lit::turn::text::turn::text <> lit::turn::text;

-- accessors
SELECT speaker(t), affiliation(t), body(t), start_time(t), end_time(t), word_count(t)
FROM (VALUES ('[00:01:02.500-00:01:09] Nathan VanderKlippe (The Globe and Mail): Is 5G safe? Yes -- it is.'::turn),
			 (': unknown'::turn),
			 ('Ren:'::turn)) v(t);

-- constructor, with named and defaulted arguments
SELECT turn('Ren', 'We believe');
SELECT turn('Ren', 'We believe', affiliation => 'Huawei', start_time => '1 min 2.5 s', end_time => '00:01:09');
SELECT turn(NULL, 'unknown speaker');
SELECT turn('Ren', NULL) IS NULL AS null_body_gives_null;
SELECT turn('A: B', 'needs quotes', 'x (y)');
SELECT turn('Ren', 'x', start_time => '1 day 2 hours');

-- bad literals: each error names the position and gives a hint
\set VERBOSITY default
SELECT ''::turn;
SELECT '   '::turn;
SELECT 'Ren'::turn;
SELECT 'Ren said hello'::turn;
SELECT '"Ren: unterminated'::turn;
SELECT '"Ren"x: junk after a quoted name'::turn;
SELECT '"": empty quoted name'::turn;
SELECT 'Ren "the founder": quote in a bare name'::turn;
SELECT 'Ren [CEO]: bracket in a bare name'::turn;
SELECT E'Re\x01n: control character'::turn;
SELECT 'Ren (Huawei: unterminated affiliation'::turn;
SELECT 'Ren (): empty affiliation'::turn;
SELECT 'Ren (Huawei) x: junk after the affiliation'::turn;
SELECT '[00:01:02 Ren: unterminated span'::turn;
SELECT '[] Ren: empty span'::turn;
SELECT '[00:0x:02] Ren: bad time'::turn;
SELECT '[00:01:02.5000] Ren: sub-millisecond'::turn;
SELECT '[00:61:00] Ren: minutes out of range'::turn;
SELECT '[00:00:75] Ren: seconds out of range'::turn;
SELECT '[1:2:3:4] Ren: four fields'::turn;
SELECT '[00:00:09-00:00:01] Ren: end before start'::turn;
SELECT '[100000:00:00] Ren: out of range'::turn;
SELECT (repeat('x', 1001) || ': overlong speaker')::turn;
SELECT ('Ren (' || repeat('x', 1001) || '): overlong affiliation')::turn;
SELECT turn('', 'empty speaker');
SELECT turn('Ren', 'x', start_time => '-1 s');
SELECT turn('Ren', 'x', start_time => '1 month');
SELECT turn('Ren', 'x', start_time => '1.0005 s');
SELECT turn('Ren', 'x', start_time => '2 s', end_time => '1 s');
SELECT turn(E'Re\nn', 'newline in a name');
\set VERBOSITY terse
-- SQLSTATEs
DO $$
DECLARE lit text;
BEGIN
	FOREACH lit IN ARRAY ARRAY['', 'Ren', '"Ren: x', '[00:00:09-00:00:01] Ren: x', repeat('x', 1001) || ': y', '[00:00:00.1234] R: x']
	LOOP
		BEGIN
			PERFORM lit::turn;
		EXCEPTION WHEN OTHERS THEN
			RAISE NOTICE '% -> %', left(lit, 30), SQLSTATE;
		END;
	END LOOP;
END $$;
\set VERBOSITY default

-- JSON casts
SELECT t::jsonb, t::json
FROM (VALUES ('[00:01:02.500-00:01:09] Ren (Huawei): hi'::turn), (': unknown'::turn)) v(t);
SELECT '{"speaker": "Ren", "body": "hi", "start_time": 62.5, "end_time": "00:01:09"}'::jsonb::turn;
SELECT '{"speaker": null, "affiliation": "Audience", "body": "question?"}'::json::turn;
SELECT count(*) AS json_round_trip_failures
FROM (VALUES ('[00:01:02.500-00:01:09] Ren (Huawei): hi'::turn), (': u'::turn), ('"A: B": x'::turn)) v(t)
WHERE t::jsonb::turn <> t OR t::json::turn <> t;
SELECT '[1, 2]'::jsonb::turn;
SELECT '{"speaker": "Ren"}'::jsonb::turn;
SELECT '{"speaker": "Ren", "body": "x", "colour": "red"}'::jsonb::turn;
SELECT '{"speaker": 7, "body": "x"}'::jsonb::turn;
SELECT '{"body": "x", "start_time": 1.0005}'::jsonb::turn;
SELECT '{"body": "x", "start_time": -1}'::jsonb::turn;
SELECT '{"body": "x", "start_time": "1:xx"}'::jsonb::turn;

-- comparison, ordering, hashing: DISTINCT, GROUP BY, UNIQUE, hash and merge joins
CREATE TABLE turns_cmp (id int, t turn);
INSERT INTO turns_cmp VALUES
	(1, 'Ren: a'), (2, 'Ren: a'), (3, 'Ren: b'), (4, '[00:00:01] Ren: a'),
	(5, ': a'), (6, 'Ren (Huawei): a'), (7, '[00:00:01-00:00:02] Ren: a'), (8, 'Abe: a');
SELECT t FROM turns_cmp ORDER BY t, id;
SELECT DISTINCT t FROM turns_cmp ORDER BY t;
SELECT t, count(*) FROM turns_cmp GROUP BY t ORDER BY t;
SELECT 'Ren: a'::turn = 'Ren: a'::turn AS eq, 'Ren: a'::turn <> 'Ren: b'::turn AS ne,
	   'Ren: a'::turn < 'Ren: b'::turn AS lt, turn_cmp('Ren: b', 'Ren: a') AS cmp;
SELECT turn_hash('Ren: a') = turn_hash(turn('Ren', 'a')) AS hash_equal,
	   turn_hash_extended('Ren: a', 7) = turn_hash_extended(turn('Ren', 'a'), 7) AS hash_ext_equal;
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM turns_cmp a JOIN turns_cmp b ON a.t = b.t;
SELECT count(*) FROM turns_cmp a JOIN turns_cmp b ON a.t = b.t;
RESET enable_mergejoin; SET enable_hashjoin = off;
SELECT count(*) FROM turns_cmp a JOIN turns_cmp b ON a.t = b.t;
RESET enable_hashjoin; RESET enable_nestloop;
CREATE UNIQUE INDEX ON turns_cmp (t) WHERE id <> 2;
INSERT INTO turns_cmp VALUES (9, 'Ren: b');
CREATE INDEX turns_cmp_hash ON turns_cmp USING hash (t);
SET enable_seqscan = off;
SELECT id FROM turns_cmp WHERE t = 'Ren (Huawei): a';
RESET enable_seqscan;
CREATE TABLE turns_part (t turn) PARTITION BY HASH (t);
CREATE TABLE turns_part_0 PARTITION OF turns_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE turns_part_1 PARTITION OF turns_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO turns_part SELECT t FROM turns_cmp;
SELECT count(*) FROM turns_part;

-- large bodies are TOASTed and compressed
CREATE TABLE turns_big (t turn);
INSERT INTO turns_big SELECT turn('Ren', repeat('We believe in openness. ', 100000));
SELECT word_count(t), length(body(t)), pg_column_size(t) < 100000 AS compressed FROM turns_big;
SELECT pg_relation_size(reltoastrelid) > 0 AS toasted FROM pg_class WHERE relname = 'turns_big';

DROP TABLE turns_cmp, turns_part, turns_big;
