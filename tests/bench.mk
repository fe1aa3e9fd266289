# Benchmark, included by the Makefile: `make bench` (BENCH_N=100000 for a
# smoke run, BENCH_BIG=1 to add a 4 x BENCH_N log, BENCH_REPS=5 on a noisy
# machine). Logs and their .gz/.zst copies are cached in build/bench/.
BENCH_N    ?= 1000000
BENCH_PKG   = time gzip zstd

build/loggen: tests/loggen.c
	@mkdir -p build
	gcc -std=c11 -D_GNU_SOURCE -O2 -o $@ tests/loggen.c -lm

deps-bench:
	$(call need_pkgs,$(BUILD_PKG) $(BENCH_PKG))

bench: deps-bench build/loggen
	$(MAKE) llmstat
	BENCH_N=$(BENCH_N) bash tests/bench.sh

.PHONY: bench deps-bench
