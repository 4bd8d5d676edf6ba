SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- the parser's token types
SELECT tokid, alias, description FROM ts_token_type('transcripts_parser') ORDER BY tokid;

-- ASCII words, case folding, stop words (position kept, lexeme NULL)
SELECT * FROM tokens('The Court  HEARD it, twice!');
SELECT * FROM tokens('The Court heard it', 'transcripts_nostop');

-- apostrophes: possessives go, inner apostrophes stay; curly ones become ASCII
SELECT token, type, lexeme FROM tokens('Ren''s O’Brien’s don''t don’t James'' rock''n''roll');
SELECT to_tsvector('transcripts', 'Ren''s book') @@ to_tsquery('transcripts', 'ren') AS ren,
       to_tsvector('transcripts', 'don’t') @@ plainto_tsquery('transcripts', 'don''t') AS dont;

-- accents, NFKC (ligature, fullwidth), full case folding (ß -> ss)
SELECT token, type, lexeme FROM tokens('Doñate CAFÉ naïve ﬁne ＡＢＣ Straße İstanbul Άθηνα');
SELECT to_tsvector('transcripts', 'Father Doñate spoke') @@ to_tsquery('transcripts', 'donate') AS donate,
       to_tsvector('transcripts', 'Father donate spoke') @@ to_tsquery('transcripts', 'Doñate') AS donate_rev,
       to_tsvector('transcripts', 'the ﬁnal word') @@ to_tsquery('transcripts', 'final') AS ligature,
       to_tsvector('transcripts', 'ＦＢＩ agents') @@ to_tsquery('transcripts', 'fbi') AS fullwidth,
       to_tsvector('transcripts', 'Straße') @@ to_tsquery('transcripts', 'STRASSE') AS sharp_s,
       to_tsvector('english', 'Straße') @@ to_tsquery('english', 'strasse') AS sharp_s_english;

-- numbers and mixed tokens
SELECT token, type, lexeme FROM tokens('42 3.14 1,000 5G mp3 24/7 9/11 and/or e.g. U.S.A.');
SELECT to_tsvector('transcripts', '5G networks') @@ to_tsquery('transcripts', '5g') AS five_g,
       to_tsvector('transcripts', 'open 24/7') @@ to_tsquery('transcripts', '''24/7''') AS twenty_four_seven,
       to_tsvector('transcripts', 'open 24/7') @@ to_tsquery('transcripts', '24') AS not_by_parts;

-- hyphenated compounds: the whole, then the parts; the whole shares the first
-- part's position in tokens() (PostgreSQL's to_tsvector numbers every token)
SELECT * FROM tokens('the self-reliance of COVID-19 patients');
SELECT to_tsvector('transcripts', 'the self-reliance of patients');
SELECT to_tsvector('transcripts', 'a lesson in self-reliance') @@ to_tsquery('transcripts', 'self-reliance') AS whole,
       to_tsvector('transcripts', 'a lesson in self-reliance') @@ to_tsquery('transcripts', 'reliance') AS part,
       to_tsvector('transcripts', 'a lesson in self-reliance') @@ phraseto_tsquery('transcripts', 'self reliance') AS phrase,
       to_tsvector('transcripts', 'self and reliance') @@ to_tsquery('transcripts', 'self-reliance') AS not_apart,
       to_tsvector('transcripts', 'COVID-19 cases') @@ to_tsquery('transcripts', 'covid') AS covid,
       to_tsvector('transcripts', 'COVID-19 cases') @@ to_tsquery('transcripts', 'covid-19') AS covid_19;

-- ts_debug shows the blanks between tokens; ts_headline works (normalized words)
SELECT alias, token, dictionaries, lexemes FROM ts_debug('transcripts', 'Self-reliance, 5G!');
SELECT ts_headline('transcripts', 'They argued about self-reliance and the 5G rollout.',
                   to_tsquery('transcripts', 'reliance & 5g'));

-- offsets are characters of the original text
SELECT token, start_offset, end_offset,
       substr(t, start_offset + 1, end_offset - start_offset) = token AS points_at_token
FROM (VALUES ('“Doñate’s” ＡＢＣ — ﬁne, Straße!')) v(t), tokens(t);

-- tokens() on a turn reads its body
SELECT position, token, lexeme FROM tokens(turn('JUSTICE BLACK', 'Mr. Truscott, proceed.'));

-- tokens() and to_tsvector agree on the lexemes of real turns
CREATE TABLE analysis_turns (id serial PRIMARY KEY, body text);
\copy analysis_turns (body) FROM 'test/fixtures/analysis_turns.txt'
SELECT count(*) AS turns,
       count(*) FILTER (WHERE
         (SELECT coalesce(array_agg(DISTINCT lexeme COLLATE "C" ORDER BY lexeme COLLATE "C"), '{}')
            FROM tokens(body) WHERE lexeme IS NOT NULL)
         IS DISTINCT FROM
         (SELECT coalesce(array_agg(lexeme COLLATE "C" ORDER BY lexeme COLLATE "C"), '{}')
            FROM unnest(to_tsvector('transcripts', body)))) AS disagreeing
FROM analysis_turns;

-- a GIN index on to_tsvector('transcripts', body) serves @@
CREATE INDEX analysis_turns_fts ON analysis_turns USING gin (to_tsvector('transcripts', body));
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM analysis_turns WHERE to_tsvector('transcripts', body) @@ to_tsquery('transcripts', 'court');
SELECT count(*) FROM analysis_turns WHERE to_tsvector('transcripts', body) @@ to_tsquery('transcripts', 'court');
RESET enable_seqscan;
SELECT count(*) FROM analysis_turns WHERE to_tsvector('transcripts', body) @@ to_tsquery('transcripts', 'court');

-- empty and punctuation-only text
SELECT count(*) FROM tokens('');
SELECT count(*) FROM tokens(' -- ... !? ');
SELECT to_tsvector('transcripts', ' -- ');

-- configurations of our own, and the per-backend lexeme cache follows
-- changes to mappings and dictionaries
CREATE TEXT SEARCH CONFIGURATION analysis_cfg (COPY = transcripts);
SELECT string_agg(coalesce(lexeme, '-'), ' ' ORDER BY position) FROM tokens('the running dogs', 'analysis_cfg');
CREATE TEXT SEARCH DICTIONARY analysis_simple (TEMPLATE = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION analysis_cfg ALTER MAPPING FOR word WITH analysis_simple;
SELECT string_agg(coalesce(lexeme, '-'), ' ' ORDER BY position) FROM tokens('the running dogs', 'analysis_cfg');
ALTER TEXT SEARCH DICTIONARY analysis_simple (StopWords = english);
SELECT string_agg(coalesce(lexeme, '-'), ' ' ORDER BY position) FROM tokens('the running dogs', 'analysis_cfg');
SELECT to_tsvector('analysis_cfg', 'the running dogs');
-- a token type without a mapping is left out and takes no position
ALTER TEXT SEARCH CONFIGURATION analysis_cfg DROP MAPPING FOR mixed;
SELECT position, token, lexeme FROM tokens('one 5G two', 'analysis_cfg');

-- long work can be cancelled, and the next call starts afresh
SET statement_timeout = '50ms';
SELECT count(*) FROM tokens(repeat('abc ', 4000000));
SELECT length(to_tsvector('transcripts', repeat('abc ', 4000000)));
RESET statement_timeout;
SELECT string_agg(lexeme, ' ' ORDER BY position) FROM tokens('After the cancel, all is well');

-- errors: a configuration of another parser
SELECT * FROM tokens('hello', 'english');
