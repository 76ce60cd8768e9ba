# wirewatch — plain GNU make, no autotools.
#
#   make            build ./wirewatch
#   make check      install missing Debian packages, build, run every test
#   make demo       install, build, run the main job on the bundled sample feeds
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the test suite under valgrind (memcheck)
#   make fuzz       build the libFuzzer targets and run each for FUZZ_SECONDS
#   make fuzz-cov   line and branch coverage of the fuzzers' corpora
#   make bench      benchmarks (tests/bench/)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION	= 0.1.0
PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	= $(PREFIX)/bin
DATADIR	= $(PREFIX)/share
MANDIR	= $(DATADIR)/man
# systemd searches $(PREFIX)/lib/systemd/user for /usr and /usr/local, and
# ~/.local/share/systemd/user (not ~/.local/lib) for a home install.
SYSTEMD_USERDIR ?= $(if $(filter /usr /usr/local,$(PREFIX)),$(PREFIX)/lib/systemd/user,$(DATADIR)/systemd/user)
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions

PKGS	= libcurl libxml-2.0 libnotify sqlite3 libutf8proc
B	?= build
CC	?= cc
CFLAGS	?= -O2 -g
SAN	?=
WARN	= -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith \
	  -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wno-unused-parameter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CPPFLAGS = -iquote include -D_GNU_SOURCE -DWW_VERSION='"$(VERSION)"' \
	  -DWW_DATADIR='"$(DATADIR)/wirewatch"' $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SAN)
LIBS	= $(PKG_LIBS) -lstemmer -lm

SRCS	= $(filter-out agent/main.c,$(wildcard agent/*.c))
OBJS	= $(SRCS:agent/%.c=$(B)/obj/%.o)
LIB	= $(B)/libwirewatch.a
UNIT_SRCS = $(wildcard tests/unit/test-*.c)
UNITS	= $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
E2E	= $(wildcard tests/e2e/*.t)
# Helper programs that end-to-end tests drive (not tests themselves).
DRIVER_SRCS = $(wildcard tests/drivers/*.c)
DRIVERS	= $(DRIVER_SRCS:tests/drivers/%.c=$(B)/drivers/%)
BIN	= $(B)/wirewatch

.PHONY: all deps check demo asan valgrind fuzz fuzz-cov bench install uninstall clean tests run-tests

all: wirewatch

wirewatch: $(BIN)
	@if [ "$(B)" = build ]; then cp $(BIN) wirewatch.$$$$.tmp && mv -f wirewatch.$$$$.tmp wirewatch; fi

# Every output is written under a temporary name and renamed, so that two
# builds running at once never see a half-written file.
$(B)/obj/%.o: agent/%.c $(wildcard include/*.h) $(wildcard agent/*.h) | $(B)/obj
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@.$$$$.tmp $< && mv -f $@.$$$$.tmp $@

# main.c carries the installed data directory: rebuild it when PREFIX changes.
$(B)/prefix: FORCE | $(B)/obj
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(B)/obj/main.o: $(B)/prefix

$(B)/obj $(B)/tests $(B)/drivers:
	mkdir -p $@

$(LIB): $(OBJS)
	rm -f $@.$$$$.tmp && ar rcs $@.$$$$.tmp $(OBJS) && mv -f $@.$$$$.tmp $@

$(BIN): $(B)/obj/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@.$$$$.tmp $(B)/obj/main.o $(LIB) $(LIBS) && mv -f $@.$$$$.tmp $@

$(B)/tests/%: tests/unit/%.c tests/tap.h $(LIB) | $(B)/tests
	$(CC) $(ALL_CPPFLAGS) -iquote tests $(ALL_CFLAGS) $(LDFLAGS) -o $@.$$$$.tmp $< $(LIB) $(LIBS) && mv -f $@.$$$$.tmp $@

$(B)/drivers/%: tests/drivers/%.c tests/tap.h $(LIB) | $(B)/drivers
	$(CC) $(ALL_CPPFLAGS) -iquote tests $(ALL_CFLAGS) $(LDFLAGS) -o $@.$$$$.tmp $< $(LIB) $(LIBS) && mv -f $@.$$$$.tmp $@

tests: $(BIN) $(UNITS) $(DRIVERS)

deps:
	@sh scripts/deps.sh

# The runner is prove(1); it ends with its summary line.
run-tests: tests
	WIREWATCH=$(abspath $(BIN)) WW_SRC=$(CURDIR) WW_BUILD=$(abspath $(B)) \
	    prove --exec '' $(PROVE_FLAGS) $(UNITS) $(E2E)

check: deps
	$(MAKE) all
	$(MAKE) run-tests

asan: deps
	$(MAKE) B=build-asan CC=clang CFLAGS='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	    ASAN_OPTIONS=detect_leaks=1 run-tests

valgrind: deps all tests
	@sh tests/valgrind.sh

demo: deps
	$(MAKE) all
	@sh scripts/demo.sh

FUZZ_SECONDS ?= 20
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz-*.c)
FUZZERS	= $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/%: tests/fuzz/%.c FORCE
	$(MAKE) B=build-fuzz CC=clang CFLAGS='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=fuzzer-no-link,address,undefined' build-fuzz/libwirewatch.a
	clang $(ALL_CPPFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< \
	    build-fuzz/libwirewatch.a $(LIBS)
FORCE:
fuzz: deps $(FUZZERS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

# Line and branch coverage of what the fuzzers' corpora reach.
COVERS	= $(FUZZ_SRCS:tests/fuzz/%.c=build-cov/%)
COVFLAGS = -fprofile-instr-generate -fcoverage-mapping
build-cov/%: tests/fuzz/%.c FORCE
	$(MAKE) B=build-cov CC=clang CFLAGS='-O1 -g' \
	    SAN='-fsanitize=fuzzer-no-link $(COVFLAGS)' build-cov/libwirewatch.a
	clang $(ALL_CPPFLAGS) -O1 -g -fsanitize=fuzzer $(COVFLAGS) -o $@ $< \
	    build-cov/libwirewatch.a $(LIBS)
fuzz-cov: deps $(COVERS)
	@sh tests/fuzz/cov.sh

bench: deps all
	@sh tests/bench/run.sh

UNITS_SYSTEMD = wirewatch.service wirewatch-digest.service wirewatch-digest.timer
MAN1	= $(wildcard man/*.1)
MAN5	= $(wildcard man/*.5)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/wirewatch/rules \
	    $(DESTDIR)$(SYSTEMD_USERDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/wirewatch
	cd rules && find . -type f \( -name '*.rules' -o -path './tests/fixtures/*' \) \
	    -exec install -D -m 644 {} $(DESTDIR)$(DATADIR)/wirewatch/rules/{} \;
	for u in $(UNITS_SYSTEMD); do \
		sed 's|@BINDIR@|$(BINDIR)|g' systemd/$$u > $(DESTDIR)$(SYSTEMD_USERDIR)/$$u.tmp && \
		chmod 644 $(DESTDIR)$(SYSTEMD_USERDIR)/$$u.tmp && \
		mv -f $(DESTDIR)$(SYSTEMD_USERDIR)/$$u.tmp $(DESTDIR)$(SYSTEMD_USERDIR)/$$u || exit 1; \
	done
	for m in $(MAN1); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(MAN5); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	if [ -f completions/wirewatch.bash ]; then \
		install -m 644 completions/wirewatch.bash $(DESTDIR)$(BASHCOMPDIR)/wirewatch; fi
	if [ -f completions/_wirewatch ]; then \
		install -m 644 completions/_wirewatch $(DESTDIR)$(ZSHCOMPDIR)/_wirewatch; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wirewatch
	rm -rf $(DESTDIR)$(DATADIR)/wirewatch
	for u in $(UNITS_SYSTEMD); do rm -f $(DESTDIR)$(SYSTEMD_USERDIR)/$$u; done
	for m in $(MAN1); do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done
	for m in $(MAN5); do rm -f $(DESTDIR)$(MANDIR)/man5/$${m#man/}; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/wirewatch $(DESTDIR)$(ZSHCOMPDIR)/_wirewatch

clean:
	rm -rf build build-asan build-fuzz build-cov wirewatch
