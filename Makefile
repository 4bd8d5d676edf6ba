# Makefile for the transcripts PostgreSQL extension (PGXS).
#
#   make            build the extension
#   make install    install it into the PostgreSQL found by $(PG_CONFIG)
#   make demo       install what is missing, start a throwaway cluster, run the demo
#   make test       the same setup, then the whole suite (regress, unit, TAP, JDBC)
#   make unit       core unit tests (Check)
#   make sanitize   core unit tests under AddressSanitizer and UBSan
#   make fuzz       libFuzzer harnesses for a bounded time (FUZZ_SECONDS each)
#   make bench      benchmarks against the built-in alternatives (needs ../shared)

EXTENSION = transcripts
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = transcripts
GLUE_SRCS := $(sort $(wildcard src/*.c))
CORE_SRCS := $(sort $(wildcard src/core/*.c))
OBJS = $(GLUE_SRCS:.c=.o) $(CORE_SRCS:.c=.o)

DATA = $(wildcard sql/$(EXTENSION)--*.sql)
# every sql/*.sql that is not an install or upgrade script is a regression test
REGRESS = $(sort $(basename $(notdir $(filter-out sql/$(EXTENSION)--%,$(wildcard sql/*.sql)))))
REGRESS_OPTS = --inputdir=. --dbname=contrib_regression

PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core $(ICU_CFLAGS)
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare
SHLIB_LINK += $(ICU_LIBS)

EXTRA_CLEAN = test/build regression.diffs regression.out results tmp_check

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track header dependencies: rebuild every object when a header changes
$(OBJS): $(wildcard src/*.h src/core/*.h)

# ---------------------------------------------------------------------------
# Core (PostgreSQL-free) tests: unit tests with Check, sanitizers, fuzzers.
# ---------------------------------------------------------------------------
CORE_CFLAGS = -std=gnu11 -g -O2 -Wall -Wextra -Werror -Wno-unused-parameter -Isrc/core $(ICU_CFLAGS)
CORE_LIBS = $(ICU_LIBS) -lm
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm -pthread)
UNIT_TESTS := $(patsubst test/unit/%.c,%,$(sort $(wildcard test/unit/test_*.c)))
FUZZERS := $(patsubst test/fuzz/%.c,%,$(sort $(wildcard test/fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 30
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

test/build/unit/%: test/unit/%.c $(CORE_SRCS) $(wildcard src/core/*.h) test/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -Itest/unit -o $@ $< $(CORE_SRCS) $(CHECK_LIBS) $(CORE_LIBS)

test/build/san/%: test/unit/%.c $(CORE_SRCS) $(wildcard src/core/*.h) test/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(SAN_FLAGS) -O1 -Itest/unit -o $@ $< $(CORE_SRCS) $(CHECK_LIBS) $(CORE_LIBS)

test/build/fuzz/%: test/fuzz/%.c $(CORE_SRCS) $(wildcard src/core/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -Isrc/core $(ICU_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(CORE_SRCS) $(CORE_LIBS) -lstdc++

.PHONY: unit sanitize fuzz demo test bench deps cluster-start cluster-stop
unit: $(addprefix test/build/unit/,$(UNIT_TESTS))
	@test/unit/run.sh test/build/unit $(UNIT_TESTS)

sanitize: $(addprefix test/build/san/,$(UNIT_TESTS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		test/unit/run.sh test/build/san $(UNIT_TESTS)

fuzz: $(addprefix test/build/fuzz/,$(FUZZERS))
	@test/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

# ---------------------------------------------------------------------------
# The two README commands, and helpers around the throwaway cluster.
# ---------------------------------------------------------------------------
demo:
	@test/harness.sh demo

test:
	@test/harness.sh test

deps:
	@test/harness.sh deps

cluster-start:
	@test/harness.sh start

cluster-stop:
	@test/harness.sh stop

bench:
	@test/harness.sh bench
