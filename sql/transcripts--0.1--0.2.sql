/* transcripts--0.1--0.2.sql: the segmenter */

\echo Use "ALTER EXTENSION transcripts UPDATE TO '0.2'" to load this file. \quit
