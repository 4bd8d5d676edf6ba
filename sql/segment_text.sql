-- segment_transcript(): prose transcripts (PDF text, Name: scripts, labels on their own line, Rev, Otter)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;
SET IntervalStyle = postgres;

-- A fictional briefing in the layout of text extracted from a PDF: page numbers, a running
-- header repeated after each page number (the section), page starts marked by one leading
-- space, a label with affiliation wrapped over two lines, line-end hyphens of three kinds,
-- and prose colons that are not labels.
\set raw `cat test/fixtures/seg-pdf.txt`
SELECT ordinal, speaker, affiliation, line, page, section, confidence
FROM segment_transcript(:'raw');
SELECT ordinal, body FROM segment_transcript(:'raw');

-- 'pdf' and 'text' name the same format that 'auto' chose
SELECT count(*) AS differing FROM (
	(SELECT * FROM segment_transcript(:'raw', 'pdf') EXCEPT SELECT * FROM segment_transcript(:'raw'))
	UNION ALL
	(SELECT * FROM segment_transcript(:'raw') EXCEPT SELECT * FROM segment_transcript(:'raw', 'TEXT'))) d;

-- the turn column carries the same parts
SELECT ordinal, turn FROM segment_transcript(:'raw') WHERE ordinal IN (3, 4, 11);
SELECT bool_and(speaker(turn) IS NOT DISTINCT FROM speaker
		AND affiliation(turn) IS NOT DISTINCT FROM affiliation
		AND body(turn) = body) AS consistent
FROM segment_transcript(:'raw');

-- prose colons are not labels: a sentence, a phrase with lower-case words, a single word
-- that is never used as a label again (book title, list item), a URL, a clock time
SELECT ordinal, speaker, body FROM segment_transcript(E'Ann Lee: We start.\n\n'
	'Let me tell you this: it works.\n\n'
	'The answer to my question: yes.\n\n'
	'During a test, senior executives were asked: why?\n\n'
	'Huawei: Leadership, Culture, and Connectivity is a book.\n\n'
	'Minimalist: the West should interfere less.\n\n'
	'See https://example.org for more.\n\n'
	'At 10:30 we stop.\n\n'
	'Tom Roe: Fine.');

-- a label continues a sentence only if the line before ends one: "named" leaves it open
SELECT ordinal, speaker, body FROM segment_transcript(E'Ren: There is a book named\n'
	'Huawei: Leadership, which I like.\n\nRen: Yes.\n\nAnna Fifield: Good.');

-- one speaker per person (a one-word name is a label when it recurs): affiliation only where the label has one; umlaut spellings agree;
-- particles and diacritics; "Name, Org :" with a space; consecutive labels of one speaker
-- stay separate turns, unlabelled paragraphs stay with the turn
SELECT ordinal, speaker, affiliation, line, body FROM segment_transcript(E'Nathan VanderKlippe, Asia Correspondent, The Globe\n\n'
	'and Mail: First question.\n\nRen: Answer.\n\nSecond paragraph of the answer.\n\n'
	'Nathan VanderKlippe: So?\n\nRen: So.\n\n'
	'Nathan VanderKlippe: Next.\n\nNathan VanderKlippe: And another.\n\n'
	'Detlef Zühlke: Hallo.\n\nDetlef Zuehlke: Again.\n\n'
	'María José de la Fuente, El País : ¿Y ahora?\n\nIgnacio del Castillo: Ahora.');

-- roles without names
SELECT ordinal, speaker, body FROM segment_transcript(E'Q: Who?\nA: Me.\nAudience: Louder!\n'
	'Journalist: Why?\nModerator: Next.\nSpeaker 2: Hello.\nUnknown Speaker: Hm.');

-- text before the first label is kept, one row per paragraph, without a speaker
SELECT ordinal, speaker, line, body FROM segment_transcript(E'TITLE PAGE\n\nA preface\nin two lines.\n\nJo Park: Hi.');

-- labels on their own line (debate transcripts), the text on the next lines
SELECT ordinal, speaker, line, body FROM segment_transcript(E'Susan Page:\nGood evening.\nWelcome.\n\n'
	'Kamala Harris:\nThank you, Susan-\n\nSusan Page:\nThank you, Senator Harris-\n\n'
	'Kamala Harris:\n... right to reelection. [crosstalk]');

-- Rev: "Name (00:10):" on its own line fills start_time; "(02:10):" alone continues the speaker
SELECT ordinal, speaker, start_time, line, body FROM segment_transcript(E'---\ntitle: An episode\n---\n\n'
	'# An episode\n\n## Transcript\n\nLenny Rachitsky (00:00):\nFirst question.\n\n'
	'Seth Godin (00:10):\nFirst answer.\n\n(01:05):\nMore of the answer.\n\n'
	'Lenny Rachitsky (1:02:03):\nThanks.\n\nSpeaker 1: (01:12:04.5) Bye.');

-- Otter and Zoom: "Name  0:00" header lines, a footer that belongs to nobody
SELECT ordinal, speaker, start_time, body FROM segment_transcript(E'Emma  0:00  \nIt is more important than ever.\n\n'
	'Kelly  0:34  \nWelcome to the podcast.\n\nUnknown Speaker  1:02:35  \nI am Kelly.\n\n'
	'Emma  1:03:01  \nAnd I am Emma.\n\nTranscribed by https://otter.ai');

-- page numbers in other schemes, a form feed, a footer repeated before page numbers
SELECT ordinal, speaker, page, section, body FROM segment_transcript(E'Alex Doe: One\n\nPress notes\n\nPage 1 of 3\n'
	'\f Two.\n\nBea Roe: Three\n\nPress notes\n\nPage 2 of 3\n\fFour.\n\nAlex Doe: Five.\n\nPress notes\n\n- 3 -\n');
