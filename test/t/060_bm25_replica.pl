# 060_bm25_replica.pl: a bm25 index is replayed on a streaming replica.  After
# a build, inserts that flush the pending list into segments, deletes and a
# VACUUM that merges the segments, the standby returns the same top-k rows
# with the same scores and the same statistics as the primary.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('bm25primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', q{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE docs (id int PRIMARY KEY, body text);
INSERT INTO docs SELECT i, 'seed' || (i % 13) || ' court ' || repeat('w' || (i % 101) || ' ', 1 + i % 5)
FROM generate_series(1, 3000) i;
CREATE INDEX docs_bm25 ON docs USING bm25 (body) WITH (k1 = 1.5, b = 0.5, pending_limit = 64);
});

$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('bm25standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
$standby->start;

my @queries = ('court', 'seed3', 'w7 OR w8', 'court seed5', '"court w9"', 'pending', 'w1*');

sub compare
{
	my ($label) = @_;
	$primary->wait_for_catchup($standby);
	for my $q (@queries)
	{
		my $sql = qq{
SET enable_seqscan = off;
SELECT string_agg(id || ':' || round(-d::numeric, 9), ',')
FROM (SELECT id, body <@> to_tquery('$q') AS d FROM docs ORDER BY body <@> to_tquery('$q') LIMIT 10) s};
		my $p = $primary->safe_psql('postgres', $sql);
		my $s = $standby->safe_psql('postgres', $sql);
		is($s, $p, "$label: standby top-10 for '$q' equals the primary's");
	}
	my $stats = q{SELECT documents, total_length, terms, segments, pending_documents FROM bm25_index_stats('docs_bm25')};
	is($standby->safe_psql('postgres', $stats), $primary->safe_psql('postgres', $stats),
		"$label: same statistics");
}

compare('after build');

$primary->safe_psql('postgres', q{
INSERT INTO docs SELECT i, 'pending ' || (SELECT string_agg('w' || (i * j % 997), ' ') FROM generate_series(1, 30) j)
FROM generate_series(3001, 5000) i;
});
my $segs = $primary->safe_psql('postgres', q{SELECT segments FROM bm25_index_stats('docs_bm25')});
cmp_ok($segs, '>', 1, "inserts wrote $segs segments");
compare('after inserts');

$primary->safe_psql('postgres', q{DELETE FROM docs WHERE id % 3 = 0; UPDATE docs SET body = body || ' court' WHERE id % 7 = 0});
compare('after delete and update');

$primary->safe_psql('postgres', q{VACUUM (INDEX_CLEANUP ON) docs});
is($primary->safe_psql('postgres', q{SELECT segments || ' ' || pending_documents FROM bm25_index_stats('docs_bm25')}),
	'1 0', 'VACUUM merged everything into one segment');
compare('after vacuum');

# pages freed by the merge are recycled by the next VACUUM and replayed too
$primary->safe_psql('postgres', q{
INSERT INTO docs SELECT i, 'late court ' || i FROM generate_series(6000, 7000) i;
VACUUM (INDEX_CLEANUP ON) docs;
});
compare('after recycling');

my $n = $standby->safe_psql('postgres', q{
SET enable_seqscan = off;
SELECT count(*) FROM (SELECT id FROM docs ORDER BY body <@> to_tquery('late') LIMIT 100000) s});
is($n, '1001', 'the standby finds every late row');

$standby->stop;
$primary->stop;
done_testing();
