/* transcripts--0.3--0.4.sql: the bm25 index access method */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.4'" to load this file. \quit
