/* transcripts--0.1.sql: the turn type */

\echo Use "CREATE EXTENSION transcripts" to load this file. \quit

-- ---------------------------------------------------------------- type
CREATE TYPE @extschema@.turn;

CREATE FUNCTION @extschema@.turn_in(pg_catalog.cstring) RETURNS @extschema@.turn
	AS 'MODULE_PATHNAME', 'turn_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_out(@extschema@.turn) RETURNS pg_catalog.cstring
	AS 'MODULE_PATHNAME', 'turn_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_recv(pg_catalog.internal) RETURNS @extschema@.turn
	AS 'MODULE_PATHNAME', 'turn_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_send(@extschema@.turn) RETURNS pg_catalog.bytea
	AS 'MODULE_PATHNAME', 'turn_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.turn (
	INPUT = @extschema@.turn_in,
	OUTPUT = @extschema@.turn_out,
	RECEIVE = @extschema@.turn_recv,
	SEND = @extschema@.turn_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.turn IS
	'a speaker turn: speaker (or unknown), optional affiliation, optional time span, and what was said';
COMMENT ON FUNCTION @extschema@.turn_in(pg_catalog.cstring) IS 'text input of turn';
COMMENT ON FUNCTION @extschema@.turn_out(@extschema@.turn) IS 'text output of turn';
COMMENT ON FUNCTION @extschema@.turn_recv(pg_catalog.internal) IS 'binary input of turn';
COMMENT ON FUNCTION @extschema@.turn_send(@extschema@.turn) IS 'binary output of turn';

-- ---------------------------------------------------------------- constructor and accessors
CREATE FUNCTION @extschema@.turn(speaker pg_catalog.text, body pg_catalog.text,
								 affiliation pg_catalog.text DEFAULT NULL,
								 start_time pg_catalog.interval DEFAULT NULL,
								 end_time pg_catalog.interval DEFAULT NULL)
	RETURNS @extschema@.turn
	AS 'MODULE_PATHNAME', 'turn_make' LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.turn(pg_catalog.text, pg_catalog.text, pg_catalog.text, pg_catalog.interval, pg_catalog.interval) IS
	'build a turn; a NULL speaker is an unknown speaker, a NULL body gives NULL';

CREATE FUNCTION @extschema@.speaker(@extschema@.turn) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'turn_speaker' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.speaker(@extschema@.turn) IS 'who spoke (NULL when unknown)';

CREATE FUNCTION @extschema@.affiliation(@extschema@.turn) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'turn_affiliation' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.affiliation(@extschema@.turn) IS 'the speaker''s affiliation (NULL when none)';

CREATE FUNCTION @extschema@.body(@extschema@.turn) RETURNS pg_catalog.text
	AS 'MODULE_PATHNAME', 'turn_body' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.body(@extschema@.turn) IS 'what was said';

CREATE FUNCTION @extschema@.start_time(@extschema@.turn) RETURNS pg_catalog.interval
	AS 'MODULE_PATHNAME', 'turn_start_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.start_time(@extschema@.turn) IS 'when the turn starts, from the start of the recording (NULL when unknown)';

CREATE FUNCTION @extschema@.end_time(@extschema@.turn) RETURNS pg_catalog.interval
	AS 'MODULE_PATHNAME', 'turn_end_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.end_time(@extschema@.turn) IS 'when the turn ends, from the start of the recording (NULL when unknown)';

CREATE FUNCTION @extschema@.word_count(@extschema@.turn) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'turn_word_count_fn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.word_count(@extschema@.turn) IS
	'number of words in the body (runs of non-space characters holding a letter or digit)';

-- ---------------------------------------------------------------- comparison
CREATE FUNCTION @extschema@.turn_eq(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'turn_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.turn_ne(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'turn_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.turn_lt(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'turn_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_le(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'turn_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_gt(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'turn_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_ge(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.bool
	AS 'MODULE_PATHNAME', 'turn_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_cmp(@extschema@.turn, @extschema@.turn) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'turn_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_hash(@extschema@.turn) RETURNS pg_catalog.int4
	AS 'MODULE_PATHNAME', 'turn_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.turn_hash_extended(@extschema@.turn, pg_catalog.int8) RETURNS pg_catalog.int8
	AS 'MODULE_PATHNAME', 'turn_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.turn_eq(@extschema@.turn, @extschema@.turn) IS 'implementation of = for turn';
COMMENT ON FUNCTION @extschema@.turn_ne(@extschema@.turn, @extschema@.turn) IS 'implementation of <> for turn';
COMMENT ON FUNCTION @extschema@.turn_lt(@extschema@.turn, @extschema@.turn) IS 'implementation of < for turn';
COMMENT ON FUNCTION @extschema@.turn_le(@extschema@.turn, @extschema@.turn) IS 'implementation of <= for turn';
COMMENT ON FUNCTION @extschema@.turn_gt(@extschema@.turn, @extschema@.turn) IS 'implementation of > for turn';
COMMENT ON FUNCTION @extschema@.turn_ge(@extschema@.turn, @extschema@.turn) IS 'implementation of >= for turn';
COMMENT ON FUNCTION @extschema@.turn_cmp(@extschema@.turn, @extschema@.turn) IS 'btree comparison of turns';
COMMENT ON FUNCTION @extschema@.turn_hash(@extschema@.turn) IS 'hash of a turn';
COMMENT ON FUNCTION @extschema@.turn_hash_extended(@extschema@.turn, pg_catalog.int8) IS 'seeded 64-bit hash of a turn';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.turn, PROCEDURE = @extschema@.turn_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.turn, PROCEDURE = @extschema@.turn_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.turn, PROCEDURE = @extschema@.turn_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.turn, PROCEDURE = @extschema@.turn_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.turn, PROCEDURE = @extschema@.turn_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.turn, RIGHTARG = @extschema@.turn, PROCEDURE = @extschema@.turn_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

COMMENT ON OPERATOR @extschema@.= (@extschema@.turn, @extschema@.turn) IS 'turns are equal in every part';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.turn, @extschema@.turn) IS 'turns differ in some part';
COMMENT ON OPERATOR @extschema@.< (@extschema@.turn, @extschema@.turn) IS 'less than (by start, end, speaker, affiliation, body)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.turn, @extschema@.turn) IS 'less than or equal (by start, end, speaker, affiliation, body)';
COMMENT ON OPERATOR @extschema@.> (@extschema@.turn, @extschema@.turn) IS 'greater than (by start, end, speaker, affiliation, body)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.turn, @extschema@.turn) IS 'greater than or equal (by start, end, speaker, affiliation, body)';

CREATE OPERATOR CLASS @extschema@.turn_ops DEFAULT FOR TYPE @extschema@.turn USING btree AS
	OPERATOR 1 @extschema@.< ,
	OPERATOR 2 @extschema@.<= ,
	OPERATOR 3 @extschema@.= ,
	OPERATOR 4 @extschema@.>= ,
	OPERATOR 5 @extschema@.> ,
	FUNCTION 1 @extschema@.turn_cmp(@extschema@.turn, @extschema@.turn);
COMMENT ON OPERATOR CLASS @extschema@.turn_ops USING btree IS 'btree ordering of turns';
COMMENT ON OPERATOR FAMILY @extschema@.turn_ops USING btree IS 'btree ordering of turns';

CREATE OPERATOR CLASS @extschema@.turn_hash_ops DEFAULT FOR TYPE @extschema@.turn USING hash AS
	OPERATOR 1 @extschema@.= ,
	FUNCTION 1 @extschema@.turn_hash(@extschema@.turn),
	FUNCTION 2 @extschema@.turn_hash_extended(@extschema@.turn, pg_catalog.int8);
COMMENT ON OPERATOR CLASS @extschema@.turn_hash_ops USING hash IS 'hashing of turns';
COMMENT ON OPERATOR FAMILY @extschema@.turn_hash_ops USING hash IS 'hashing of turns';

-- ---------------------------------------------------------------- JSON
CREATE FUNCTION @extschema@.turn_to_jsonb(@extschema@.turn) RETURNS pg_catalog.jsonb
	AS 'MODULE_PATHNAME', 'turn_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.turn_to_jsonb(@extschema@.turn) IS
	'turn as a JSON object (speaker, affiliation, start_time and end_time in seconds, body)';

CREATE FUNCTION @extschema@.turn_from_jsonb(pg_catalog.jsonb) RETURNS @extschema@.turn
	AS 'MODULE_PATHNAME', 'turn_from_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.turn_from_jsonb(pg_catalog.jsonb) IS
	'turn from a JSON object with the keys speaker, affiliation, body, start_time, end_time';

CREATE FUNCTION @extschema@.turn_to_json(@extschema@.turn) RETURNS pg_catalog.json
	AS 'SELECT pg_catalog.to_json(@extschema@.turn_to_jsonb($1))'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.turn_to_json(@extschema@.turn) IS 'turn as a JSON object';

CREATE FUNCTION @extschema@.turn_from_json(pg_catalog.json) RETURNS @extschema@.turn
	AS 'SELECT @extschema@.turn_from_jsonb(pg_catalog.jsonb_in(pg_catalog.json_out($1)))'
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.turn_from_json(pg_catalog.json) IS 'turn from a JSON object';

CREATE CAST (@extschema@.turn AS pg_catalog.jsonb) WITH FUNCTION @extschema@.turn_to_jsonb(@extschema@.turn);
CREATE CAST (pg_catalog.jsonb AS @extschema@.turn) WITH FUNCTION @extschema@.turn_from_jsonb(pg_catalog.jsonb);
CREATE CAST (@extschema@.turn AS pg_catalog.json) WITH FUNCTION @extschema@.turn_to_json(@extschema@.turn);
CREATE CAST (pg_catalog.json AS @extschema@.turn) WITH FUNCTION @extschema@.turn_from_json(pg_catalog.json);
COMMENT ON CAST (@extschema@.turn AS pg_catalog.jsonb) IS 'turn as a JSON object';
COMMENT ON CAST (pg_catalog.jsonb AS @extschema@.turn) IS 'turn from a JSON object';
COMMENT ON CAST (@extschema@.turn AS pg_catalog.json) IS 'turn as a JSON object';
COMMENT ON CAST (pg_catalog.json AS @extschema@.turn) IS 'turn from a JSON object';
