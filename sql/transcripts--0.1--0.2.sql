/* transcripts--0.1--0.2.sql: the segmenter */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.2'" to load this file. \quit

CREATE FUNCTION @extschema@.segment_transcript(
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
AS 'MODULE_PATHNAME', 'segment_transcript_srf'
LANGUAGE C STABLE STRICT PARALLEL SAFE
ROWS 100;

COMMENT ON FUNCTION @extschema@.segment_transcript(pg_catalog.text, pg_catalog.text) IS
	'split a raw transcript (PDF text, Name: script, Rev, Otter, WebVTT, SRT, hearing, court) into speaker turns in document order; format is auto, text, vtt, srt, hearing or court';
