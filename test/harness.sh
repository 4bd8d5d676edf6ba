#!/usr/bin/env bash
# test/harness.sh: what `make demo`, `make test` and `make bench` run.
#
#   deps     install missing Debian packages (as root), or say which are missing
#   build    build and install the extension into the PostgreSQL of $PG_CONFIG
#   start    start (or reuse) the throwaway cluster; stop stops it
#   env      print the PG* variables that point psql at the cluster
#   regress | unit | sanitize | tap | jdbc    one part of the suite
#   demo | test | bench                        the README commands
#
# The cluster is never the system one: it lives in $TX_PGBASE (default
# /var/tmp/transcripts-pg15-$TX_PGPORT), listens on 127.0.0.1:$TX_PGPORT
# (default 54315) and a private socket directory, and belongs to an
# unprivileged user ($TX_PGUSER, default postgres, when run as root; else the
# caller).  Nothing the server or the TAP tests touch lies inside the
# checkout, so the checkout may sit under /root.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$SRC"

PGMAJOR=15
PORT=${TX_PGPORT:-54315}
BASE=${TX_PGBASE:-/var/tmp/transcripts-pg$PGMAJOR-$PORT}
DATA=$BASE/data
SOCK=$BASE/run
LOG=$BASE/server.log
if [ "$(id -u)" = 0 ]; then RUNAS=${TX_PGUSER:-postgres}; else RUNAS=$(id -un); fi

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'harness: %s\n' "$*" >&2; exit 1; }

pgconfig() {
	if [ -n "${PG_CONFIG:-}" ]; then echo "$PG_CONFIG"
	elif [ -x /usr/lib/postgresql/$PGMAJOR/bin/pg_config ]; then echo /usr/lib/postgresql/$PGMAJOR/bin/pg_config
	else echo pg_config; fi
}

as_user() {
	if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$RUNAS" -- "$@"); else (cd / && "$@"); fi
}

# ---------------------------------------------------------------- packages
deps() {
	local -a missing=()
	need() { # need PACKAGE TEST...
		local pkg=$1; shift
		if ! "$@" >/dev/null 2>&1; then missing+=("$pkg"); fi
	}
	need postgresql-$PGMAJOR test -x /usr/lib/postgresql/$PGMAJOR/bin/postgres
	need postgresql-server-dev-$PGMAJOR test -f /usr/include/postgresql/$PGMAJOR/server/postgres.h
	need libicu-dev test -f /usr/include/unicode/ubrk.h
	need build-essential command -v make gcc
	need pkg-config command -v pkg-config
	need check pkg-config --exists check
	need libipc-run-perl perl -MIPC::Run -e 1
	need libpostgresql-jdbc-java test -f /usr/share/java/postgresql.jar
	need default-jdk-headless command -v javac
	need zstd command -v zstd
	need python3 command -v python3
	if [ ${#missing[@]} -eq 0 ]; then return 0; fi
	if [ "$(id -u)" != 0 ]; then
		die "missing packages: ${missing[*]} (as root: apt-get install ${missing[*]})"
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- build
build() {
	local pgc; pgc=$(pgconfig)
	say "building with $pgc ($("$pgc" --version))"
	make -s PG_CONFIG="$pgc" -j2 all
	make -s PG_CONFIG="$pgc" install >/dev/null
}

# ---------------------------------------------------------------- cluster
bindir() { "$(pgconfig)" --bindir; }

start() {
	local bin; bin=$(bindir)
	id "$RUNAS" >/dev/null 2>&1 || die "user $RUNAS does not exist (set TX_PGUSER)"
	mkdir -p "$BASE"
	if [ "$(id -u)" = 0 ]; then chown "$RUNAS" "$BASE"; fi
	chmod 755 "$BASE"
	if [ -f "$DATA/PG_VERSION" ] && [ "$(cat "$DATA/PG_VERSION")" != "$PGMAJOR" ]; then
		say "discarding a cluster of another major version in $DATA"
		as_user "$bin/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true
		rm -rf "$DATA"
	fi
	if [ ! -f "$DATA/PG_VERSION" ]; then
		say "creating a throwaway cluster in $DATA (owner $RUNAS, port $PORT)"
		as_user mkdir -p "$SOCK"
		as_user "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
			--no-instructions >/dev/null
		cat <<-EOF | as_user tee -a "$DATA/postgresql.conf" >/dev/null
		# transcripts harness
		port = $PORT
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$SOCK'
		shared_buffers = 512MB
		maintenance_work_mem = 512MB
		max_wal_size = 4GB
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		EOF
	fi
	as_user mkdir -p "$SOCK"
	if as_user "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1 &&
		"$bin/psql" -X -q -h "$SOCK" -p "$PORT" -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
		echo "cluster already running on port $PORT (reused)"
	else
		# a server that died with its machine leaves lock files whose PIDs may
		# now belong to other processes: they are stale once nothing answers
		as_user "$bin/pg_ctl" -D "$DATA" stop -m immediate >/dev/null 2>&1 || true
		rm -f "$DATA/postmaster.pid" "$SOCK/.s.PGSQL.$PORT.lock"
		as_user "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 120 start >/dev/null \
			|| { tail -20 "$LOG" >&2; die "could not start the cluster"; }
		echo "cluster started on port $PORT (data $DATA, log $LOG)"
	fi
	export_env
}

stop() {
	local bin; bin=$(bindir)
	if [ -f "$DATA/PG_VERSION" ] && as_user "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
		as_user "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
		echo "cluster on port $PORT stopped"
	else
		echo "cluster on port $PORT is not running"
	fi
}

export_env() {
	export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
	PATH=$(bindir):$PATH
	export PATH
}

# ---------------------------------------------------------------- suite parts
PASSED=0
FAILED=0
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }

# count_summary NAME OUTPUT RC: add up the last "NAME: N passed, F failed" line of
# OUTPUT; a missing line, or a non-zero RC with no failure counted, is a failure
count_summary() {
	local line p f
	line=$({ grep -E "^$1: [0-9]+ passed, [0-9]+ failed" <<<"$2" || true; } | tail -1)
	if [ -z "$line" ]; then count 0 1; return; fi
	p=$(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.*, ([0-9]+) failed/\1/' <<<"$line")
	[ "$3" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	count "$p" "$f"
}

regress() {
	say "pg_regress"
	local out rc=0
	out=$(make -s PG_CONFIG="$(pgconfig)" installcheck 2>&1) || rc=$?
	printf '%s\n' "$out"
	local ok bad
	ok=$(grep -cE '^(ok|test|     ) .*\.\.\. ok|^ok [0-9]+ ' <<<"$out" || true)
	bad=$(grep -cE 'FAILED|failed \(ignored\)' <<<"$out" || true)
	if [ "$rc" -ne 0 ]; then
		[ "$bad" -gt 0 ] || bad=1
		[ -f regression.diffs ] && { say "regression.diffs"; cat regression.diffs; }
	fi
	echo "regress: $ok passed, $bad failed"
	count "$ok" "$bad"
}

core_tests() { # unit | sanitize
	say "core $1 tests"
	local out rc=0
	out=$(make -s "$1" 2>&1) || rc=$?
	printf '%s\n' "$out"
	count_summary unit "$out" "$rc"
}

tap() {
	say "TAP tests"
	local pgc pgxs tdir out rc=0
	pgc=$(pgconfig)
	pgxs=$(dirname "$("$pgc" --pgxs)")/../..
	tdir=$(mktemp -d /tmp/transcripts-tap.XXXXXX)
	cp -r test/t test/fixtures "$tdir/"
	[ "$(id -u)" != 0 ] || chown -R "$RUNAS" "$tdir"
	out=$(as_user env PATH="$(bindir):$PATH" TESTDIR="$tdir" PGPORT=$((PORT + 100)) \
		PG_REGRESS="$pgxs/src/test/regress/pg_regress" PERL5LIB="$pgxs/src/test/perl:$tdir/t" \
		TX_FIXTURES="$tdir/fixtures" \
		bash -c "cd '$tdir' && prove ${PROVE_FLAGS:-} t/*.pl" 2>&1) || rc=$?
	printf '%s\n' "$out"
	local total bad
	total=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' <<<"$out" | tail -1)
	bad=$({ grep -oE 'Failed [0-9]+/[0-9]+ subtests' <<<"$out" || true; } | awk '{split($2,a,"/"); s+=a[1]} END {print s+0}')
	[ -n "$total" ] || total=0
	if [ "$rc" -ne 0 ]; then
		[ "$bad" -gt 0 ] || bad=1
		for l in "$tdir"/tmp_check/log/regress_log_*; do
			[ -f "$l" ] && { echo "--- $l"; tail -40 "$l"; }
		done
	else
		rm -rf "$tdir"
	fi
	echo "tap: $((total - bad)) passed, $bad failed"
	count $((total - bad)) "$bad"
}

jdbc() {
	say "JDBC client test"
	local tdir out rc=0
	tdir=$(mktemp -d /tmp/transcripts-jdbc.XXXXXX)
	javac -d "$tdir" test/jdbc/*.java
	psql -X -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS transcripts_jdbc' -c 'CREATE DATABASE transcripts_jdbc' >/dev/null
	out=$(java -cp "$tdir:/usr/share/java/postgresql.jar" TurnRead \
		"jdbc:postgresql://127.0.0.1:$PORT/transcripts_jdbc?user=postgres" 2>&1) || rc=$?
	printf '%s\n' "$out"
	rm -rf "$tdir"
	count_summary jdbc "$out" "$rc"
}

# ---------------------------------------------------------------- commands
demo() {
	deps; build; start
	psql -X -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS transcripts_demo' -c 'CREATE DATABASE transcripts_demo' >/dev/null
	for f in test/demo/*.sql; do
		say "demo: $(sed -n 's/^-- *title: *//p' "$f" | head -1) ($f)"
		PGOPTIONS="-c client_min_messages=warning" psql -X -d transcripts_demo -v ON_ERROR_STOP=1 --echo-queries -q -P pager=off -f "$f"
	done
	say "done: the cluster keeps running on port $PORT; 'psql -h $SOCK -p $PORT -U postgres transcripts_demo' to explore, 'make cluster-stop' to stop it"
}

suite() {
	deps; build; start
	regress
	core_tests unit
	core_tests sanitize
	tap
	jdbc
	say "summary"
	echo "transcripts: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

bench() {
	deps; build; start
	for b in test/bench/*.sh; do
		say "bench: $b"
		bash "$b"
	done
}

cmd=${1:-}
case "$cmd" in
	deps) deps ;;
	build) build ;;
	start) start ;;
	stop) stop ;;
	env) start >/dev/null; echo "export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres PATH=$(bindir):\$PATH" ;;
	regress) start; regress; [ "$FAILED" -eq 0 ] ;;
	unit) core_tests unit; [ "$FAILED" -eq 0 ] ;;
	sanitize) core_tests sanitize; [ "$FAILED" -eq 0 ] ;;
	tap) start; tap; [ "$FAILED" -eq 0 ] ;;
	jdbc) start; jdbc; [ "$FAILED" -eq 0 ] ;;
	demo) demo ;;
	test) suite ;;
	bench) bench ;;
	*) die "usage: test/harness.sh deps|build|start|stop|env|regress|unit|sanitize|tap|jdbc|demo|test|bench" ;;
esac
