# 080_bm25_parallel.pl: a bm25 index built with parallel workers.  The
# workers really take part (each writes runs), the index is the serial
# build's page for page (but for the page LSNs), it is the same after a crash
# right after the build (WAL replay), and an error in a worker leaves no
# temporary file behind.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('bm25par');
$node->init;
$node->append_conf('postgresql.conf', qq{
max_worker_processes = 8
max_parallel_workers = 8
min_parallel_table_scan_size = 0
maintenance_work_mem = 64MB
});
$node->start;

my $fixtures = $ENV{TX_FIXTURES} // 'fixtures';
$node->safe_psql('postgres', qq{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE lines (n serial, body text);
COPY lines (body) FROM '$fixtures/analysis_turns.txt';
CREATE TABLE docs (id int, body text) WITH (parallel_workers = 2, autovacuum_enabled = off);
INSERT INTO docs
SELECT k * 1000 + a.n, CASE WHEN k % 4 = 0 THEN a.body ELSE a.body || ' ' || b.body END
FROM generate_series(0, 59) k, lines a, lines b WHERE b.n = 1 + (a.n * 7 + k) % 186
ORDER BY k, a.n;
SET max_parallel_maintenance_workers = 0;
CREATE INDEX docs_serial ON docs USING bm25 (body);
});

# the parallel build, with its DEBUG2 report
my ($out, $err) = ('', '');
$node->psql('postgres', q{
SET max_parallel_maintenance_workers = 2;
SET client_min_messages = debug2;
CREATE INDEX docs_parallel ON docs USING bm25 (body);
}, stdout => \$out, stderr => \$err, on_error_die => 1);
like($err, qr/parallel build with 2 of 2 planned workers and the leader/, 'two workers were launched');
my ($w0, $w1, $leader) =
  $err =~ /runs per participant \(workers, then the leader\): (\d+) (\d+) (\d+)/;
ok(defined $w0, 'the build reported its runs');
cmp_ok($w0 // 0, '>', 0, "worker 0 analysed block ranges ($w0 runs)");
cmp_ok($w1 // 0, '>', 0, "worker 1 analysed block ranges ($w1 runs)");
cmp_ok($leader // 0, '>', 0, "the leader analysed block ranges ($leader runs)");

my $stats = q{SELECT documents, total_length, terms, segments, pending_documents, docids_used FROM bm25_index_stats('%s')};
is($node->safe_psql('postgres', sprintf($stats, 'docs_parallel')),
	$node->safe_psql('postgres', sprintf($stats, 'docs_serial')), 'same statistics');

# page for page, but for the LSN in each page header
my $have_pageinspect = $node->psql('postgres', 'CREATE EXTENSION pageinspect') == 0;
my $pages = q{
SELECT count(*) || ' pages, ' ||
	   count(*) FILTER (WHERE substr(get_raw_page('docs_serial', b::int), 9)
							  IS DISTINCT FROM substr(get_raw_page('docs_parallel', b::int), 9)) || ' differ'
FROM generate_series(0, pg_relation_size('docs_serial') / 8192 - 1) b
WHERE pg_relation_size('docs_serial') = pg_relation_size('docs_parallel')};
SKIP:
{
	skip 'pageinspect is not installed', 1 unless $have_pageinspect;
	like($node->safe_psql('postgres', $pages), qr/^[1-9]\d* pages, 0 differ$/,
		'the parallel build writes the same pages as the serial build');
}

my $top = q{
SET enable_seqscan = off;
SELECT string_agg(id || ':' || round(-d::numeric, 9), ',')
FROM (SELECT id, bm25_score('docs_parallel', body, to_tquery('court held')) AS d FROM docs
	  WHERE body @@ to_tquery('court held')
	  ORDER BY d DESC, id LIMIT 20) s};
my $before = $node->safe_psql('postgres', $top);
isnt($before, '', 'a query finds rows');

# a crash right after the build: WAL replay gives the same index
$node->stop('immediate');
$node->start;
is($node->safe_psql('postgres', sprintf($stats, 'docs_parallel')),
	$node->safe_psql('postgres', sprintf($stats, 'docs_serial')), 'after crash recovery: same statistics');
SKIP:
{
	skip 'pageinspect is not installed', 1 unless $have_pageinspect;
	like($node->safe_psql('postgres', $pages), qr/^[1-9]\d* pages, 0 differ$/,
		'after crash recovery: the same pages as the serial build');
}
is($node->safe_psql('postgres', $top), $before, 'after crash recovery: the same scores');
my $plan = $node->safe_psql('postgres', q{
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM docs ORDER BY body <@> to_tquery('court') LIMIT 5});
like($plan, qr/Index Scan using docs_(parallel|serial)/, 'the index scan is used');
my $via = q{
SET enable_seqscan = off;
DROP INDEX docs_serial;
SELECT count(*) FROM (SELECT id FROM docs ORDER BY body <@> to_tquery('court') LIMIT 100000) s};
my $expect = $node->safe_psql('postgres', q{
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM docs WHERE body @@ to_tquery('court')});
cmp_ok($expect, '>', 100, "$expect rows match 'court'");
is($node->safe_psql('postgres', $via), $expect,
	'after crash recovery: the index returns every row that matches');

# an error in a worker: the leader reports it and the run files are gone
$node->safe_psql('postgres', q{
CREATE FUNCTION fails_in_worker(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
	IF pg_backend_pid() <> current_setting('tx.leader')::int THEN
		RAISE EXCEPTION 'failing in a parallel worker';
	END IF;
	PERFORM pg_sleep(0.005);
	RETURN t;
END $$});
my ($o2, $e2) = ('', '');
my $rc = $node->psql('postgres', q{
SELECT set_config('tx.leader', pg_backend_pid()::text, false);
SET max_parallel_maintenance_workers = 2;
CREATE INDEX docs_fail ON docs USING bm25 (fails_in_worker(body));
}, stdout => \$o2, stderr => \$e2);
isnt($rc, 0, 'the build failed');
like($e2, qr/ERROR:  failing in a parallel worker.*parallel worker/s, 'with the worker\'s error and context');
my $tmpdir = $node->data_dir . '/base/pgsql_tmp';
my @left = -d $tmpdir ? glob("$tmpdir/*") : ();
is(scalar(@left), 0, 'no temporary files are left') or diag(join("\n", @left));
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_class WHERE relname = 'docs_fail'}), '0',
	'no index is left');

$node->stop;
done_testing();
