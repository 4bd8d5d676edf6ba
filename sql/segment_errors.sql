-- segment_transcript(): bad input and edge cases
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- NULL in, no rows out (STRICT); empty or blank text has no turns
SELECT count(*) FROM segment_transcript(NULL);
SELECT count(*) FROM segment_transcript(NULL, 'vtt');
SELECT count(*) FROM segment_transcript('');
SELECT count(*) FROM segment_transcript(E'  \n\n\t\n');
SELECT count(*) FROM segment_transcript('WEBVTT');

-- an unknown format names the valid ones
-- the SQLSTATE (psql keeps the last one; verbose output would also print source line numbers)
SELECT * FROM segment_transcript('Ann: hi', 'docx');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM segment_transcript('Ann: hi', '');
\echo :LAST_ERROR_SQLSTATE

-- format names are case-insensitive; aliases
SELECT f, count(*) FROM unnest(ARRAY['AUTO', 'text', 'pdf', 'script', 'rev', 'otter', 'vtt', 'webvtt',
	'zoom', 'srt', 'subrip', 'hearing', 'court', 'qa']) f, segment_transcript('Ann Lee: hi', f) GROUP BY f ORDER BY f;

-- text without labels is one unlabelled row per paragraph
SELECT ordinal, speaker, body FROM segment_transcript(E'Just words.\n\nMore words.');

-- odd input does not break it: colons, lone labels, labels without text, stray markup
SELECT count(*) FROM segment_transcript(repeat(':', 10000));
SELECT count(*) FROM segment_transcript(repeat(E'Ann:\n', 1000));
SELECT ordinal, speaker, body FROM segment_transcript(E'Ann Lee:\n\nBo Ek:');
SELECT count(*) FROM segment_transcript(E'WEBVTT\n\n00:01.000 --> \n<v\n\n-->\n<v a\n');
SELECT count(*) FROM segment_transcript(E'1\n00:00:01,000 --> 00:00:00,500\nBackwards\n', 'srt');
SELECT end_time FROM segment_transcript(E'1\n00:00:01,000 --> 00:00:00,500\nBackwards\n', 'srt');
SELECT count(*) FROM segment_transcript(repeat('word ', 20000), 'court');
SELECT count(*) FROM segment_transcript(repeat('<v ', 2000), 'vtt');

-- a name longer than a turn allows is cut, control characters in names become spaces
SELECT length(speaker) FROM segment_transcript(E'WEBVTT\n\n00:01.000 --> 00:02.000\n<v ' || repeat('é', 700) || E'>x\n');
SELECT speaker FROM segment_transcript(E'WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann\tLee>x\n');

-- a LIMIT stops early; the function is usable in a lateral join over a table
SELECT speaker FROM segment_transcript(E'Ann Lee: 1\nBo Ek: 2\nAnn Lee: 3') LIMIT 1;
CREATE TEMP TABLE raw_docs (id int, raw text);
INSERT INTO raw_docs VALUES (1, E'Ann Lee: Hello.\nBo Ek: Hi.'), (2, NULL), (3, E'WEBVTT\n\n00:01.000 --> 00:02.000\n<v Cy>Yo\n');
SELECT d.id, s.ordinal, s.speaker, s.body FROM raw_docs d, segment_transcript(d.raw) s ORDER BY 1, 2;
