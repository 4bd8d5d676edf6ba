# 050_bm25_crash.pl: a bm25 index survives a crash in the middle of inserts.
# Rows are inserted one per transaction (so the pending list is flushed into
# new segments again and again, pending_limit = 64 kB) while the inserting
# backend is killed with SIGKILL, which makes the postmaster reinitialise and
# replay the WAL; then the same again with an immediate shutdown.  After
# recovery every committed row is found through the index, none is missing or
# extra, and VACUUM brings the statistics back to exactly the rows in the
# table.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $node = PostgreSQL::Test::Cluster->new('bm25crash');
$node->init;
$node->append_conf('postgresql.conf', "restart_after_crash = on\n");
$node->start;

$node->safe_psql('postgres', q{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE docs (id int PRIMARY KEY, body text);
INSERT INTO docs SELECT i, 'common seed' || (i % 13) || ' tok' || i FROM generate_series(1, 500) i;
CREATE INDEX docs_bm25 ON docs USING bm25 (body) WITH (pending_limit = 64);
});

# one INSERT per transaction, long enough to be killed in the middle
my $tmp = PostgreSQL::Test::Utils::tempdir;
open(my $fh, '>', "$tmp/ins.sql") or die;
for my $i (501 .. 40000)
{
	my $words = join(' ', map { 'w' . (($i * $_) % 997) } 1 .. 25);
	print $fh "INSERT INTO docs VALUES ($i, 'common tok$i $words');\n";
}
close $fh;

sub insert_and_crash
{
	my ($how, $target) = @_;
	my ($out, $err) = ('', '');
	my $h = IPC::Run::start(
		[ 'psql', '-X', '-q', '-d', $node->connstr('postgres'), '-f', "$tmp/ins.sql" ],
		'>', \$out, '2>', \$err);

	# let a few segments get written, then crash
	$node->poll_query_until('postgres',
		qq{SELECT documents > $target FROM bm25_index_stats('docs_bm25')})
	  or die "inserts did not get going";
	if ($how eq 'kill9')
	{
		my $pid = $node->safe_psql('postgres',
			q{SELECT pid FROM pg_stat_activity WHERE query LIKE 'INSERT INTO docs%' LIMIT 1});
		ok($pid ne '', 'found the inserting backend');
		kill 'KILL', $pid;
		$h->finish;
		# the postmaster reinitialises after a backend crash and replays the WAL
		$node->poll_query_until('postgres', 'SELECT true') or die "no recovery";
	}
	else
	{
		$node->stop('immediate');
		$h->finish;
		$node->start;
	}
}

sub check_all
{
	my ($label) = @_;
	my $rows = $node->safe_psql('postgres', 'SELECT count(*) FROM docs');
	cmp_ok($rows, '>', 1000, "$label: $rows rows committed before the crash");

	# every committed row through the index: a query that matches all of them
	my $via_index = $node->safe_psql('postgres', q{
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*), count(DISTINCT id) FROM
	(SELECT id FROM docs ORDER BY body <@> to_tquery('common') LIMIT 1000000) s});
	is($via_index, "$rows|$rows", "$label: every committed row is found by the index, once");

	my $plan = $node->safe_psql('postgres', q{
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM docs ORDER BY body <@> to_tquery('common') LIMIT 10});
	like($plan, qr/Index Scan using docs_bm25/, "$label: the check used the index");

	# and each row by its own term (the ones around the crash point and a sample)
	my $missing = $node->safe_psql('postgres', q{
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM docs d
WHERE (d.id > (SELECT max(id) FROM docs) - 300 OR d.id % 97 = 0)
	AND NOT EXISTS (SELECT 1 FROM (SELECT id FROM docs x
								   ORDER BY x.body <@> to_tquery('tok' || d.id) LIMIT 1) y
					WHERE y.id = d.id)});
	is($missing, '0', "$label: rows near the crash point are found by their own terms");

	# the statistics count uncommitted rows until VACUUM removes them
	$node->safe_psql('postgres', 'VACUUM (INDEX_CLEANUP ON) docs');
	my $stats = $node->safe_psql('postgres', q{
SELECT documents = (SELECT count(*) FROM docs),
	   total_length = (SELECT sum(array_length(regexp_split_to_array(body, ' '), 1)) FROM docs)
FROM bm25_index_stats('docs_bm25')});
	is($stats, 't|t', "$label: after VACUUM the statistics are exactly the committed rows");
}

insert_and_crash('kill9', 4000);
check_all('kill -9 of a backend');
$node->safe_psql('postgres', 'DELETE FROM docs WHERE id > 500');
$node->safe_psql('postgres', 'VACUUM (INDEX_CLEANUP ON) docs');
insert_and_crash('immediate', 3000);
check_all('immediate shutdown');

# the index still takes inserts and answers the same after a clean restart
$node->safe_psql('postgres', q{INSERT INTO docs VALUES (100001, 'common aftercrash')});
$node->restart;
my $after = $node->safe_psql('postgres', q{
SET enable_seqscan = off;
SELECT id FROM docs ORDER BY body <@> to_tquery('aftercrash') LIMIT 5});
is($after, '100001', 'inserts after recovery are indexed');

$node->stop;
done_testing();
