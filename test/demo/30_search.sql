-- title: searching turns: the query language, snippets, keyword in context, Q&A and speaker reports
\set QUIET on
\pset footer off
\pset format wrapped
\pset columns 110
CREATE EXTENSION IF NOT EXISTS transcripts;
\echo
\echo '-- Two fictional sessions (a press briefing and a council hearing), one turn per row:'
CREATE TABLE hearing (transcript_id int, ord int, t turn, PRIMARY KEY (transcript_id, ord));
\copy hearing FROM 'test/fixtures/query_turns.tsv'
SELECT transcript_id, ord, t FROM hearing ORDER BY 1, 2 LIMIT 4;

\echo '-- A query a journalist can type: words, "phrases", OR, -excluded, prefix*, NEAR/n(...), speaker:Name.'
\echo '-- The canonical form and the analysed (stemmed) lexemes:'
SELECT q::tquery AS query, tquery_lexemes(q::tquery) AS lexemes
FROM (VALUES ('"port fee" tax* -bridge'), ('fleet OR fishermen'), ('NEAR/3(bridge reopens)'),
             ('speaker:"ines calderon" bridge')) v(q);

\echo '-- Matching turns (turn @@ tquery); the speaker filter ignores case and accents:'
SELECT transcript_id, ord, speaker(t) FROM hearing WHERE t @@ 'speaker:"ines calderon" bridge' ORDER BY 1, 2;

\echo '-- Snippets mark a phrase only where it occurs as a phrase (ts_headline marks the words anywhere):'
SELECT ord, snippet(t, '"port fee"', start_sel => '[', stop_sel => ']', max_words => 20) AS snippet,
       ts_headline('english', body(t), phraseto_tsquery('english', 'port fee'),
                   'StartSel=[, StopSel=], MaxWords=20, MinWords=10') AS ts_headline
FROM hearing WHERE transcript_id = 1 AND t @@ '"port fee"' ORDER BY ord;

\echo '-- Keyword in context: one row per match, 25 characters either side, character offsets:'
SELECT transcript_id AS tr, ord, left_context, match, right_context, start_offset, end_offset
FROM hearing, kwic(t, '"port fee" OR tax*', width => 25) ORDER BY 1, 2, start_offset;

\echo '-- The best passage of whole sentences (at most 12 words) with its BM25 score:'
SELECT ord, passage, start_offset, end_offset, round(score::numeric, 3) AS score
FROM hearing, best_passage(t, 'bridge repairs', max_words => 12)
WHERE t @@ 'bridge repairs' ORDER BY score DESC;

\echo '-- Ranking with corpus statistics (bm25_stats builds them from a column):'
CREATE TABLE hearing_stats AS SELECT bm25_stats('hearing', 't') AS s;
SELECT transcript_id AS tr, ord, round(bm25_score(t, q)::numeric, 3) AS bm25, snippet(t, q, max_words => 15)
FROM hearing, (SELECT tquery_with_stats('harbor fund OR fee', s) AS q FROM hearing_stats) x
WHERE t @@ q ORDER BY bm25 DESC LIMIT 3;

\echo '-- Context: the turns before and after each hit:'
SELECT ord, speaker(prev_t) AS before, speaker(t) AS hit, speaker(next_t) AS after
FROM (SELECT transcript_id, ord, t, lag(t) OVER w AS prev_t, lead(t) OVER w AS next_t
      FROM hearing WINDOW w AS (PARTITION BY transcript_id ORDER BY ord)) s
WHERE t @@ 'fishing' ORDER BY transcript_id, ord;

\echo '-- Each question and the answer that follows:'
SELECT a.question_no AS q, speaker(a.question) AS asked_by, left(body(a.question), 45) AS question,
       speaker(a.answer) AS answered_by, left(body(a.answer), 40) AS answer
FROM (SELECT array_agg(t ORDER BY ord) ts FROM hearing WHERE transcript_id = 1) x, answers(x.ts) a;

\echo '-- Speaker statistics for a report:'
SELECT speaker, turns, words, round(word_share::numeric, 2) AS share, questions, first_turn, last_turn,
       first_start, last_start
FROM (SELECT array_agg(t ORDER BY ord) ts FROM hearing WHERE transcript_id = 1) x, speaker_stats(x.ts);

\echo '-- Bad queries say where and why (SQLSTATE 42601):'
\set ON_ERROR_STOP 0
SELECT 'tariffs OR'::tquery;
SELECT '-soybeans'::tquery;
\set ON_ERROR_STOP 1
DROP TABLE hearing_stats;
DROP TABLE hearing;
