/* transcripts--0.2--0.3.sql: search part 1 (text analysis, tquery, passages, snippets, KWIC) */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.3'" to load this file. \quit

-- text analysis

CREATE FUNCTION @extschema@.transcripts_prs_start(pg_catalog.internal, pg_catalog.int4)
	RETURNS pg_catalog.internal
	AS 'MODULE_PATHNAME', 'tx_prs_start' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.transcripts_prs_start(pg_catalog.internal, pg_catalog.int4) IS
	'start function of the transcripts text search parser';

CREATE FUNCTION @extschema@.transcripts_prs_gettoken(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal)
	RETURNS pg_catalog.internal
	AS 'MODULE_PATHNAME', 'tx_prs_gettoken' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.transcripts_prs_gettoken(pg_catalog.internal, pg_catalog.internal, pg_catalog.internal) IS
	'token function of the transcripts text search parser';

CREATE FUNCTION @extschema@.transcripts_prs_end(pg_catalog.internal)
	RETURNS pg_catalog.void
	AS 'MODULE_PATHNAME', 'tx_prs_end' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.transcripts_prs_end(pg_catalog.internal) IS
	'end function of the transcripts text search parser';

CREATE FUNCTION @extschema@.transcripts_prs_lextype(pg_catalog.internal)
	RETURNS pg_catalog.internal
	AS 'MODULE_PATHNAME', 'tx_prs_lextype' LANGUAGE C STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.transcripts_prs_lextype(pg_catalog.internal) IS
	'token types of the transcripts text search parser';

CREATE TEXT SEARCH PARSER @extschema@.transcripts_parser (
	START = @extschema@.transcripts_prs_start,
	GETTOKEN = @extschema@.transcripts_prs_gettoken,
	END = @extschema@.transcripts_prs_end,
	HEADLINE = pg_catalog.prsd_headline,
	LEXTYPES = @extschema@.transcripts_prs_lextype
);
COMMENT ON TEXT SEARCH PARSER @extschema@.transcripts_parser IS
	'ICU word boundaries (UAX #29, dictionary segmentation for CJK and Thai), NFKC, case and accent folding, compounds';

CREATE TEXT SEARCH DICTIONARY @extschema@.transcripts_english_nostop (
	TEMPLATE = pg_catalog.snowball,
	LANGUAGE = english
);
COMMENT ON TEXT SEARCH DICTIONARY @extschema@.transcripts_english_nostop IS
	'English snowball stemmer that keeps stop words';

CREATE TEXT SEARCH CONFIGURATION @extschema@.transcripts (PARSER = @extschema@.transcripts_parser);
ALTER TEXT SEARCH CONFIGURATION @extschema@.transcripts
	ADD MAPPING FOR word, compound_part, compound WITH pg_catalog.english_stem;
ALTER TEXT SEARCH CONFIGURATION @extschema@.transcripts
	ADD MAPPING FOR number, mixed, dict_word, compound_numpart, numcompound WITH pg_catalog.simple;
COMMENT ON TEXT SEARCH CONFIGURATION @extschema@.transcripts IS
	'transcripts parser, English stemming without stop words';

CREATE TEXT SEARCH CONFIGURATION @extschema@.transcripts_nostop (PARSER = @extschema@.transcripts_parser);
ALTER TEXT SEARCH CONFIGURATION @extschema@.transcripts_nostop
	ADD MAPPING FOR word, compound_part, compound WITH @extschema@.transcripts_english_nostop;
ALTER TEXT SEARCH CONFIGURATION @extschema@.transcripts_nostop
	ADD MAPPING FOR number, mixed, dict_word, compound_numpart, numcompound WITH pg_catalog.simple;
COMMENT ON TEXT SEARCH CONFIGURATION @extschema@.transcripts_nostop IS
	'transcripts parser, English stemming, stop words kept';

CREATE FUNCTION @extschema@.tokens(pg_catalog.text,
		config pg_catalog.regconfig DEFAULT '@extschema@.transcripts',
		OUT "position" pg_catalog.int4, OUT token pg_catalog.text, OUT type pg_catalog.text,
		OUT lexeme pg_catalog.text, OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tx_tokens' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.tokens(pg_catalog.text, pg_catalog.regconfig) IS
	'what the analyzer makes of a text: position, original token, type, lexeme (NULL for a stop word), character offsets';

CREATE FUNCTION @extschema@.tokens(@extschema@.turn,
		config pg_catalog.regconfig DEFAULT '@extschema@.transcripts',
		OUT "position" pg_catalog.int4, OUT token pg_catalog.text, OUT type pg_catalog.text,
		OUT lexeme pg_catalog.text, OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tx_tokens_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.tokens(@extschema@.turn, pg_catalog.regconfig) IS
	'what the analyzer makes of a turn''s body (offsets into the body)';

-- end of text analysis

-- query language, passages, snippets

CREATE TYPE @extschema@.tquery;

CREATE FUNCTION @extschema@.tquery_in(pg_catalog.cstring) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_in(pg_catalog.cstring) IS
	'parse a search query (words analysed with the transcripts text search configuration)';
CREATE FUNCTION @extschema@.tquery_out(@extschema@.tquery) RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'tquery_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_out(@extschema@.tquery) IS
	'canonical text form of a search query';
CREATE FUNCTION @extschema@.tquery_recv(pg_catalog.internal) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_recv(pg_catalog.internal) IS
	'binary input of a search query (a version byte and the query text, checked like text input)';
CREATE FUNCTION @extschema@.tquery_send(@extschema@.tquery) RETURNS pg_catalog.bytea
	AS 'MODULE_PATHNAME', 'tquery_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_send(@extschema@.tquery) IS
	'binary output of a search query';

CREATE TYPE @extschema@.tquery (
	INPUT = @extschema@.tquery_in,
	OUTPUT = @extschema@.tquery_out,
	RECEIVE = @extschema@.tquery_recv,
	SEND = @extschema@.tquery_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.tquery IS
	'search query: words, "phrases", OR, -excluded, prefix*, NEAR/n(...), speaker:Name';

CREATE FUNCTION @extschema@.to_tquery(pg_catalog.text) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_to_tquery' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_tquery(pg_catalog.text) IS
	'parse a search query, analysing its words with the transcripts configuration';
CREATE FUNCTION @extschema@.to_tquery(pg_catalog.regconfig, pg_catalog.text) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_to_tquery_cfg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_tquery(pg_catalog.regconfig, pg_catalog.text) IS
	'parse a search query, analysing its words with the given configuration (which must use the transcripts parser)';
CREATE FUNCTION @extschema@.websearch_to_tquery(pg_catalog.text) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_websearch' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.websearch_to_tquery(pg_catalog.text) IS
	'convert websearch_to_tsquery-style text ("phrases", or, -word) to a search query, never raising a syntax error';
CREATE FUNCTION @extschema@.websearch_to_tquery(pg_catalog.regconfig, pg_catalog.text) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_websearch_cfg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.websearch_to_tquery(pg_catalog.regconfig, pg_catalog.text) IS
	'convert websearch_to_tsquery-style text to a search query with the given configuration';

CREATE FUNCTION @extschema@.tquery_lexemes(@extschema@.tquery) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'tquery_lexemes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_lexemes(@extschema@.tquery) IS
	'the analysed lexemes of a search query, in tsquery notation (NEAR shown as &)';
CREATE FUNCTION @extschema@.tquery_speaker(@extschema@.tquery) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'tquery_speaker' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_speaker(@extschema@.tquery) IS
	'the speaker filter of a search query, or NULL';
CREATE FUNCTION @extschema@.tquery_to_tsquery(@extschema@.tquery) RETURNS pg_catalog.tsquery
	AS 'MODULE_PATHNAME', 'tquery_to_tsquery' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_to_tsquery(@extschema@.tquery) IS
	'tsquery matching a superset of the search query (NEAR as AND, no speaker filter) for a GIN index on to_tsvector(''transcripts'', ...); recheck with @@ tquery';

CREATE FUNCTION @extschema@.tquery_match(pg_catalog.text, @extschema@.tquery) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'tquery_match_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_match(pg_catalog.text, @extschema@.tquery) IS
	'does the text match the search query (a speaker filter never matches a text)';
CREATE FUNCTION @extschema@.tquery_match(@extschema@.turn, @extschema@.tquery) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'tquery_match_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_match(@extschema@.turn, @extschema@.tquery) IS
	'does the turn match the search query (speaker filter: case- and accent-insensitive, whole words)';
CREATE FUNCTION @extschema@.tquery_match(@extschema@.tquery, pg_catalog.text) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'tquery_match_text_rev' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_match(@extschema@.tquery, pg_catalog.text) IS
	'commutator of text @@ tquery';
CREATE FUNCTION @extschema@.tquery_match(@extschema@.tquery, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'tquery_match_turn_rev' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_match(@extschema@.tquery, @extschema@.turn) IS
	'commutator of turn @@ tquery';

CREATE OPERATOR @extschema@.@@ (
	LEFTARG = pg_catalog.text, RIGHTARG = @extschema@.tquery,
	FUNCTION = @extschema@.tquery_match, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@@ (pg_catalog.text, @extschema@.tquery) IS 'text matches search query';
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.tquery, RIGHTARG = pg_catalog.text,
	FUNCTION = @extschema@.tquery_match, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.tquery, pg_catalog.text) IS 'search query matches text';
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.tquery,
	FUNCTION = @extschema@.tquery_match, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.turn, @extschema@.tquery) IS 'turn matches search query';
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.tquery, RIGHTARG = @extschema@.turn,
	FUNCTION = @extschema@.tquery_match, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.tquery, @extschema@.turn) IS 'search query matches turn';

-- corpus statistics and BM25

CREATE FUNCTION @extschema@.bm25_stats(relation pg_catalog.regclass, column_name pg_catalog.name,
		config pg_catalog.regconfig DEFAULT '@extschema@.transcripts')
	RETURNS pg_catalog.jsonb
	AS 'MODULE_PATHNAME', 'tquery_bm25_stats' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bm25_stats(pg_catalog.regclass, pg_catalog.name, pg_catalog.regconfig) IS
	'corpus statistics of a text or turn column for BM25: {"documents": N, "avgdl": words, "df": {lexeme: documents}}';
CREATE FUNCTION @extschema@.tquery_with_stats(@extschema@.tquery, stats pg_catalog.jsonb) RETURNS @extschema@.tquery
	AS 'MODULE_PATHNAME', 'tquery_with_stats' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_with_stats(@extschema@.tquery, pg_catalog.jsonb) IS
	'the query carrying corpus statistics (N, avgdl, df of its terms) for BM25 scores and passage ranking';
CREATE FUNCTION @extschema@.tquery_stats(@extschema@.tquery) RETURNS pg_catalog.jsonb
	AS 'MODULE_PATHNAME', 'tquery_stats' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tquery_stats(@extschema@.tquery) IS
	'the corpus statistics a query carries, or NULL';
CREATE FUNCTION @extschema@.bm25_score(pg_catalog.text, @extschema@.tquery,
		k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75)
	RETURNS pg_catalog.float8
	AS 'MODULE_PATHNAME', 'tquery_bm25_score_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bm25_score(pg_catalog.text, @extschema@.tquery, pg_catalog.float8, pg_catalog.float8) IS
	'BM25 score of a text for the query''s terms (statistics from tquery_with_stats, else idf 1 and avgdl = the text''s length)';
CREATE FUNCTION @extschema@.bm25_score(@extschema@.turn, @extschema@.tquery,
		k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75)
	RETURNS pg_catalog.float8
	AS 'MODULE_PATHNAME', 'tquery_bm25_score_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bm25_score(@extschema@.turn, @extschema@.tquery, pg_catalog.float8, pg_catalog.float8) IS
	'BM25 score of a turn''s body for the query''s terms';

-- passages, snippets, keyword in context

CREATE FUNCTION @extschema@.best_passage(pg_catalog.text, @extschema@.tquery,
		max_words pg_catalog.int4 DEFAULT 60, k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75,
		OUT passage pg_catalog.text, OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4,
		OUT score pg_catalog.float8)
	RETURNS record
	AS 'MODULE_PATHNAME', 'tquery_best_passage_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.best_passage(pg_catalog.text, @extschema@.tquery, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8) IS
	'the highest-scoring window of whole sentences of at most max_words words, with character offsets and BM25 score; NULL without a match';
CREATE FUNCTION @extschema@.best_passage(@extschema@.turn, @extschema@.tquery,
		max_words pg_catalog.int4 DEFAULT 60, k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75,
		OUT passage pg_catalog.text, OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4,
		OUT score pg_catalog.float8)
	RETURNS record
	AS 'MODULE_PATHNAME', 'tquery_best_passage_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.best_passage(@extschema@.turn, @extschema@.tquery, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8) IS
	'the best passage of a turn''s body (offsets into the body)';

CREATE FUNCTION @extschema@.passages(pg_catalog.text, @extschema@.tquery,
		n pg_catalog.int4 DEFAULT 3, max_words pg_catalog.int4 DEFAULT 60,
		k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75,
		OUT passage pg_catalog.text, OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4,
		OUT score pg_catalog.float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tquery_passages_text' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.passages(pg_catalog.text, @extschema@.tquery, pg_catalog.int4, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8) IS
	'the n best non-overlapping passages, best first';
CREATE FUNCTION @extschema@.passages(@extschema@.turn, @extschema@.tquery,
		n pg_catalog.int4 DEFAULT 3, max_words pg_catalog.int4 DEFAULT 60,
		k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75,
		OUT passage pg_catalog.text, OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4,
		OUT score pg_catalog.float8)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tquery_passages_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.passages(@extschema@.turn, @extschema@.tquery, pg_catalog.int4, pg_catalog.int4, pg_catalog.float8, pg_catalog.float8) IS
	'the n best non-overlapping passages of a turn''s body, best first';

CREATE FUNCTION @extschema@.snippet(pg_catalog.text, @extschema@.tquery,
		start_sel pg_catalog.text DEFAULT '<b>', stop_sel pg_catalog.text DEFAULT '</b>',
		max_words pg_catalog.int4 DEFAULT 35, html pg_catalog.bool DEFAULT false,
		k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75)
	RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'tquery_snippet_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.snippet(pg_catalog.text, @extschema@.tquery, pg_catalog.text, pg_catalog.text, pg_catalog.int4, pg_catalog.bool, pg_catalog.float8, pg_catalog.float8) IS
	'the best passage with the matches marked (phrases only where they occur as phrases); html => true escapes the text';
CREATE FUNCTION @extschema@.snippet(@extschema@.turn, @extschema@.tquery,
		start_sel pg_catalog.text DEFAULT '<b>', stop_sel pg_catalog.text DEFAULT '</b>',
		max_words pg_catalog.int4 DEFAULT 35, html pg_catalog.bool DEFAULT false,
		k1 pg_catalog.float8 DEFAULT 1.2, b pg_catalog.float8 DEFAULT 0.75)
	RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'tquery_snippet_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.snippet(@extschema@.turn, @extschema@.tquery, pg_catalog.text, pg_catalog.text, pg_catalog.int4, pg_catalog.bool, pg_catalog.float8, pg_catalog.float8) IS
	'snippet of a turn''s body';

CREATE FUNCTION @extschema@.kwic(pg_catalog.text, @extschema@.tquery, width pg_catalog.int4 DEFAULT 40,
		OUT left_context pg_catalog.text, OUT match pg_catalog.text, OUT right_context pg_catalog.text,
		OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tquery_kwic_text' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.kwic(pg_catalog.text, @extschema@.tquery, pg_catalog.int4) IS
	'keyword in context: one row per match with width characters of context either side and character offsets';
CREATE FUNCTION @extschema@.kwic(@extschema@.turn, @extschema@.tquery, width pg_catalog.int4 DEFAULT 40,
		OUT left_context pg_catalog.text, OUT match pg_catalog.text, OUT right_context pg_catalog.text,
		OUT start_offset pg_catalog.int4, OUT end_offset pg_catalog.int4)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tquery_kwic_turn' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.kwic(@extschema@.turn, @extschema@.tquery, pg_catalog.int4) IS
	'keyword in context over a turn''s body';

-- questions and answers, speaker statistics (over the turns of a transcript, in order)

CREATE FUNCTION @extschema@.answers(turns @extschema@.turn[],
		OUT question_no pg_catalog.int4, OUT question @extschema@.turn,
		OUT answer_no pg_catalog.int4, OUT answer @extschema@.turn)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tquery_answers' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION @extschema@.answers(@extschema@.turn[]) IS
	'each question turn (ending in ?) with the next turn by another speaker; numbers are 1-based array positions, answer NULL when none follows';

CREATE FUNCTION @extschema@.speaker_stats(turns @extschema@.turn[],
		OUT speaker pg_catalog.text, OUT turns pg_catalog.int4, OUT words pg_catalog.int8,
		OUT word_share pg_catalog.float8, OUT questions pg_catalog.int4,
		OUT first_turn pg_catalog.int4, OUT last_turn pg_catalog.int4,
		OUT first_start pg_catalog.interval, OUT last_start pg_catalog.interval)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'tquery_speaker_stats' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION @extschema@.speaker_stats(@extschema@.turn[]) IS
	'per speaker (in order of first appearance): turns, words, share of all words, questions asked, first and last turn (1-based array positions) and their start times';
