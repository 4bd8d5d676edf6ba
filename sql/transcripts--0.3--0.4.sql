/* transcripts--0.3--0.4.sql: the bm25 index access method */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.4'" to load this file. \quit

-- ---------------------------------------------------------------- access method
CREATE FUNCTION @extschema@.bm25_handler(pg_catalog.internal) RETURNS pg_catalog.index_am_handler
	AS 'MODULE_PATHNAME', 'bm25_handler' LANGUAGE C PARALLEL SAFE;

CREATE ACCESS METHOD bm25 TYPE INDEX HANDLER @extschema@.bm25_handler;

COMMENT ON FUNCTION @extschema@.bm25_handler(pg_catalog.internal) IS
	'index access method handler of bm25';
COMMENT ON ACCESS METHOD bm25 IS
	'ranked full text search: postings with positions, document lengths and corpus statistics; ORDER BY col <@> query LIMIT k returns the k best rows by BM25';

-- ---------------------------------------------------------------- ranking
CREATE FUNCTION @extschema@.bm25_distance(pg_catalog.text, @extschema@.tquery) RETURNS pg_catalog.float8
	AS 'MODULE_PATHNAME', 'bm25_text_distance' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bm25_distance(@extschema@.turn, @extschema@.tquery) RETURNS pg_catalog.float8
	AS 'MODULE_PATHNAME', 'bm25_turn_distance' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.<@> (
	LEFTARG = pg_catalog.text,
	RIGHTARG = @extschema@.tquery,
	FUNCTION = @extschema@.bm25_distance
);
CREATE OPERATOR @extschema@.<@> (
	LEFTARG = @extschema@.turn,
	RIGHTARG = @extschema@.tquery,
	FUNCTION = @extschema@.bm25_distance
);

COMMENT ON FUNCTION @extschema@.bm25_distance(pg_catalog.text, @extschema@.tquery) IS
	'minus the BM25 score of the text for the query (0 when it does not match), with the statistics of the bm25 index on the column';
COMMENT ON FUNCTION @extschema@.bm25_distance(@extschema@.turn, @extschema@.tquery) IS
	'minus the BM25 score of the turn for the query (0 when it does not match), with the statistics of the bm25 index on the column';
COMMENT ON OPERATOR @extschema@.<@> (pg_catalog.text, @extschema@.tquery) IS
	'BM25 rank as a distance: ORDER BY col <@> query sorts best first';
COMMENT ON OPERATOR @extschema@.<@> (@extschema@.turn, @extschema@.tquery) IS
	'BM25 rank as a distance: ORDER BY col <@> query sorts best first';

CREATE FUNCTION @extschema@.bm25_score(index pg_catalog.regclass, doc pg_catalog.text, query @extschema@.tquery)
	RETURNS pg_catalog.float8
	AS 'MODULE_PATHNAME', 'bm25_text_score' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bm25_score(index pg_catalog.regclass, doc @extschema@.turn, query @extschema@.tquery)
	RETURNS pg_catalog.float8
	AS 'MODULE_PATHNAME', 'bm25_turn_score' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.bm25_score(pg_catalog.regclass, pg_catalog.text, @extschema@.tquery) IS
	'BM25 score of a text for a query with the statistics (N, average length, df) of the given bm25 index; 0 when it does not match';
COMMENT ON FUNCTION @extschema@.bm25_score(pg_catalog.regclass, @extschema@.turn, @extschema@.tquery) IS
	'BM25 score of a turn for a query with the statistics (N, average length, df) of the given bm25 index; 0 when it does not match';

CREATE FUNCTION @extschema@.bm25_index_stats(index pg_catalog.regclass,
		OUT documents pg_catalog.int8, OUT total_length pg_catalog.int8,
		OUT avg_length pg_catalog.float8, OUT terms pg_catalog.int8,
		OUT segments pg_catalog.int4, OUT pending_documents pg_catalog.int4,
		OUT k1 pg_catalog.float8, OUT b pg_catalog.float8, OUT docids_used pg_catalog.int8)
	RETURNS record
	AS 'MODULE_PATHNAME', 'bm25_index_stats' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.bm25_index_stats(pg_catalog.regclass) IS
	'corpus statistics of a bm25 index: live documents, their total and average length, terms (summed over segments, exact after VACUUM), segments, documents in the pending list, k1, b, document ids used';

-- ---------------------------------------------------------------- operator classes
CREATE OPERATOR CLASS @extschema@.bm25_text_ops
	DEFAULT FOR TYPE pg_catalog.text USING bm25 AS
	OPERATOR 1 @extschema@.<@> (pg_catalog.text, @extschema@.tquery) FOR ORDER BY pg_catalog.float_ops,
	OPERATOR 2 @extschema@.@@ (pg_catalog.text, @extschema@.tquery);

CREATE OPERATOR CLASS @extschema@.bm25_turn_ops
	DEFAULT FOR TYPE @extschema@.turn USING bm25 AS
	OPERATOR 1 @extschema@.<@> (@extschema@.turn, @extschema@.tquery) FOR ORDER BY pg_catalog.float_ops,
	OPERATOR 2 @extschema@.@@ (@extschema@.turn, @extschema@.tquery);

COMMENT ON OPERATOR CLASS @extschema@.bm25_text_ops USING bm25 IS
	'bm25 index of text: ORDER BY col <@> query, WHERE col @@ query';
COMMENT ON OPERATOR CLASS @extschema@.bm25_turn_ops USING bm25 IS
	'bm25 index of the body of turns: ORDER BY col <@> query, WHERE col @@ query';
COMMENT ON OPERATOR FAMILY @extschema@.bm25_text_ops USING bm25 IS
	'bm25 index of text';
COMMENT ON OPERATOR FAMILY @extschema@.bm25_turn_ops USING bm25 IS
	'bm25 index of the body of turns';
