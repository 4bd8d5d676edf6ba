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
