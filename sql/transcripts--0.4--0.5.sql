/* transcripts--0.4--0.5.sql: segment_transcript computes only the columns a query uses */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.5'" to load this file. \quit

-- The segmenter proper: one row per turn, with the speaker, affiliation, body and times inside
-- the turn only, so the function scan's tuplestore holds each body once.
CREATE FUNCTION @extschema@.segment_transcript_turns(
	raw pg_catalog.text,
	format pg_catalog.text DEFAULT 'auto',
	OUT ordinal pg_catalog.int4,
	OUT section pg_catalog.text,
	OUT line pg_catalog.int4,
	OUT page pg_catalog.int4,
	OUT confidence pg_catalog.float4,
	OUT turn @extschema@.turn)
RETURNS SETOF pg_catalog.record
AS 'MODULE_PATHNAME', 'segment_transcript_turns_srf'
LANGUAGE C STABLE STRICT PARALLEL SAFE
ROWS 100;

COMMENT ON FUNCTION @extschema@.segment_transcript_turns(pg_catalog.text, pg_catalog.text) IS
	'the turns of a raw transcript in document order, as segment_transcript finds them, with speaker, affiliation, body and times inside the turn only';

-- Every column in one C function, as segment_transcript was up to 0.4: what segment_transcript
-- runs where the planner cannot inline it, and for constant arguments of more than 1 MB, which
-- inlining would copy several times while planning (see segment_transcript_support).
CREATE FUNCTION @extschema@.segment_transcript_all(
	raw pg_catalog.text,
	format pg_catalog.text DEFAULT 'auto',
	OUT ordinal pg_catalog.int4,
	OUT speaker pg_catalog.text,
	OUT affiliation pg_catalog.text,
	OUT body pg_catalog.text,
	OUT start_time pg_catalog.interval,
	OUT end_time pg_catalog.interval,
	OUT section pg_catalog.text,
	OUT line pg_catalog.int4,
	OUT page pg_catalog.int4,
	OUT confidence pg_catalog.float4,
	OUT turn @extschema@.turn)
RETURNS SETOF pg_catalog.record
AS 'MODULE_PATHNAME', 'segment_transcript_all_srf'
LANGUAGE C STABLE STRICT PARALLEL SAFE
ROWS 100;

COMMENT ON FUNCTION @extschema@.segment_transcript_all(pg_catalog.text, pg_catalog.text) IS
	'segment_transcript with every column computed, in one C function: what segment_transcript runs when an argument holds a sub-select or a volatile function, or is a constant of more than 1 MB';

CREATE FUNCTION @extschema@.segment_transcript_support(pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'segment_transcript_support'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.segment_transcript_support(pg_catalog.internal) IS
	'planner support of segment_transcript: a call the planner cannot inline (an argument with a sub-select or a volatile function), or one with a constant argument of more than 1 MB, becomes a call of segment_transcript_all';

-- segment_transcript keeps its columns, but is now one SELECT over segment_transcript_turns that
-- the planner inlines into the calling query (when no argument holds a sub-select or a volatile
-- function), so speaker, affiliation, body, start_time and end_time are computed from the turn
-- only for the queries that use them; calls that cannot be inlined, and calls with a constant
-- argument of more than 1 MB, run segment_transcript_all instead (segment_transcript_support).
-- Not STRICT, which would prevent inlining; the inner function is, so a NULL raw or format still
-- gives no rows.
CREATE OR REPLACE FUNCTION @extschema@.segment_transcript(
	raw pg_catalog.text,
	format pg_catalog.text DEFAULT 'auto',
	OUT ordinal pg_catalog.int4,
	OUT speaker pg_catalog.text,
	OUT affiliation pg_catalog.text,
	OUT body pg_catalog.text,
	OUT start_time pg_catalog.interval,
	OUT end_time pg_catalog.interval,
	OUT section pg_catalog.text,
	OUT line pg_catalog.int4,
	OUT page pg_catalog.int4,
	OUT confidence pg_catalog.float4,
	OUT turn @extschema@.turn)
RETURNS SETOF pg_catalog.record
LANGUAGE sql STABLE CALLED ON NULL INPUT PARALLEL SAFE
ROWS 100
SUPPORT @extschema@.segment_transcript_support
BEGIN ATOMIC
	SELECT s.ordinal, @extschema@.speaker(s.turn), @extschema@.affiliation(s.turn),
		@extschema@.body(s.turn), @extschema@.start_time(s.turn), @extschema@.end_time(s.turn),
		s.section, s.line, s.page, s.confidence, s.turn
	FROM @extschema@.segment_transcript_turns(raw, format) AS s;
END;

COMMENT ON FUNCTION @extschema@.segment_transcript(pg_catalog.text, pg_catalog.text) IS
	'split a raw transcript (PDF text, Name: script, Rev, Otter, WebVTT, SRT, hearing, court) into speaker turns in document order; format is auto, text, vtt, srt, hearing or court';
