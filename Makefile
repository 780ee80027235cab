# kbd - knowledge base, FAQ and ticket server.
#
#   make            build indexer/indexer and kbd/kbd
#   make run        install dependencies, build, index articles/, serve on :8080
#   make test       install test dependencies, build, run every test
#   make check      the same tests on an ASan+UBSan build
#   make bench      indexing and HTTP benchmarks on ../shared/corpus
#   make demo       a generated year of tickets in var/demo, served on :8080
#   make fuzz       libFuzzer harnesses (clang, ASan+UBSan), FUZZ_SECONDS each
#   make security   sqlmap against every API parameter of a local kbd
#
# SANITIZE=address,undefined builds into build/san instead of build/rel.
# Warnings are errors when CI=true or DEVELOPER=1.

CC	?= cc
CXX	?= c++
PKGS	= xapian-core libmicrohttpd libcmark jansson yaml-0.1 sqlite3 libsodium

WARN	= -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
	  -Wmissing-prototypes -Wno-format-nonliteral
CWARN_CXX = -Wall -Wextra -Wpedantic -Wshadow
ifneq ($(filter true 1,$(CI) $(DEVELOPER)),)
WARN	+= -Werror
CWARN_CXX += -Werror
endif

OPT	?= -O2 -g
ifneq ($(SANITIZE),)
OPT	= -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) \
	  -fno-sanitize-recover=all
B	?= build/san
else
B	?= build/rel
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
INC	= -Icommon -Iindexer -Ikbd
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) $(INC) $(PKG_CFLAGS) -MMD -MP
CXXFLAGS += -std=c++17 $(CWARN_CXX) $(OPT) $(INC) $(PKG_CFLAGS) -MMD -MP
LDFLAGS	+= $(OPT)

COMMON_SRC  = $(wildcard common/*.c)
INDEXER_SRC = indexer/article.c indexer/docfx.c indexer/front_matter.c \
	      indexer/index.c indexer/query.c indexer/rank.c \
	      indexer/search.c \
	      indexer/snapshot.c indexer/spelling.c \
	      indexer/snippet.c indexer/synonyms.c indexer/text.c \
	      indexer/titles.c
INDEXER_CXX = indexer/xapian_c.cc
KBD_SRC     = $(filter-out kbd/main.c,$(wildcard kbd/*.c))
UNIT_SRC    = $(wildcard tests/unit/*.c)

LIB	= $(B)/libindexer.a
LIB_OBJ	= $(COMMON_SRC:%.c=$(B)/%.o) $(INDEXER_SRC:%.c=$(B)/%.o) \
	  $(INDEXER_CXX:%.cc=$(B)/%.o)
KBD_OBJ	= $(KBD_SRC:%.c=$(B)/%.o)

ifeq ($(B),build/rel)
INDEXER_BIN = indexer/indexer
KBD_BIN	    = kbd/kbd
else
INDEXER_BIN = $(B)/bin/indexer
KBD_BIN	    = $(B)/bin/kbd
endif
UNIT_BIN    = $(B)/unit-tests

.PHONY: all deps deps-test run demo test test-unit test-e2e check bench quality clean fmt
all: $(INDEXER_BIN) $(KBD_BIN)

deps:
	@scripts/deps.sh

deps-test:
	@scripts/deps.sh test

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(INDEXER_BIN): $(B)/indexer/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(KBD_BIN): $(B)/kbd/main.o $(KBD_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/unit/%.o: CFLAGS += -DFIXTURES_DIR='"$(CURDIR)/tests/fixtures"' \
	-DTEMPLATES_DIR='"$(CURDIR)/templates"' -Wno-missing-prototypes

$(UNIT_BIN): $(UNIT_SRC:%.c=$(B)/%.o) $(KBD_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs criterion)

QUALITY_BIN = $(B)/bin/quality
$(QUALITY_BIN): $(B)/tests/quality/quality.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/tests/quality/%.o: CFLAGS += -Wno-missing-prototypes

BENCH_SEARCH_BIN = $(B)/bin/bench-search
$(BENCH_SEARCH_BIN): $(B)/tests/bench/inproc.o $(KBD_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/tests/bench/%.o: CFLAGS += -Wno-missing-prototypes

# kbd-demo DATA_DIR [TICKETS]: a generated history for the metrics dashboard
DEMO_BIN = $(B)/bin/kbd-demo
$(DEMO_BIN): $(B)/tests/bench/demo.o $(KBD_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# ---- the two commands of the README ----

PORT	?= 8080
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	./indexer/indexer articles var/index || [ $$? -eq 1 ]
	./kbd/kbd --listen 127.0.0.1:$(PORT) --index var/index --articles articles --data var/

# `make run` on a generated year of history (kept in var/demo/data between
# runs; delete that directory for a new one), for trying the dashboard.
DEMO_TICKETS ?= 50000
demo: deps
	@$(MAKE) --no-print-directory all $(DEMO_BIN)
	@mkdir -p var/demo
	./indexer/indexer articles var/demo/index || [ $$? -eq 1 ]
	@if [ -e var/demo/data/kbd.db ]; then \
	    echo "demo: var/demo/data/kbd.db exists, kept (rm -rf var/demo/data for a new history)"; \
	else \
	    echo "$(DEMO_BIN) var/demo/data $(DEMO_TICKETS)"; \
	    $(DEMO_BIN) var/demo/data $(DEMO_TICKETS) || { rm -rf var/demo/data; exit 1; }; \
	fi
	@echo "demo: sign in at http://127.0.0.1:$(PORT)/login as admin; the password is in var/demo/data/initial-admin-password"
	@echo "demo: the dashboard is http://127.0.0.1:$(PORT)/dashboard (try the last 365 days)"
	./kbd/kbd --listen 127.0.0.1:$(PORT) --index var/demo/index --articles articles --data var/demo/data

test: deps-test
	@$(MAKE) --no-print-directory test-unit test-e2e

test-unit: $(UNIT_BIN)
	$(UNIT_BIN) --jobs 2

test-e2e: $(INDEXER_BIN) $(KBD_BIN)
	cd tests && KBD_BIN=$(abspath $(KBD_BIN)) INDEXER_BIN=$(abspath $(INDEXER_BIN)) \
	    node --test --test-concurrency=1 e2e/

check: deps-test
	@$(MAKE) --no-print-directory SANITIZE=address,undefined test-unit test-e2e

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_SEARCH_BIN) $(DEMO_BIN)
	scripts/bench.sh

# Search quality on labelled queries, kbd against an FTS5 baseline. The
# corpus index and the FTS5 table are kept in build/ between runs.
# QUALITY_FLAGS="--pasted 200" adds 200 pasted error messages (quality.c).
CORPUS	?= ../shared/corpus
QUERIES	?= $(CORPUS)/queries-dev.tsv $(CORPUS)/queries-dev-natural.tsv
quality: $(INDEXER_BIN) $(QUALITY_BIN)
	@mkdir -p build/quality
	$(INDEXER_BIN) --synonyms articles/synonyms.txt $(CORPUS) build/quality/index \
	    || [ $$? -eq 1 ]
	$(QUALITY_BIN) --index build/quality/index --corpus $(CORPUS) \
	    --fts build/quality/fts5.db $(QUALITY_FLAGS) $(QUERIES)

# ---- security testing (not part of `make test`) ----

# libFuzzer harnesses in tests/fuzz/, each linked with the library sources
# it exercises compiled again by clang with ASan+UBSan (never the gcc
# objects). `make fuzz FUZZ_SECONDS=60` runs each harness that long from
# its seeds in tests/fuzz/corpus/NAME; crashes are kept in build/fuzz/.
FUZZ_SECONDS ?= 30
FUZZ_B	= build/fuzz
FUZZ_CC	= clang
FUZZ_CXX = clang++
FUZZ_OPT = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	   -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(FUZZ_OPT) -fsanitize=fuzzer-no-link \
	      $(INC) $(PKG_CFLAGS) -MMD -MP
FUZZ_CXXFLAGS = -std=c++17 $(CWARN_CXX) $(FUZZ_OPT) -fsanitize=fuzzer-no-link \
		$(INC) $(PKG_CFLAGS) -MMD -MP
FUZZ_NAMES = article tmpl query url
FUZZ_BINS = $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)
FUZZ_OBJ = $(COMMON_SRC:%.c=$(FUZZ_B)/obj/%.o) $(INDEXER_SRC:%.c=$(FUZZ_B)/obj/%.o) \
	   $(INDEXER_CXX:%.cc=$(FUZZ_B)/obj/%.o) $(FUZZ_B)/obj/kbd/tmpl.o

$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_B)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(FUZZ_B)/obj/tests/fuzz/%.o: FUZZ_CFLAGS += \
	-DFIXTURES_DIR='"$(CURDIR)/tests/fixtures"' \
	-DFUZZ_SYNONYMS='"$(CURDIR)/articles/synonyms.txt"'

$(FUZZ_BINS): $(FUZZ_B)/fuzz_%: $(FUZZ_B)/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	$(FUZZ_CXX) $(FUZZ_OPT) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

.PHONY: fuzz fuzz-build security
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-build: $(FUZZ_BINS)

security:
	@scripts/deps.sh security
	@$(MAKE) --no-print-directory all
	scripts/security.sh

fmt:
	clang-format -i common/*.[ch] indexer/*.[ch] indexer/*.cc kbd/*.[ch] tests/unit/*.c

clean:
	rm -rf build indexer/indexer kbd/kbd

-include $(shell find build -name '*.d' 2>/dev/null)
