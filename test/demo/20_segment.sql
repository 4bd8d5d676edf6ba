-- title: segmenting raw transcripts into speaker turns
\set QUIET on
\pset footer off
\pset format wrapped
\pset columns 110
CREATE EXTENSION IF NOT EXISTS transcripts;
\echo
\echo '-- test/fixtures/demo-briefing.txt is a briefing as text extracted from a PDF: page numbers,'
\echo '-- a running header after them, labels with affiliations wrapped over lines, a hyphen at a'
\echo '-- line end, a sentence broken across pages. Load the whole file into a psql variable:'
\set raw `cat test/fixtures/demo-briefing.txt`
SELECT ordinal, speaker, affiliation, line, page, section, confidence FROM segment_transcript(:'raw');

\echo '-- The bodies: page numbers and headers removed, wrapped lines and the broken sentence'
\echo '-- rejoined, "self-" + "reliance" kept as one compound word:'
SELECT ordinal, speaker, body FROM segment_transcript(:'raw');

\echo '-- Store the turns: one row per turn, with the turn value for the turn functions.'
CREATE TABLE briefing_turns AS
SELECT 'spring-briefing' AS transcript_id, ordinal, section, page, turn
FROM segment_transcript(:'raw');
SELECT ordinal, turn FROM briefing_turns ORDER BY ordinal;
SELECT coalesce(speaker(turn), '(no speaker)') AS speaker, count(*) AS turns, sum(word_count(turn)) AS words
FROM briefing_turns GROUP BY 1 ORDER BY words DESC;

\echo '-- Subtitles and meeting captions work the same way (format auto-detected): WebVTT voices,'
\echo '-- consecutive cues of one voice merged into one turn that spans their times.'
SELECT ordinal, speaker, start_time, end_time, body FROM segment_transcript($vtt$WEBVTT

00:01.000 --> 00:03.500
<v Lena Fischer>The quay opens in May.

00:03.500 --> 00:05.000
<v Lena Fischer>Fares stay the same.

00:05.200 --> 00:06.000
<v.loud Tom Okafor>And on Sundays?
$vtt$);

\echo '-- An unknown format is an error that lists the valid ones:'
\set ON_ERROR_STOP off
SELECT * FROM segment_transcript('Ann: hi', 'docx');
\set ON_ERROR_STOP on
