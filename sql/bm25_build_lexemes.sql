SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- ---------------------------------------------------------------- what a build indexes
-- CREATE INDEX feeds the analysed tokens straight into the index batch, with
-- each token text's term codes kept in the lexeme cache; rows inserted later
-- go through a document built term by term.  Both must index the same
-- postings, whatever the dictionaries give: several lexemes for one token
-- (an ispell dictionary: 'bookings' is booking and book, 'footballklubber'
-- gives klubber twice), stop words that keep their place, compounds and
-- their parts at one position, lexemes the stemmer changes.
CREATE TEXT SEARCH DICTIONARY bl_ispell (TEMPLATE = ispell, DictFile = ispell_sample, AffFile = ispell_sample);
ALTER TEXT SEARCH CONFIGURATION transcripts ALTER MAPPING FOR word WITH bl_ispell, english_stem;
SELECT w, ts_lexize('bl_ispell', w) FROM unnest(array['bookings', 'skies', 'footballklubber']) w;

CREATE TABLE bl_text (id int, body text);
INSERT INTO bl_text
SELECT i, concat_ws(' ',
	(array['The bookings of the', 'skies over the', 'a footballklubber and its', 'e-mail about'])[1 + i % 4],
	(array['booking', 'sky', 'football', 'court held that', 'the e-mail bookings'])[1 + i % 5],
	repeat('skies booking ', i % 3), 'record ' || i,
	CASE WHEN i % 7 = 0 THEN 'the bookings the skies the footballklubber' END)
FROM generate_series(1, 300) i;
-- the same rows twice: indexed by CREATE INDEX, and inserted into an index
-- made on the empty table (no merge runs: the rows stay in the pending list)
CREATE TABLE bl_built AS SELECT * FROM bl_text;
CREATE INDEX bl_built_idx ON bl_built USING bm25 (body);
CREATE TABLE bl_inserted (id int, body text);
CREATE INDEX bl_inserted_idx ON bl_inserted USING bm25 (body) WITH (pending_limit = 100000);
INSERT INTO bl_inserted SELECT * FROM bl_text;

CREATE FUNCTION bl_top(tbl regclass, q text) RETURNS TABLE (rank bigint, id int, score float8)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format(
		'SELECT row_number() OVER (), id, d FROM (SELECT id, body <@> to_tquery(%L) AS d FROM %s
		 ORDER BY body <@> to_tquery(%L) LIMIT 40) s', q, tbl, q);
END $$;
SET enable_seqscan = off;
-- every query gives the same rows, in the same order, with the same scores
-- (to the last bits: the pending list sums a query's lexemes in another
-- order), and those are the rows' bm25_score() (which analyses the text
-- afresh)
SELECT q, count(*) AS rows,
	bool_and(b.id = i.id AND abs(b.score - i.score) < 1e-12) AS same,
	bool_and(abs(-b.score - bm25_score('bl_built_idx', t.body, to_tquery(q))) < 1e-9) AS scored
FROM unnest(array['book', 'booking', 'bookings', 'sky', 'klubber', 'ball', 'football', 'e-mail', 'mail',
	'"bookings of the skies"', '"the e-mail"', '"footballklubber and"', 'NEAR/2(booking record)',
	'court OR klubber', 'record']) q,
	LATERAL bl_top('bl_built', q) b JOIN LATERAL bl_top('bl_inserted', q) i USING (rank)
	JOIN bl_text t ON t.id = b.id
GROUP BY q ORDER BY q;
-- the document lengths agree too: the statistics of the two indexes
SELECT (SELECT bm25_score('bl_built_idx', body, to_tquery('record 7')) FROM bl_text WHERE id = 7) =
	(SELECT bm25_score('bl_inserted_idx', body, to_tquery('record 7')) FROM bl_text WHERE id = 7) AS same_stats;
RESET enable_seqscan;

ALTER TEXT SEARCH CONFIGURATION transcripts ALTER MAPPING FOR word WITH english_stem;
DROP TABLE bl_text, bl_built, bl_inserted;
DROP FUNCTION bl_top(regclass, text);
DROP TEXT SEARCH DICTIONARY bl_ispell;
