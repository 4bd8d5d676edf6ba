-- segment_transcript() against the reference segmentation of a real PDF-extracted transcript
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- test/fixtures/ren-interviews-cut.txt is the first 1100 lines of
-- ../shared/corpus/ren-interviews-part1.txt (preface, then the first interview with its page
-- numbers in two schemes, running headers, wrapped and double-spaced lines).  The reference
-- turns below come from ren-interviews-part1.gold.jsonl: ordinal, label line, speaker as
-- labelled, first 8 words without punctuation.
CREATE TEMP TABLE gold (ordinal int, line int, speaker text, first text);
INSERT INTO gold VALUES
	(1, 38, 'Stephen Engle', 'Good afternoon friends My name is Stephen Engle'),
	(2, 86, 'Stephen Engle', 'Now the US China trade war of course'),
	(3, 96, 'Ren', 'I think the digital economy will definitely go'),
	(4, 173, 'Stephen Engle', 'Detlef maybe I can come to you Ren'),
	(5, 185, 'Detlef Zühlke', 'Well first of all I cannot really quantify'),
	(6, 222, 'Stephen Engle', 'Kishore from a former diplomat''s perspective is there'),
	(7, 229, 'Kishore Mahbubani', 'Yes there''s a trust deficit but the question'),
	(8, 282, 'Stephen Engle', 'Liu Fei you''re a scientist You are an'),
	(9, 294, 'Liu Fei', 'I agree with you We only have a'),
	(10, 309, 'Stephen Engle', 'We all promised that we would get right'),
	(11, 323, 'Ren', 'Yes please feel free to ask me anything'),
	(12, 412, 'Stephen Engle', 'How do we then reconcile the fact that'),
	(13, 431, 'Detlef Zuehlke', 'You are absolutely right I think we are'),
	(14, 496, 'Stephen Engle', 'Kishore do you believe that there needs to'),
	(15, 500, 'Kishore Mahbubani', 'Yes but I think it''s important to understand'),
	(16, 572, 'Stephen Engle', 'We''ve seen the undermining of these multilateral bodies'),
	(17, 592, 'Liu Fei', 'I think we cannot allow a bifurcation of'),
	(18, 613, 'Stephen Engle', 'Mr Ren some in Europe including under this'),
	(19, 637, 'Ren', 'We believe the German government and parliament will'),
	(20, 693, 'Stephen Engle', 'In the six months or so since the'),
	(21, 698, 'Ren', 'First of all I would like to extend'),
	(22, 752, 'Kishore Mahbubani', 'The decision on the Entity List you could'),
	(23, 760, 'Stephen Engle', 'This one Has the West Lost It'),
	(24, 762, 'Kishore Mahbubani', 'No no no that''s my previous book And'),
	(25, 809, 'Stephen Engle', 'You seem to be dismissing the security concerns'),
	(26, 812, 'Kishore Mahbubani', 'Well there may be security concerns but why'),
	(27, 826, 'Stephen Engle', 'We''ll talk about surveillance capitalism It''s already happening'),
	(28, 842, 'Detlef Zuehlke', 'Look into our airplanes You need redundancy to'),
	(29, 894, 'Stephen Engle', 'Liu from a security perspective how do you'),
	(30, 906, 'Liu Fei', 'All vendors are subject to equipment verifications not'),
	(31, 953, 'Stephen Engle', 'Ren can you talk a little bit about'),
	(32, 979, 'Ren', 'It will definitely have an impact on us'),
	(33, 1015, 'Stephen Engle', 'Your president of corporate strategy told Bloomberg yesterday'),
	(34, 1025, 'Ren', 'I haven''t been briefed on the 20 growth'),
	(35, 1033, 'Stephen Engle', 'Worst case scenarios Best case scenarios'),
	(36, 1036, 'Ren', 'The worst case scenario is what we have'),
	(37, 1040, 'Stephen Engle', 'Wilbur Ross the US Commerce Secretary told Bloomberg'),
	(38, 1056, 'Kishore Mahbubani', 'I''m not the technical expert on this panel'),
	(39, 1093, 'Stephen Engle', 'Ren you''re smiling I think you agree'),
	(40, 1095, 'Ren', 'I very much agree with what Mahbubani said');

\set raw `cat test/fixtures/ren-interviews-cut.txt`
CREATE TEMP TABLE got AS SELECT * FROM segment_transcript(:'raw');

-- first words of a body as the reference counts them
CREATE FUNCTION pg_temp.first8(t text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(w[1], ' ' ORDER BY n) FROM (
		SELECT w, row_number() OVER () AS n
		FROM regexp_matches(t, '[[:alnum:]]+(?:[''’][[:alnum:]]+)*', 'g') w) s WHERE n <= 8 $$;

-- every reference turn is found at its line with the right speaker and text ("Detlef Zuehlke"
-- and "Detlef Zühlke" are one person, reported under the spelling seen first)
SELECT g.ordinal, g.line, g.speaker, o.speaker AS got_speaker, g.first, pg_temp.first8(o.body) AS got_first
FROM gold g LEFT JOIN got o ON o.line = g.line AND o.speaker IS NOT NULL
WHERE o.line IS NULL
	OR replace(g.speaker, 'Zuehlke', 'Zühlke') <> o.speaker
	OR g.first <> pg_temp.first8(o.body);

-- and no labelled turn appears that the reference does not have
SELECT o.ordinal, o.line, o.speaker, left(o.body, 40) FROM got o
WHERE o.speaker IS NOT NULL AND NOT EXISTS (SELECT 1 FROM gold g WHERE g.line = o.line);

SELECT count(*) AS reference_turns, (SELECT count(*) FROM got WHERE speaker IS NOT NULL) AS labelled_turns,
	(SELECT count(*) FROM got WHERE speaker IS NULL) AS preface_rows FROM gold;
SELECT speaker, count(*) FROM got GROUP BY 1 ORDER BY 2 DESC, 1;

-- pages and sections: the running header names the section; pages are counted from the
-- page-number lines and page starts
SELECT section, min(page) AS first_page, max(page) AS last_page, count(*) FROM got GROUP BY 1;

-- nothing is lost: the words of the input are the words of the bodies plus the label words
-- (now in speaker and affiliation) plus the page artefacts (page numbers, running headers)
CREATE FUNCTION pg_temp.words(t text) RETURNS SETOF text LANGUAGE sql AS $$
	SELECT w[1] FROM regexp_matches(t, '[[:alnum:]]+(?:[''’][[:alnum:]]+)*', 'g') w $$;
CREATE TEMP TABLE in_words AS SELECT pg_temp.words(:'raw') AS w;
CREATE TEMP TABLE out_words AS
	SELECT pg_temp.words(body) AS w FROM got
	UNION ALL SELECT pg_temp.words(coalesce(speaker, '') || ' ' || coalesce(affiliation, '')) FROM got;
-- in the input only: page numbers, header words, the other spelling of Zühlke
SELECT w, count(*) FROM (SELECT w FROM in_words EXCEPT ALL SELECT w FROM out_words) d GROUP BY 1 ORDER BY w COLLATE "C";
-- in the output only: the spelling Zühlke used for both
SELECT w, count(*) FROM (SELECT w FROM out_words EXCEPT ALL SELECT w FROM in_words) d GROUP BY 1 ORDER BY w COLLATE "C";
