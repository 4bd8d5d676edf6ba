-- title: the turn type: loading a transcript with COPY and reading it back
\set QUIET on
\pset footer off
\pset format wrapped
\pset columns 110
CREATE EXTENSION IF NOT EXISTS transcripts;
\echo
\echo '-- A transcript is a table of turns. Each line of test/fixtures/demo-turns.tsv holds'
\echo '-- a transcript id, a turn number and a turn literal: [start-end] Speaker (Affiliation): text'
CREATE TABLE briefing (transcript_id text, n int, t turn, PRIMARY KEY (transcript_id, n));
\copy briefing FROM 'test/fixtures/demo-turns.tsv'

\echo '-- The text form is what psql (and COPY TO) prints:'
SELECT n, t FROM briefing ORDER BY n LIMIT 3;

\echo '-- Accessors take the turn apart:'
SELECT n, speaker(t), affiliation(t), start_time(t), end_time(t) - start_time(t) AS duration, word_count(t)
FROM briefing ORDER BY n;

\echo '-- Who spoke how much:'
SELECT coalesce(speaker(t), '(unknown)') AS speaker, count(*) AS turns, sum(word_count(t)) AS words,
	   sum(end_time(t) - start_time(t)) AS airtime
FROM briefing GROUP BY 1 ORDER BY words DESC;

\echo '-- Build turns in SQL, and convert to and from JSON:'
SELECT turn('Lena Fischer', 'A follow-up, Minister?', affiliation => 'Harbour Daily', start_time => '00:05:10');
SELECT t::jsonb FROM briefing WHERE n = 6;
SELECT '{"speaker": "Moderator", "body": "Next question.", "start_time": 301.5}'::jsonb::turn;

\echo '-- Bad input is rejected with the position and a hint:'
\set ON_ERROR_STOP off
SELECT '[00:05:00-00:04:00] Moderator: end before start'::turn;
\set ON_ERROR_STOP on
