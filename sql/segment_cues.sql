-- segment_transcript(): timed captions (WebVTT, Zoom's VTT, SubRip)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;
SET IntervalStyle = postgres;

-- WebVTT voices: hour-less times, consecutive cues of one voice merge into one turn spanning
-- their times, class annotations, a cue with two voices, other tags stripped, entities,
-- NOTE and STYLE blocks, cue identifiers, a byte order mark and CRLF line ends
SELECT ordinal, speaker, start_time, end_time, line, confidence, body
FROM segment_transcript(E'\uFEFFWEBVTT - a test\r\n\r\nNOTE this is a comment\r\nover two lines\r\n\r\n'
	'STYLE\r\n::cue { color: lime }\r\n\r\n'
	'intro\r\n00:11.000 --> 00:13.000\r\n<v Roger Bingham>We are in New York City\r\n\r\n'
	'00:13.000 --> 00:16.000 align:start\r\n<v Roger Bingham>at the <i>Lucern</i> Hotel &amp; more\r\n\r\n'
	'00:16.500 --> 00:18.250\r\n<v.loud Neil deGrasse Tyson>Didn''t we talk?</v>\r\n\r\n'
	'00:18.250 --> 00:19.000\r\n<v.first.loud Roger>No!</v> <v Neil deGrasse Tyson><c.laugh>Laughs</c>\r\n\r\n'
	'01:00:00.000 --> 01:00:01.000\r\n<v Roger><00:00:00.500>Late cue\r\n');

-- voices without a name, with a missing ">" or a missing "</v>": the words are kept
SELECT ordinal, speaker, body FROM segment_transcript(E'WEBVTT\n\n00:00.000 --> 00:02.000\n<v It''s a blue apple tree!\n');
SELECT ordinal, speaker, body FROM segment_transcript(E'WEBVTT\n\n00:00.000 --> 00:02.000\n<v>It''s a blue apple tree!\n');
SELECT ordinal, speaker, body FROM segment_transcript(E'WEBVTT\n\n00:00.000 --> 00:02.000\n<v Joe>Hee!</v> Hee!\n');

-- Zoom: "Name: text" inside cues, names with periods, cues without a name continue the
-- speaker, two speakers in one cue
SELECT ordinal, speaker, start_time, end_time, body FROM segment_transcript(E'WEBVTT\n\n'
	'1\n00:00:00.050 --> 00:00:01.790\nSrijani Ghosh: Hi!\n\n'
	'2\n00:00:02.070 --> 00:00:04.050\nDr. Melissa Ko: let''s see.\n\n'
	'3\n00:00:04.100 --> 00:00:05.000\nand more.\n\n'
	'4\n00:00:05.140 --> 00:00:08.310\nSrijani Ghosh: Hello!\nConor Healy: Hi there.\n', 'zoom');

-- no names at all: "- " dash lines and ">>" arrows change the speaker; [Name] in SDH captions
SELECT ordinal, speaker, start_time, end_time, body FROM segment_transcript(E'WEBVTT\n\n'
	'1\n00:00:07.960 --> 00:00:09.480 position:50.00%,middle\n[Alba] <i>En 1928,</i>\n\n'
	'2\n00:00:09.640 --> 00:00:13.080\n<i>las mujeres éramos</i>\n<i>algo así</i>\n\n'
	'3\n00:00:13.240 --> 00:00:16.440\n- Déjala.\n- Tú no te metas.\n\n'
	'4\n00:00:16.500 --> 00:00:17.000\n[ríen]\n\n'
	'5\n00:00:17.000 --> 00:00:18.000\n>> Hello, Brian.\n\n'
	'6\n00:00:18.000 --> 00:00:19.000\n>> Hey, Michael.\n');

-- SubRip: numbers, "," before milliseconds, dash dialogue, tags, Name: prefixes
SELECT ordinal, speaker, start_time, end_time, line, body FROM segment_transcript(E'1\n00:00:01,000 --> 00:00:04,074\n'
	'CE FILM RELATE DES ÉVÉNEMENTS\n\n2\n00:00:04,200 --> 00:00:06,000\n<i>QUI ONT EXISTÉ.</i>\n\n'
	'3\n00:02:49,683 --> 00:02:52,618\n- Tu es à l''antenne.\n- Là, maintenant?\n\n'
	'4\n00:02:53,000 --> 00:02:54,000\n{\\an8}RON: Quoi?\n\n'
	'5\n00:02:54,100 --> 00:02:55,000\nVoyons, Audrey!\n');

-- the same file named explicitly, and an hour past 99
SELECT count(*) FROM segment_transcript(E'1\n00:00:01,000 --> 00:00:02,000\nHi\n', 'srt');
SELECT start_time, end_time FROM segment_transcript(E'WEBVTT\n\n123:00:00.000 --> 123:00:01.500\nLong\n');
