-- Install the first release and update along the chain of upgrade scripts to the default version.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS transcripts CASCADE;
RESET client_min_messages;
CREATE EXTENSION transcripts VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'transcripts';
CREATE TABLE upgrade_keep (t turn);
INSERT INTO upgrade_keep VALUES ('[00:00:01-00:00:02] Ren (Huawei): kept across updates');
ALTER EXTENSION transcripts UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'transcripts') AS at_default
FROM pg_extension WHERE extname = 'transcripts';
SELECT t, speaker(t) FROM upgrade_keep;

-- an updated install has exactly the objects of a fresh install
CREATE TEMP TABLE updated_objects AS
SELECT pg_describe_object(classid, objid, objsubid) AS obj
FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'transcripts');
DROP TABLE upgrade_keep;
DROP EXTENSION transcripts;
CREATE EXTENSION transcripts;
SELECT count(*) AS only_in_updated FROM (
	SELECT obj FROM updated_objects
	EXCEPT
	SELECT pg_describe_object(classid, objid, objsubid) FROM pg_depend
	WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
		AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'transcripts')) d;
SELECT count(*) AS only_in_fresh FROM (
	SELECT pg_describe_object(classid, objid, objsubid) FROM pg_depend
	WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
		AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'transcripts')
	EXCEPT
	SELECT obj FROM updated_objects) d;

-- every object of the extension has a comment
SELECT pg_describe_object(classid, objid, objsubid) AS uncommented
FROM pg_depend d
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'transcripts')
	AND obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)) IS NULL
	AND classid <> 'pg_amop'::regclass AND classid <> 'pg_amproc'::regclass
	-- array types and the types' I/O are covered by the type's comment
	AND NOT (classid = 'pg_type'::regclass AND EXISTS (SELECT 1 FROM pg_type WHERE oid = objid AND typelem <> 0))
ORDER BY 1;

-- functions are marked parallel safe, and the install script pins every name to a schema
SELECT proname, proparallel FROM pg_proc
WHERE pronamespace = (SELECT extnamespace FROM pg_extension WHERE extname = 'transcripts')
	AND proparallel <> 's' ORDER BY 1;
