SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- snippet, kwic, best_passage and passages with simple dictionaries (no
-- stemming): words of a simple dictionary that accepts every word are
-- matched without the lexeme cache when their text matches no query term;
-- stop words keep their position, an Accept = false dictionary hands the
-- other words on, and a change of dictionary is followed
CREATE TEXT SEARCH DICTIONARY ps_simple (TEMPLATE = pg_catalog.simple);
CREATE TEXT SEARCH DICTIONARY ps_stop (TEMPLATE = pg_catalog.simple, StopWords = english);
CREATE TEXT SEARCH DICTIONARY ps_reject (TEMPLATE = pg_catalog.simple, StopWords = english, Accept = false);
CREATE TEXT SEARCH CONFIGURATION ps_plain (PARSER = transcripts_parser);
ALTER TEXT SEARCH CONFIGURATION ps_plain ADD MAPPING FOR word, compound_part, compound, number, mixed, dict_word, compound_numpart, numcompound WITH ps_simple;
CREATE TEXT SEARCH CONFIGURATION ps_stops (PARSER = transcripts_parser);
ALTER TEXT SEARCH CONFIGURATION ps_stops ADD MAPPING FOR word, compound_part, compound, number, mixed WITH ps_stop;
CREATE TEXT SEARCH CONFIGURATION ps_chain (PARSER = transcripts_parser);
ALTER TEXT SEARCH CONFIGURATION ps_chain ADD MAPPING FOR word, compound_part, compound WITH ps_reject, english_stem;

CREATE TABLE ps_doc (id int, body text);
INSERT INTO ps_doc VALUES
 (1, 'Mr. Chief Justice, and may it please the Court. The statute says what Congress meant. '
     'Congress wrote the statute in 1976; the Statute''s text is plain. Is the statute clear? '
     'We think so. The self-reliance of the States, CONGRESS''s power, and the statutes all agree.'),
 (2, 'Nothing here matches at all, not one word of it, none.'),
 (3, 'The trade war with China hurt soybean farmers in Iowa. Trade war! The war of trade, the trade of war.'),
 (4, 'Café owners said the naïve statute was “the worst” — Congress disagreed, as did the cafe.');

SELECT id, snippet(body, to_tquery('ps_plain', 'statute OR congress'), max_words => 12) FROM ps_doc ORDER BY id;
SELECT id, snippet(body, to_tquery('ps_stops', 'statute OR congress'), max_words => 12) FROM ps_doc ORDER BY id;
SELECT id, snippet(body, to_tquery('ps_chain', 'statute OR congress'), max_words => 12) FROM ps_doc ORDER BY id;
SELECT id, snippet(body, to_tquery('ps_plain', 'statut* OR cafe'), max_words => 10) FROM ps_doc ORDER BY id;
-- phrases across stop words: the stop word keeps its position
SELECT id, snippet(body, to_tquery('ps_stops', '"war of trade"'), max_words => 8) FROM ps_doc ORDER BY id;
SELECT id, snippet(body, to_tquery('ps_plain', '"war of trade"'), max_words => 8) FROM ps_doc ORDER BY id;
SELECT id, snippet(body, to_tquery('ps_stops', 'NEAR/1(trade war)'), max_words => 8) FROM ps_doc ORDER BY id;
SELECT id, k.* FROM ps_doc, kwic(body, to_tquery('ps_plain', 'statute OR congress OR self'), 8) k ORDER BY id, k.start_offset;
SELECT id, k.* FROM ps_doc, kwic(body, to_tquery('ps_chain', 'statute OR congress'), 8) k ORDER BY id, k.start_offset;
SELECT id, b.* FROM ps_doc, best_passage(body, to_tquery('ps_stops', 'trade war'), max_words => 9) b ORDER BY id;
SELECT id, p.* FROM ps_doc, passages(body, to_tquery('ps_plain', 'statute congress'), n => 3, max_words => 10) p ORDER BY id, p.score DESC, p.start_offset;
SELECT id, body @@ to_tquery('ps_plain', '"the statute"') AS phrase, body @@ to_tquery('ps_stops', 'statute -congress') AS excl FROM ps_doc ORDER BY id;

-- a query made before the dictionary changed: its term is now a stop word
CREATE TABLE ps_q AS SELECT to_tquery('ps_plain', 'statute OR the') AS q;
SELECT id, snippet(body, q, max_words => 12) FROM ps_doc, ps_q ORDER BY id;
ALTER TEXT SEARCH DICTIONARY ps_simple (StopWords = english);
SELECT id, snippet(body, q, max_words => 12) FROM ps_doc, ps_q ORDER BY id;
-- now it accepts nothing but stop words: the others are unknown and take no position
ALTER TEXT SEARCH DICTIONARY ps_simple (StopWords = english, Accept = false);
SELECT id, snippet(body, q, max_words => 12) FROM ps_doc, ps_q ORDER BY id;
SELECT id, k.* FROM ps_doc, ps_q, kwic(body, q, 4) k ORDER BY id, k.start_offset;
ALTER TEXT SEARCH DICTIONARY ps_simple (StopWords = english, Accept = true);
SELECT id, snippet(body, q, max_words => 12) FROM ps_doc, ps_q ORDER BY id;
