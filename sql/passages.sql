SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

CREATE TEMP TABLE turns (transcript_id int, ord int, t turn);
\copy turns FROM 'test/fixtures/query_turns.tsv'
CREATE TEMP VIEW doc AS SELECT 'Good morning everyone. Thank you for coming. The trade war with China has hurt our farmers badly. Soybean prices fell. We will talk about tariffs later.'::text AS d;

-- best_passage: whole sentences, at most max_words words, character offsets, BM25 score
SELECT passage, start_offset, end_offset, round(score::numeric, 6) AS score,
       substr(d, start_offset + 1, end_offset - start_offset) = passage AS offsets_ok
FROM doc, best_passage(d, 'trade war farmers tariffs', max_words => 12);
SELECT passage, start_offset, end_offset FROM doc, best_passage(d, 'trade war farmers tariffs', max_words => 30);
SELECT passage FROM doc, best_passage(d, 'nothing here');
SELECT passage FROM doc, best_passage(d, '');
-- a sentence longer than max_words is cut at words
SELECT passage FROM doc, best_passage(d, 'china', max_words => 4);

-- passages: the top n non-overlapping windows, best first
SELECT passage, start_offset, end_offset, round(score::numeric, 6) AS score
FROM doc, passages(d, 'trade war farmers tariffs', n => 3, max_words => 12);
SELECT count(*) FROM doc, passages(d, 'trade war farmers tariffs', n => 1);
SELECT count(*) FROM doc, passages(d, 'trade war farmers tariffs', n => 0);

-- on turns: offsets are into the body
SELECT ord, p.passage, p.start_offset, p.end_offset,
       substr(body(t), p.start_offset + 1, p.end_offset - p.start_offset) = p.passage AS offsets_ok
FROM turns, best_passage(t, '"port fee" tax', max_words => 15) p
WHERE transcript_id = 1 ORDER BY ord;
SELECT ord, p.passage FROM turns, passages(t, 'bridge', n => 2, max_words => 12) p
WHERE transcript_id = 1 ORDER BY ord, p.score DESC;

-- snippet: phrase-aware; ts_headline marks every word of the phrase anywhere
SELECT snippet('The war on trade is not a trade war. Soybean prices fell.', '"trade war"') AS snippet,
       ts_headline('english', 'The war on trade is not a trade war. Soybean prices fell.',
                   phraseto_tsquery('english', 'trade war')) AS ts_headline;
SELECT snippet('The war on trade is not a trade war. Soybean <prices> fell & "rose".', '"trade war" soybean', html => true);
SELECT snippet('The war on trade is not a trade war. Soybean <prices> fell & "rose".', '"trade war" soybean');
SELECT snippet('Prices of soybeans, soy milk and soya fell.', 'soy*', start_sel => '[', stop_sel => ']');
SELECT snippet('Words one two three four five six seven.', 'absent', max_words => 3);
SELECT snippet('Words one two three four five six seven.', '', max_words => 3);
SELECT snippet('   ', 'x');
-- NEAR highlights only occurrences inside a window that satisfies it
SELECT snippet('Huawei makes phones. Later, after many other words were said here, came a ban. Huawei faces a ban.', 'NEAR/2(huawei ban)', max_words => 40);
-- excluded terms are never highlighted
SELECT snippet('Tariffs on soybeans and tariffs on corn.', 'tariffs -wheat soybeans');
SELECT ord, snippet(t, '"port fee" OR fund', max_words => 20) FROM turns WHERE t @@ '"port fee" OR fund' ORDER BY transcript_id, ord;

-- kwic: one row per match, width characters either side, character offsets
SELECT * FROM kwic('The war on trade is not a trade war.
Soybean prices fell in the trade war.', '"trade war" soybean*', width => 12);
SELECT transcript_id, ord, k.* FROM turns, kwic(t, 'fee', width => 20) k ORDER BY transcript_id, ord, k.start_offset;
SELECT * FROM kwic('Ünïcode wörds: café, naïve café.', 'cafe', width => 5);
SELECT count(*) FROM kwic('nothing', '');

-- bad arguments and NULLs
SELECT * FROM best_passage('x', 'x', max_words => 0);
SELECT * FROM passages('x', 'x', n => -1);
SELECT * FROM passages('x', 'x', max_words => 10001);
SELECT * FROM kwic('x', 'x', width => -1);
SELECT snippet('x', 'x', k1 => -1);
SELECT snippet('x', 'x', b => 2);
SELECT snippet(NULL::text, 'x'), snippet('x', NULL), (best_passage(NULL::text, 'x')).passage;
SELECT count(*) FROM kwic(NULL::text, 'x');

-- corpus statistics and BM25
CREATE TEMP TABLE stats AS SELECT bm25_stats('turns', 't') AS s;
SELECT s->'documents' AS documents, s->'avgdl' AS avgdl, s->'df'->'fee' AS df_fee,
       s->'df'->'bridg' AS df_bridge, s->'df'->'the' AS df_the FROM stats;
SELECT (bm25_stats('turns', 't') -> 'documents') = (SELECT count(*) FROM turns)::text::jsonb AS counts_all;
SELECT bm25_stats('turns', 'nope');
SELECT bm25_stats('turns', 'ord');
SELECT tquery_stats(tquery_with_stats('fee "harbor fund" tax* -bridge', s)) FROM stats;
SELECT tquery_stats('fee'::tquery);
SELECT tquery_with_stats('fee', '{"documents": 3}');
-- the score equals the formula computed by hand from tokens()
WITH q AS (SELECT tquery_with_stats('fee', s) AS q, (s->>'documents')::float8 AS n,
                  (s->>'avgdl')::float8 AS avgdl, (s->'df'->>'fee')::float8 AS df FROM stats),
     d AS (SELECT ord, t, (SELECT count(*) FROM tokens(t) WHERE lexeme = 'fee') AS tf,
                  (SELECT max(position) FROM tokens(t)) AS dl FROM turns WHERE transcript_id = 1)
SELECT ord, tf, dl, round(bm25_score(t, q)::numeric, 10) AS score,
       round((ln(1 + (n - df + 0.5) / (df + 0.5)) * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl)))::numeric, 10) AS by_hand
FROM q, d WHERE tf > 0 ORDER BY ord;
-- a term twice in the query weighs twice; k1 and b; no statistics: idf 1, avgdl = the text's length
SELECT round(bm25_score('fee fee fee', 'fee fee')::numeric, 6) AS twice,
       round(bm25_score('fee fee fee', 'fee')::numeric, 6) AS once,
       round(bm25_score('fee fee fee', 'fee', k1 => 0)::numeric, 6) AS k1_0,
       round(bm25_score('fee x y z', 'fee', b => 0)::numeric, 6) AS b_0,
       bm25_score('fee', 'nothing') AS absent;
-- ranking turns
SELECT transcript_id, ord, round(bm25_score(t, q)::numeric, 4) AS score
FROM turns, (SELECT tquery_with_stats('port fee OR fund', s) q FROM stats) x
WHERE t @@ q ORDER BY score DESC, transcript_id, ord LIMIT 4;

-- questions and answers, speaker statistics
SELECT a.question_no, speaker(a.question) AS asker, a.answer_no, speaker(a.answer) AS answerer
FROM (SELECT transcript_id, array_agg(t ORDER BY ord) ts FROM turns GROUP BY 1) x, answers(x.ts) a
ORDER BY x.transcript_id, a.question_no;
SELECT s.speaker, s.turns, s.words, round(s.word_share::numeric, 3) AS share, s.questions,
       s.first_turn, s.last_turn, s.first_start, s.last_start
FROM (SELECT array_agg(t ORDER BY ord) ts FROM turns WHERE transcript_id = 1) x, speaker_stats(x.ts) s;
SELECT * FROM answers(ARRAY['A: Really?', 'A: I mean it?', 'B: “Yes?”', NULL, ': Unknown answer.']::turn[]);
SELECT * FROM answers('{}'::turn[]);
SELECT * FROM speaker_stats(ARRAY[NULL, ': no speaker', 'X: one two']::turn[]);

-- context: the turns before and after each hit (window functions)
SELECT transcript_id, ord, speaker(prev_t) AS before, speaker(t) AS hit, speaker(next_t) AS after
FROM (SELECT transcript_id, ord, t,
             lag(t) OVER w AS prev_t, lead(t) OVER w AS next_t
      FROM turns WINDOW w AS (PARTITION BY transcript_id ORDER BY ord)) s
WHERE t @@ 'speaker:calderon bridge'
ORDER BY transcript_id, ord;
-- or with a range of turns around each hit
SELECT h.ord AS hit, c.ord, speaker(c.t)
FROM turns h JOIN turns c ON c.transcript_id = h.transcript_id AND c.ord BETWEEN h.ord - 1 AND h.ord + 1
WHERE h.t @@ 'fishing' ORDER BY h.ord, c.ord;

-- passages ignore the speaker filter (use @@ to filter rows)
SELECT snippet('The fee went up.', 'speaker:Ren fee'), 'The fee went up.' @@ 'speaker:Ren fee'::tquery AS text_match;

-- interruptible: a statement timeout cancels a long run, and the next call works
SET statement_timeout = '200ms';
SELECT count(*) FROM generate_series(1, 100000) g, kwic(repeat('A tax and more words. ', 2000), 'tax');
SELECT count(*) FROM generate_series(1, 100000) g WHERE snippet(repeat('A tax and more words. ', 2000) || g, 'tax') <> '';
RESET statement_timeout;
SELECT snippet('After a cancel. The sentence iterator still works.', 'iterator');
SELECT left_context, match FROM kwic('one tax two tax three tax', 'tax', width => 4) LIMIT 1;
