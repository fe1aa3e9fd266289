# tests/fuzz/fuzz.mk - libFuzzer harnesses (included by the Makefile).
#
#   make fuzz            build, then run each harness FUZZ_SECONDS (default 60)
#   make fuzz-smoke      the same, about 10 s each (for CI)
#   make fuzz-regress    run each harness once over tests/fuzz/regress/<harness>/
#   make fuzz-deps       install clang and its fuzzer runtime (Debian packages)
#   make fuzz-clean      remove build/fuzz (binaries, scratch corpora, crashes)
#
# Each harness is built with clang -fsanitize=fuzzer,address,undefined into
# build/fuzz/. Its seed corpus tests/fuzz/corpus/<harness>/ is copied into
# the scratch corpus build/fuzz/corpus/<harness>/, which grows from run to
# run; crashing inputs land in build/fuzz/artifacts/. A crash found by
# fuzzing belongs in tests/fuzz/regress/<harness>/ once understood.

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_DIR       = build/fuzz
FUZZ_CFLAGS    = -g -O1 -std=gnu11 -D_GNU_SOURCE -Isrc \
                 -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FUZZ_LIBS      = -lz -lzstd -lm -lpthread
# UBSan findings stop a run like ASan's; fuzzing skips the known bugs
# listed in ubsan.supp, fuzz-regress does not.
FUZZ_UBSAN     = halt_on_error=1:print_stacktrace=1
FUZZ_UBSAN_RUN = $(FUZZ_UBSAN):suppressions=$(CURDIR)/tests/fuzz/ubsan.supp
# A smaller quarantine keeps fresh-page faults from dominating fuzz_line.
FUZZ_ASAN      = quarantine_size_mb=64
# Debian: clang-14 finds libclang_rt.fuzzer in libclang-rt-14-dev.
FUZZ_PKG       = clang libclang-rt-14-dev

FUZZ_LIBSRC    = $(filter-out src/main.c,$(wildcard src/*.c))
# Every tests/fuzz/fuzz_*.c is a harness.
FUZZ_HARNESSES = $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_BINS      = $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/fuzz_jsonscan: tests/fuzz/fuzz_jsonscan.c src/jsonscan.c src/jsonview.c src/jsonpaths.c src/jsonnum.c src/jsonscan.h src/jsonlex.h src/jsonpaths.h src/jsonnum.h | $(FUZZ_DIR)/.dir
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(FUZZ_DIR)/fuzz_ltime: tests/fuzz/fuzz_ltime.c src/ltime.c src/ltime.h | $(FUZZ_DIR)/.dir
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) -lm

# The others (fuzz_line, fuzz_prices, ...) link every module but main.c.
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIBSRC) $(wildcard src/*.h) | $(FUZZ_DIR)/.dir
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

$(FUZZ_DIR)/.dir:
	mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	touch $@

# Runs every harness for $(1) seconds; all run even when one fails.
# Per harness: the longest input tried and the dictionary, if any.
define fuzz_run
	@status=0; \
	for h in $(FUZZ_HARNESSES); do \
	  case $$h in fuzz_ltime) ml=64;; fuzz_jsonscan) ml=8192;; *) ml=16384;; esac; \
	  dict=""; [ -f tests/fuzz/$$h.dict ] && dict="-dict=tests/fuzz/$$h.dict"; \
	  mkdir -p $(FUZZ_DIR)/corpus/$$h; \
	  [ -d tests/fuzz/corpus/$$h ] && cp -R tests/fuzz/corpus/$$h/. $(FUZZ_DIR)/corpus/$$h/; \
	  echo "fuzz: $$h for $(1) s (log: $(FUZZ_DIR)/$$h.log)"; \
	  if ASAN_OPTIONS=$(FUZZ_ASAN) UBSAN_OPTIONS=$(FUZZ_UBSAN_RUN) $(FUZZ_DIR)/$$h -max_total_time=$(1) -timeout=10 -rss_limit_mb=4096 \
	       -max_len=$$ml $$dict -print_final_stats=1 \
	       -artifact_prefix=$(FUZZ_DIR)/artifacts/$$h- \
	       $(FUZZ_DIR)/corpus/$$h > $(FUZZ_DIR)/$$h.log 2>&1; then \
	    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' $(FUZZ_DIR)/$$h.log | sed "s/^/  $$h: /"; \
	  else \
	    status=1; \
	    echo "fuzz: $$h FAILED; the end of its log:"; \
	    tail -n 60 $(FUZZ_DIR)/$$h.log; \
	  fi; \
	done; \
	ls $(FUZZ_DIR)/artifacts/ 2>/dev/null | sed 's/^/fuzz: artifact /'; \
	exit $$status
endef

fuzz-deps:
	$(call need_pkgs,$(FUZZ_PKG))

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

# Every file of tests/fuzz/regress/<harness>/ once; every failing one is named.
fuzz-regress: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build
	@status=0; \
	for h in $(FUZZ_HARNESSES); do \
	  for f in $$(find tests/fuzz/regress/$$h -type f ! -name '.*' 2>/dev/null | sort); do \
	    if UBSAN_OPTIONS=$(FUZZ_UBSAN) $(FUZZ_DIR)/$$h $$f > $(FUZZ_DIR)/regress.log 2>&1; then \
	      echo "ok   $$h $$f"; \
	    else \
	      echo "FAIL $$h $$f"; \
	      grep -E 'ERROR|SUMMARY|property failed|runtime error' $(FUZZ_DIR)/regress.log | head -5 | sed 's/^/     /'; \
	      status=1; \
	    fi; \
	  done; \
	done; \
	exit $$status

fuzz-clean:
	rm -rf $(FUZZ_DIR)

.PHONY: fuzz fuzz-smoke fuzz-regress fuzz-deps fuzz-build fuzz-clean
