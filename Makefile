# oligo — a plain Makefile.  `make run` and `make test` install what is
# missing (Debian packages through apt-get), build, then run.
#
#   make                 build ./oligo
#   make run             build, create/load the database, open the dashboard
#   make test            build and run every test (unit, CLI, TUI under tmux)
#   make test SANITIZE=1 the same suite built with ASan + UBSan
#   make bench           benchmarks, ending with a summary table
#   make fuzz FUZZ_SECONDS=N   run each libFuzzer harness for N seconds
#   make valgrind        the unit tests under Valgrind memcheck
#   make install PREFIX=/usr/local DESTDIR=
#   make DEVELOPER=1     strict warnings, as errors
#   V=1                  show full commands
#
# Local overrides (CC, CFLAGS, PREFIX …) go in config.mk.
-include config.mk

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
VERSION := 0.1.0
FUZZ_SECONDS ?= 30

PKGS     := ncursesw libcurl sqlite3 libxml-2.0 openblas jansson zlib libzip
# Debian packages behind the pkg-config names above, and what tests use.
DEB_BUILD := gcc make pkg-config libncurses-dev libcurl4-openssl-dev \
	libsqlite3-dev libxml2-dev libopenblas-dev libjansson-dev zlib1g-dev libzip-dev
DEB_TEST  := libcriterion-dev tmux sqlite3 python3 locales clang libclang-rt-14-dev util-linux \
	valgrind bc curl
# Only the benchmarks compare against these.
DEB_BENCH := newsboat python3-numpy

ifeq ($(SANITIZE),1)
B        := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
OPT      := -O1 -g
else
B        := build/rel
SANFLAGS :=
OPT      := -O2 -g
endif

WARN := -Wall -Wextra -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN += -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings \
	-Wformat=2 -Wundef -Wvla -Wpointer-arith -Wcast-qual -Werror
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

ALL_CFLAGS  = -std=c11 -D_DEFAULT_SOURCE \
	-DOLIGO_VERSION='"$(VERSION)"' -I. $(OPT) $(WARN) $(SANFLAGS) \
	$(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lm

ifneq ($(V),1)
Q  = @
QE = @echo
else
Q  =
QE = @:
endif

LIB_SRC  := $(sort $(wildcard lib/*.c db/*.c ingest/*.c analysis/*.c tui/*.c \
	cli/*.c))
LIB_SRC  := $(filter-out cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/data/dataset.o
MAIN_OBJ := $(B)/cli/main.o
DATA_CSV := $(sort $(wildcard data/*.csv))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
HELP_SRC := $(sort $(wildcard tests/helpers/*.c))
HELP_BIN := $(HELP_SRC:tests/helpers/%.c=$(B)/tests/%)
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)
# Helpers the benchmark scripts call with arguments (not run directly).
TOOL_SRC := $(sort $(wildcard bench/tool_*.c))
TOOL_BIN := $(TOOL_SRC:bench/%.c=$(B)/bench/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

# The release build is ./oligo; any other build folder (SANITIZE=1,
# B=build/x) keeps its binary inside, so it never replaces ./oligo.
ifeq ($(B),build/rel)
OLIGO := oligo
else
OLIGO := $(B)/oligo
endif

.PHONY: all run test check-tests bench fuzz valgrind install uninstall clean deps \
	deps-test deps-bench fmt check-fmt
.DEFAULT_GOAL := all

all: $(OLIGO)

$(OLIGO): $(MAIN_OBJ) $(B)/liboligo.a
	$(QE) "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/liboligo.a: $(LIB_OBJ)
	$(QE) "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(QE) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The bundled dataset is compiled into the binary, so `oligo init` works
# from any folder.
$(B)/data/dataset.o: data/dataset.S $(DATA_CSV)
	@mkdir -p $(@D)
	$(QE) "  AS      $<"
	$(Q)$(CC) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/liboligo.a
	@mkdir -p $(@D)
	$(QE) "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/liboligo.a \
		$(CRIT_LIBS) $(LIBS)

$(B)/tests/%: tests/helpers/%.c $(B)/liboligo.a
	@mkdir -p $(@D)
	$(QE) "  HELPER  $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/liboligo.a $(LIBS)

$(B)/bench/%: bench/%.c $(B)/liboligo.a
	@mkdir -p $(@D)
	$(QE) "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) -march=native $(ALL_LDFLAGS) -o $@ $< \
		$(B)/liboligo.a $(LIBS)

# --- dependencies -----------------------------------------------------
# Install the Debian packages that are missing: as root through apt-get,
# otherwise through sudo; if neither works, name the packages and stop.
deps:
	@sh tests/install-deps.sh $(DEB_BUILD)

deps-test:
	@sh tests/install-deps.sh $(DEB_BUILD) $(DEB_TEST)

deps-bench:
	@sh tests/install-deps.sh $(DEB_BUILD) $(DEB_TEST) $(DEB_BENCH)

# --- the two README commands -------------------------------------------
run: deps
	@$(MAKE) --no-print-directory all
	@./oligo init --quiet
	@./oligo tui

test: deps-test
	@$(MAKE) --no-print-directory check-tests

check-tests: $(OLIGO) $(UNIT_BIN) $(HELP_BIN)
	@OLIGO_BIN=$(OLIGO) BUILD=$(B) sh tests/run.sh

bench: deps-bench
	@$(MAKE) --no-print-directory $(OLIGO) $(BENCH_BIN) $(TOOL_BIN) $(HELP_BIN)
	@OLIGO_BIN=$(OLIGO) BUILD=$(B) sh bench/run.sh

valgrind: deps-test
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	@BUILD=$(B) sh tests/valgrind.sh

fuzz: deps-test
	@$(MAKE) --no-print-directory $(B)/data/dataset.o
	@FUZZ_SECONDS=$(FUZZ_SECONDS) DATASET_O=$(B)/data/dataset.o \
		sh tests/fuzz/run.sh $(FUZZ_SRC)

install: $(OLIGO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(OLIGO) $(DESTDIR)$(BINDIR)/oligo
	install -m 644 cli/oligo.1 $(DESTDIR)$(MANDIR)/oligo.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/oligo $(DESTDIR)$(MANDIR)/oligo.1

fmt:
	clang-format -i $(LIB_SRC) cli/main.c $(wildcard */*.h) $(UNIT_SRC)

check-fmt:
	clang-format --dry-run --Werror $(LIB_SRC) cli/main.c $(wildcard */*.h)

clean:
	rm -rf build oligo

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d) $(HELP_BIN:=.d)
