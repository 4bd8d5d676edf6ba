SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- the query language: canonical output and the analysed lexemes
SELECT q::tquery AS canonical, tquery_lexemes(q::tquery) AS lexemes
FROM (VALUES ('tariffs'), ('  trade   war  '), ('"trade war"'), ('"President of the United States"'),
             ('econ*'), ('"trade wa*"'), ('e-mail'), ('self-reliance'),
             ('china trade OR tariffs'), ('china trade or tariffs'), ('china trade | tariffs'),
             ('(china trade) OR tariffs'), ('china AND trade'), ('china -soybeans'),
             ('china NOT soybeans'), ('china -(soybeans OR corn)'), ('china -"soy beans"'),
             ('NEAR(huawei ban)'), ('NEAR/5(huawei "export ban" sanctions)'), ('near'),
             ('"or" china'), ('the china'), ('speaker:Ren'), ('tariffs speaker:"Anna Fifield"'),
             ('SPEAKER:ren'), (''), ('the of'), ('"running" Runs')) v(q);

-- canonical output parses back to itself
SELECT q::tquery::text::tquery::text = q::tquery::text AS stable
FROM (VALUES ('china (trade OR tariffs) -soybeans'), ('speaker:"Anna Fifield" NEAR/3(huawei "export ban")'),
             ('"or" e-mail econ* -(soybeans OR corn prices)'), ('china --x')) v(q);

-- errors: SQLSTATE 42601, the character position, a hint
\set VERBOSITY default
SELECT '"trade war'::tquery;
SELECT 'china "trade war'::tquery;
SELECT '(china trade'::tquery;
SELECT 'china) trade'::tquery;
SELECT '()'::tquery;
SELECT 'OR china'::tquery;
SELECT 'china OR'::tquery;
SELECT 'AND china'::tquery;
SELECT 'china NOT'::tquery;
SELECT '-soybeans'::tquery;
SELECT '-soybeans -corn'::tquery;
SELECT 'china OR -soybeans'::tquery;
SELECT 'NEAR/(a b)'::tquery;
SELECT 'NEAR/101(a b)'::tquery;
SELECT 'NEAR(china)'::tquery;
SELECT 'NEAR(china OR trade)'::tquery;
SELECT 'speaker:'::tquery;
SELECT 'china OR speaker:Ren'::tquery;
SELECT 'speaker:Ren speaker:Li'::tquery;
SELECT 'héllo wörld)'::tquery;
-- the SQLSTATE (psql keeps the last one; verbose output would also print source line numbers)
SELECT 'china OR'::tquery;
\echo :LAST_ERROR_SQLSTATE
SELECT to_tquery('-x');
\echo :LAST_ERROR_SQLSTATE

-- limits: 64 kB of text, 256 words, 32 levels of nesting
SELECT to_tquery(repeat('x ', 600000));
SELECT to_tquery(string_agg('w' || i, ' ')) FROM generate_series(1, 10000) i;
SELECT length(to_tquery(string_agg('w' || i, ' '))::text) FROM generate_series(1, 256) i;
SELECT to_tquery(repeat('(', 40) || 'x' || repeat(')', 40));

-- websearch_to_tsquery-style text never raises a syntax error
SELECT websearch_to_tquery(q) AS tquery, tquery_lexemes(websearch_to_tquery(q)) AS lexemes,
       websearch_to_tsquery('english', q) AS builtin
FROM (VALUES ('"trade war" or tariffs -china'), ('"unterminated phrase'), ('china or'),
             ('or china'), ('(china) trade)'), ('econ*'), ('china - trade')) v(q);
SELECT websearch_to_tquery('-china');

-- an explicit configuration
SELECT tquery_lexemes(to_tquery('transcripts_nostop', 'the war')), tquery_lexemes(to_tquery('the war'));
SELECT to_tquery('english', 'war');

-- speaker filter
SELECT tquery_speaker('speaker:"Anna Fifield" china'), tquery_speaker('china');

-- matching text
SELECT d, q, d @@ q::tquery AS text_match
FROM (VALUES ('The trade war with China hurt soybean farmers in Iowa.')) t(d),
     (VALUES ('china'), ('CHINA trade'), ('china tariffs'), ('china tariffs OR farmers'),
             ('"trade war"'), ('"war trade"'), ('"the trade war"'), ('"war with china"'), ('"war china"'),
             ('soy*'), ('soybeans'), ('china -tariffs'), ('china -iowa'), ('china -(iowa OR ohio)'),
             ('NEAR/2(trade china)'), ('NEAR/1(trade china)'), ('NEAR/4("trade war" farmers)'),
             ('NEAR/3("trade war" farmers)'), (''), ('the'), ('speaker:Ren china')) v(q);
SELECT 'tariffs'::tquery @@ 'New tariffs.'::text AS commuted;
SELECT NULL::text @@ 'x'::tquery, 'x'::text @@ NULL::tquery;

-- matching turns: the speaker filter is case- and accent-insensitive, whole words
SELECT t, q, t::turn @@ q::tquery AS turn_match
FROM (VALUES ('Ren Zhengfei: We never did that.'), ('MR. RÉN: We never did that.'),
             ('Lorenzo: We never did that.'), (': We never did that.')) v(t),
     (VALUES ('speaker:ren'), ('speaker:ren never'), ('speaker:ren always'), ('never')) w(q)
ORDER BY 1, 2;

-- binary I/O goes through the canonical text
CREATE TEMP TABLE qs (q tquery);
INSERT INTO qs VALUES ('speaker:"Anna Fifield" china -"soy beans" NEAR/3(econ* trade)'), ('');
\copy qs TO 'results/tquery.bin' WITH (FORMAT binary)
CREATE TEMP TABLE qs2 (q tquery);
\copy qs2 FROM 'results/tquery.bin' WITH (FORMAT binary)
SELECT q FROM qs2;

-- the GIN path: tquery_to_tsquery matches a superset, recheck with @@
SELECT tquery_to_tsquery(q::tquery)
FROM (VALUES ('"trade war" econ* -china'), ('NEAR/3(huawei ban)'), ('speaker:Ren'), ('')) v(q);
CREATE TEMP TABLE docs (id int, body text);
INSERT INTO docs SELECT i, CASE WHEN i % 100 = 0 THEN 'The trade war hurt farmers.'
                               WHEN i % 100 = 1 THEN 'War is not trade.' ELSE 'Nothing to see ' || i END
FROM generate_series(1, 2000) i;
CREATE INDEX docs_fts ON docs USING gin (to_tsvector('transcripts', body));
ANALYZE docs;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM docs
WHERE to_tsvector('transcripts', body) @@ tquery_to_tsquery('"trade war"') AND body @@ '"trade war"'::tquery;
SELECT count(*) FROM docs
WHERE to_tsvector('transcripts', body) @@ tquery_to_tsquery('"trade war"') AND body @@ '"trade war"'::tquery;
SELECT count(*) FROM docs
WHERE to_tsvector('transcripts', body) @@ tquery_to_tsquery('trade war') AND body @@ 'trade war'::tquery;
RESET enable_seqscan;
SELECT count(*) FROM docs WHERE body @@ '"trade war"'::tquery;

-- to_tquery($1) in a prepared statement is not folded into a constant: each
-- call site keeps its last text and query.  Another text gives another
-- query, and a dictionary changed between two calls of the same expression
-- is seen.
SET plan_cache_mode = force_generic_plan;
PREPARE tq_prep(text) AS SELECT to_tquery('transcripts', $1)::text AS q, tquery_lexemes(to_tquery('transcripts', $1)) AS lexemes
	FROM generate_series(1, 3);
EXECUTE tq_prep('running dogs');
EXECUTE tq_prep('cats OR "trade war"');
DEALLOCATE tq_prep;
RESET plan_cache_mode;
CREATE TEXT SEARCH CONFIGURATION tq_memo_cfg (COPY = transcripts);
CREATE TEXT SEARCH DICTIONARY tq_memo_simple (TEMPLATE = pg_catalog.simple);
DO $$
DECLARE
	got text[] := '{}';
	w text := 'running dogs';
BEGIN
	-- w is a parameter of the expression, not a constant folded when it is planned
	FOR i IN 1 .. 2 LOOP
		got := got || tquery_lexemes(to_tquery('tq_memo_cfg', w));
		IF i = 1 THEN
			ALTER TEXT SEARCH CONFIGURATION tq_memo_cfg ALTER MAPPING FOR word WITH tq_memo_simple;
		END IF;
	END LOOP;
	RAISE NOTICE 'before and after the mapping changed: %', got;
END $$;
DROP TEXT SEARCH CONFIGURATION tq_memo_cfg;
DROP TEXT SEARCH DICTIONARY tq_memo_simple;
