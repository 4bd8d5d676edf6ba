# 070_bm25_concurrency.pl: inserts, deletes, top-k queries and VACUUM run
# concurrently on one bm25 index (pgbench, several clients); no client gets
# an error, and afterwards the index returns exactly the rows of the table
# and its statistics match them (VACUUM with INDEX_CLEANUP ON: with the
# default AUTO, VACUUM may skip the index when few rows are dead, and then
# they stay in the statistics until a later VACUUM).
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('bm25conc');
$node->init;
$node->append_conf('postgresql.conf', "autovacuum = off\n");
$node->start;
$node->safe_psql('postgres', q{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE docs (id serial PRIMARY KEY, body text);
INSERT INTO docs (body) SELECT 'common seed' || (i % 13) || ' w' || (i % 101) FROM generate_series(1, 2000) i;
CREATE INDEX docs_bm25 ON docs USING bm25 (body) WITH (pending_limit = 64);
});

$node->pgbench(
	'--no-vacuum --client=5 --jobs=1 --time=20',
	0,
	[qr{processed: [1-9]}],
	[qr{^$}],
	'concurrent inserts, deletes, queries and vacuum',
	{
		'070_insert' => q{
\set n random(1, 1000)
INSERT INTO docs (body) SELECT 'common ins w' || :n || ' x' || g FROM generate_series(1, 5) g;
},
		'070_delete@2' => q{
\set n random(1, 100)
DELETE FROM docs WHERE id IN (SELECT id FROM docs WHERE body LIKE '% w' || :n || ' %' LIMIT 3);
},
		'070_query@4' => q{
\set n random(1, 100)
SET enable_seqscan = off;
SELECT count(*) FROM (SELECT id FROM docs ORDER BY body <@> to_tquery('w' || :n || ' common') LIMIT 10) s;
SELECT count(*) FROM (SELECT id FROM docs ORDER BY body <@> to_tquery('common') LIMIT 50) s;
},
		'070_vacuum@1' => q{
VACUUM docs;
},
	});

my $rows = $node->safe_psql('postgres', 'SELECT count(*) FROM docs');
my $via_index = $node->safe_psql('postgres', q{
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*), count(DISTINCT id) FROM
	(SELECT id FROM docs ORDER BY body <@> to_tquery('common') LIMIT 1000000) s});
is($via_index, "$rows|$rows", "the index returns the $rows rows of the table, once each");

$node->safe_psql('postgres', 'VACUUM (INDEX_CLEANUP ON) docs');
my $stats = $node->safe_psql('postgres', q{
SELECT documents = (SELECT count(*) FROM docs),
	   total_length = (SELECT sum(array_length(regexp_split_to_array(body, ' '), 1)) FROM docs),
	   segments BETWEEN 1 AND 2, pending_documents
FROM bm25_index_stats('docs_bm25')});
# VACUUM turns the pending list into a segment; it merges all segments only when there are several
is($stats, 't|t|t|0', 'after VACUUM the statistics are exactly the rows of the table');

# pages freed by merges were recycled: the index did not grow without bound
my $pages = $node->safe_psql('postgres', q{SELECT pg_relation_size('docs_bm25') / 8192});
my $free = $node->safe_psql('postgres', q{VACUUM (INDEX_CLEANUP ON) docs; SELECT pg_relation_size('docs_bm25') / 8192});
cmp_ok($free, '<=', $pages, "index size stays at $free pages after another VACUUM");

$node->stop;
done_testing();
