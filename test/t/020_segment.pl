# 020_segment.pl: segment_transcript() outside the regression database: a
# non-UTF8 database fails with a clear error at first use, statement_timeout
# stops a large input promptly, a LIMIT and an error mid-scan leave the
# backend usable, and parallel workers give the same turns.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);

my $node = PostgreSQL::Test::Cluster->new('segment');
$node->init;
$node->start;

$node->safe_psql('postgres', q{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE raw_docs (id int, raw text);
INSERT INTO raw_docs SELECT g, 'Ann Lee: Hello number ' || g || E'.\n\nBo Ek: Hi.' FROM generate_series(1, 2000) g;
});

# a LATIN1 database: the first call says why it cannot work
$node->safe_psql('postgres',
	q{CREATE DATABASE latin TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'});
$node->safe_psql('latin', 'SET client_min_messages = warning; CREATE EXTENSION transcripts');
my ($ret, $out, $err) = $node->psql('latin', q{SELECT * FROM segment_transcript('Ann Lee: hi')});
isnt($ret, 0, 'segment_transcript fails in a LATIN1 database');
like($err, qr/segment_transcript requires a UTF8 database/, 'the error names the requirement');
like($err, qr/LATIN1/, 'the detail names the encoding');

# statement_timeout interrupts a long segmentation
my $t0 = time();
($ret, $out, $err) = $node->psql('postgres', q{
SET statement_timeout = '1s';
SELECT count(*) FROM segment_transcript(repeat(E'Ann Lee: words and more words.\n\n', 8000000));
});
my $elapsed = time() - $t0;
like($err, qr/canceling statement due to statement timeout/, 'statement_timeout cancels');
cmp_ok($elapsed, '<', 20, "cancelled promptly ($elapsed s)");

# LIMIT stops early, an error in the middle of a scan is clean, the session goes on
is($node->safe_psql('postgres',
	q{SELECT speaker FROM raw_docs, segment_transcript(raw) LIMIT 3}),
	"Ann Lee\nBo Ek\nAnn Lee", 'LIMIT over a lateral scan');
($ret, $out, $err) = $node->psql('postgres',
	q{SELECT s.ordinal / (s.ordinal - 2) FROM raw_docs, segment_transcript(raw) s});
like($err, qr/division by zero/, 'an error raised mid-scan');
is($node->safe_psql('postgres',
	q{SELECT count(*) FROM raw_docs, segment_transcript(raw)}), '4000', 'the session still works');

# the same turns from parallel workers
my $serial = $node->safe_psql('postgres',
	q{SELECT md5(string_agg(id || ':' || s.turn::text, '|' ORDER BY id, ordinal)) FROM raw_docs, segment_transcript(raw) s});
my $parallel = $node->safe_psql('postgres', q{
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT md5(string_agg(id || ':' || s.turn::text, '|' ORDER BY id, ordinal)) FROM raw_docs, segment_transcript(raw) s});
is($parallel, $serial, 'parallel workers agree');

$node->stop;
done_testing();
