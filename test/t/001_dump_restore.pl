# 001_dump_restore.pl: turn values survive pg_dump/pg_restore (custom and
# plain formats) and a binary COPY round trip unchanged, including NULLs,
# unicode, quoted labels and a multi-megabyte TOASTed body.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

my $tmp = PostgreSQL::Test::Utils::tempdir;

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', q{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE turns (id int PRIMARY KEY, t turn, t2 turn);
INSERT INTO turns (id, t) VALUES
  (1,  'Ren: We believe'),
  (2,  '[00:01:02.500-00:01:09] Nathan VanderKlippe (The Globe and Mail): text'),
  (3,  '[1:02] Ren: mm:ss'),
  (4,  '[75.5] Ren: seconds'),
  (5,  '[00:00:01] Ren: start only'),
  (6,  '[-00:00:05] Ren: end only'),
  (7,  'Ren (Huawei): x'),
  (8,  '"Dr. Ko: MD" ("Huawei (Shenzhen)"): quoted both'),
  (9,  '"Ren ""the boss"" [1]": quoted name'),
  (10, ': unknown speaker'),
  (11, '(Audience): applause'),
  (12, 'Ren:'),
  (13, E'Ren: line one\n\tline two \\ back\\slash: "q" ''s\r\n'),
  (14, 'Renée Zellweger (Société Générale): 任正非 说 👍 naïve'),
  (15, NULL),
  (16, '[99999:59:59.999] Ren: max time'),
  (17, '[0-0] : zero');
INSERT INTO turns (id, t)
  SELECT 18, turn('Big Speaker',
                  (SELECT string_agg(md5(i::text) || ' wörd ', '') FROM generate_series(1, 100000) i),
                  'Big Co', interval '1 second', interval '2 hours');
INSERT INTO turns (id, t)
  SELECT 19, turn(NULL, E'constructed\u00a0body\twith\ttabs', 'Paren (x)', NULL, interval '3.25 seconds');
UPDATE turns SET t2 = t WHERE id % 3 = 0;
CREATE INDEX turns_t_hash ON turns USING hash (t);
});

# the big body really is TOASTed out of line
my $toast = $node->safe_psql('src', q{
SELECT pg_relation_size((SELECT reltoastrelid FROM pg_class WHERE relname = 'turns'))});
cmp_ok($toast, '>', 1_000_000, "large value stored in the TOAST table ($toast bytes)");
my $bigsize = $node->safe_psql('src', 'SELECT octet_length(body(t)) FROM turns WHERE id = 18');
cmp_ok($bigsize, '>', 3_000_000, "large body has $bigsize bytes");

# everything about every value, as one line
my $summary_sql = q{
SELECT count(*) || ' ' || count(t) || ' ' || count(t2) || ' ' ||
       md5(string_agg(coalesce(t::text, '<null>') || '#' || coalesce(t2::text, '<null>'), '|' ORDER BY id)) || ' ' ||
       md5(string_agg(concat_ws('/', coalesce(speaker(t), '~'), coalesce(affiliation(t), '~'),
                                coalesce(body(t), '~'), coalesce(start_time(t)::text, '~'),
                                coalesce(end_time(t)::text, '~'), coalesce(word_count(t)::text, '~')),
                      '|' ORDER BY id)) || ' ' ||
       md5(string_agg(coalesce(turn_send(t)::text, '<null>'), '|' ORDER BY id))
FROM turns};
my $want = $node->safe_psql('src', $summary_sql);
like($want, qr/^19 18 5 [0-9a-f]{32} [0-9a-f]{32} [0-9a-f]{32}$/, 'source summary');

# the source rows as text, to compare row by row with = after a restore
my $rows_file = "$tmp/rows.copy";
$node->safe_psql('src', "COPY turns TO '$rows_file'");

sub check_copy
{
	my ($db, $what) = @_;
	is($node->safe_psql($db, $summary_sql), $want, "$what: every value identical");
	$node->safe_psql($db, "CREATE TABLE expected (LIKE turns); COPY expected FROM '$rows_file'");
	is( $node->safe_psql(
			$db, q{
SELECT count(*) FILTER (WHERE a.t = b.t) || ' ' ||
       count(*) FILTER (WHERE a.t2 = b.t2) || ' ' ||
       count(*) FILTER (WHERE a.t IS DISTINCT FROM b.t OR a.t2 IS DISTINCT FROM b.t2
                        OR a.id IS NULL OR b.id IS NULL)
FROM turns a FULL JOIN expected b USING (id)}),
		'18 5 0',
		"$what: row by row equal with =");
	is( $node->safe_psql(
			$db, q{SET enable_seqscan = off; SET enable_bitmapscan = off;
				   SELECT string_agg(id::text, ',' ORDER BY id) FROM turns WHERE t = 'Ren (Huawei): x'}),
		'7', "$what: hash index on turn works");
	is($node->safe_psql($db, q{SELECT extversion IS NOT NULL FROM pg_extension WHERE extname = 'transcripts'}),
		't', "$what: extension restored");
}

# custom format
$node->command_ok([ 'pg_dump', '-Fc', '-d', 'src', '-f', "$tmp/src.dump" ], 'pg_dump -Fc');
$node->safe_psql('postgres', 'CREATE DATABASE dst_custom');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', 'dst_custom', "$tmp/src.dump" ],
	'pg_restore into a new database');
check_copy('dst_custom', 'custom dump');

# plain SQL
$node->command_ok([ 'pg_dump', '-Fp', '-d', 'src', '-f', "$tmp/src.sql" ], 'pg_dump -Fp');
$node->safe_psql('postgres', 'CREATE DATABASE dst_plain');
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'dst_plain', '-f', "$tmp/src.sql" ],
	'plain dump replays with psql');
check_copy('dst_plain', 'plain dump');

# binary COPY out and back in, in the same database
my $bin = "$tmp/turns.bin";
$node->safe_psql('src', "COPY turns TO '$bin' WITH (FORMAT binary)");
ok(-s $bin > 3_000_000, 'binary COPY file written');
$node->safe_psql('src', "CREATE TABLE turns_bin (LIKE turns); COPY turns_bin FROM '$bin' WITH (FORMAT binary)");
(my $bin_summary = $summary_sql) =~ s/FROM turns$/FROM turns_bin/;
is($node->safe_psql('src', $bin_summary), $want, 'binary COPY: every value identical');
is( $node->safe_psql(
		'src', q{
SELECT count(*) FILTER (WHERE a.t = b.t) || ' ' ||
       count(*) FILTER (WHERE a.t IS DISTINCT FROM b.t OR a.t2 IS DISTINCT FROM b.t2
                        OR a.id IS NULL OR b.id IS NULL)
FROM turns a FULL JOIN turns_bin b USING (id)}),
	'18 0',
	'binary COPY: row by row equal with =');

# text COPY of the binary-loaded table gives the same bytes as the source export
$node->safe_psql('src', "COPY turns_bin TO '$tmp/rows_bin.copy'");
is(slurp_file("$tmp/rows_bin.copy"), slurp_file($rows_file), 'text COPY files identical');

$node->stop;
done_testing();
