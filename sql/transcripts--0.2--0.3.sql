/* transcripts--0.2--0.3.sql: search part 1 (text analysis, tquery, passages, snippets, KWIC) */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.3'" to load this file. \quit
