# 030_tquery.pl: tquery values survive pg_dump/pg_restore, a plain dump and a
# binary COPY (the text form is re-read with the transcripts configuration),
# and they match the same turns afterwards; a view using @@, snippet() and
# kwic() restores and gives the same rows.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('tquery');
$node->init;
$node->start;

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $fixtures = $ENV{TX_FIXTURES};

$node->safe_psql('postgres', 'CREATE DATABASE src');
$node->safe_psql('src', qq{
SET client_min_messages = warning;
CREATE EXTENSION transcripts;
CREATE TABLE turns (transcript_id int, ord int, t turn, PRIMARY KEY (transcript_id, ord));
COPY turns FROM '$fixtures/query_turns.tsv';
CREATE TABLE queries (id int PRIMARY KEY, q tquery);
INSERT INTO queries VALUES
  (1, 'bridge'), (2, '"port fee" tax* -bridge'), (3, 'fleet OR fishermen'),
  (4, 'NEAR/3(bridge reopens)'), (5, 'speaker:"ines calderon" bridge'), (6, ''),
  (7, 'speaker:Okafor'), (8, 'e-mail "or" --x harbor'), (9, NULL),
  (10, websearch_to_tquery('"harbor fund" or budget -vote'));
CREATE VIEW hits AS
  SELECT q.id, t.transcript_id, t.ord, snippet(t.t, q.q, max_words => 12) AS snippet,
         (SELECT count(*) FROM kwic(t.t, q.q, width => 10)) AS kwic_rows
  FROM queries q JOIN turns t ON t.t @@ q.q;
});

my $summary_sql = q{
SELECT (SELECT string_agg(id || '=' || coalesce(q::text, '<null>'), '|' ORDER BY id) FROM queries) || ' ' ||
       (SELECT md5(string_agg(concat_ws('/', id, transcript_id, ord, snippet, kwic_rows), '|'
                              ORDER BY id, transcript_id, ord)) FROM hits) || ' ' ||
       (SELECT count(*) FROM hits)};
my $want = $node->safe_psql('src', $summary_sql);
like($want, qr/^1=bridge\|2="port fee" tax\* -bridge\|.* [0-9a-f]{32} \d+$/, 'source summary');
my $nhits = (split / /, $want)[-1];
cmp_ok($nhits, '>', 10, "the queries match $nhits turns");

$node->command_ok([ 'pg_dump', '-Fc', '-d', 'src', '-f', "$tmp/src.dump" ], 'pg_dump -Fc');
$node->safe_psql('postgres', 'CREATE DATABASE dst_custom');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', 'dst_custom', "$tmp/src.dump" ],
	'pg_restore into a new database');
is($node->safe_psql('dst_custom', $summary_sql), $want, 'custom dump: same queries, same hits');

$node->command_ok([ 'pg_dump', '-Fp', '-d', 'src', '-f', "$tmp/src.sql" ], 'pg_dump -Fp');
$node->safe_psql('postgres', 'CREATE DATABASE dst_plain');
$node->command_ok(
	[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'dst_plain', '-f', "$tmp/src.sql" ],
	'plain dump replays with psql');
is($node->safe_psql('dst_plain', $summary_sql), $want, 'plain dump: same queries, same hits');

# binary COPY of the queries, back into the same database
$node->safe_psql('src', qq{
COPY queries TO '$tmp/q.bin' WITH (FORMAT binary);
CREATE TABLE queries_bin (LIKE queries);
COPY queries_bin FROM '$tmp/q.bin' WITH (FORMAT binary)});
is( $node->safe_psql(
		'src', q{
SELECT count(*) FILTER (WHERE a.q::text IS NOT DISTINCT FROM b.q::text) || ' ' ||
       count(*) FILTER (WHERE (SELECT count(*) FROM turns WHERE t @@ a.q)
                              = (SELECT count(*) FROM turns WHERE t @@ b.q))
FROM queries a JOIN queries_bin b USING (id)}),
	'10 10',
	'binary COPY: same text, same matches');

# a corrupt binary value is rejected like bad text input
my ($ret, $stdout, $stderr) = $node->psql('src', q{
CREATE TABLE one (q tquery);
COPY one FROM PROGRAM 'printf "PGCOPY\\n\\377\\r\\n\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\1\\0\\0\\0\\011\\001china OR\\377\\377"' WITH (FORMAT binary)});
isnt($ret, 0, 'a binary value with a syntax error fails');
like($stderr, qr/OR needs a term on each side at character 7/, '... with the position');

$node->stop;
done_testing();
