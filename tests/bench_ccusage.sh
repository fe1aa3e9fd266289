#!/usr/bin/env bash
# bench_ccusage.sh - llmstat against ccusage on the same Claude Code session
# files (`make bench-ccusage`). The files are written by tests/loggen.c in
# ccusage's layout (CLAUDE_CONFIG_DIR/projects/<project>/<session>.jsonl),
# with the streaming repeats Claude Code writes; both tools read them cold
# from the page cache, the same daily report, and their totals are compared.
#
# BENCH_CC_N requests (default 300000) in BENCH_CC_S sessions (default 3000).
# ccusage comes from the npm registry: 20.0.24 (its native build, the newest
# that runs here) and, when BENCH_CC_NODE=1, 18.0.11 (the last pure Node.js
# release; minutes and gigabytes on this size).
set -eu

N=${BENCH_CC_N:-300000}
S=${BENCH_CC_S:-3000}
DIR=build/bench/cc-$N-$S
NPM=build/bench/npm
L=./llmstat

note() { printf 'bench-ccusage: %s\n' "$*" >&2; }

if [ ! -d "$DIR/projects" ]; then
	note "writing $N requests in $S sessions to $DIR"
	rm -rf "$DIR"
	build/loggen -n "$N" -s "$S" -u 300 --seed 11 --models real --format claude-code \
	    --split-dir "$DIR"
fi

install() {     # install VERSION: ccusage@VERSION into $NPM/VERSION
	if [ ! -x "$NPM/$1/node_modules/.bin/ccusage" ]; then
		note "npm install ccusage@$1"
		mkdir -p "$NPM/$1" && echo "{}" > "$NPM/$1/package.json"   # or npm installs into a parent
		(cd "$NPM/$1" && timeout 600 npm install --no-audit --no-fund --silent "ccusage@$1" \
		    > /dev/null 2>&1) || { note "cannot install ccusage@$1"; return 1; }
	fi
}

# best wall time of $REPS runs (and that run's peak RSS) of a command
REPS=3
best() {
	local t best_t="" best_m="" i
	for i in $(seq "$REPS"); do
		/usr/bin/time -f "%e %M" -o build/bench/time.txt "$@" > build/bench/out.json 2>/dev/null || true
		read -r t m < <(tail -n 1 build/bench/time.txt)
		if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then
			best_t=$t best_m=$m
			cp build/bench/out.json build/bench/best.json
		fi
	done
	echo "$best_t $best_m"
}


totals_cc() {   # input (with cache) output cost, from ccusage's daily JSON
	node -e 'const t = JSON.parse(require("fs").readFileSync(process.argv[1])).totals;
	    console.log(t.inputTokens + t.cacheCreationTokens + t.cacheReadTokens, t.outputTokens,
	    t.totalCost.toFixed(6))' "$1"
}

totals_ll() {
	node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1])).metrics;
	    console.log(m.input_tokens, m.output_tokens, m.total_cost.toFixed(6))' "$1"
}

mkdir -p build/bench/cchome
cat $(find "$DIR" -name '*.jsonl') > /dev/null          # the page cache, for everyone
size=$(du -sm "$DIR" | cut -f1)
files=$(find "$DIR" -name '*.jsonl' | wc -l)
note "$size MB in $files session files"

read -r t1 m1 < <(best "$L" -j1 -f json "$DIR/projects")
totals_ll build/bench/best.json > build/bench/ll.txt
read -r t2 m2 < <(best "$L" -j2 -f json "$DIR/projects")
printf '%-28s %8s s  %8s MiB\n' "llmstat -j1" "$t1" "$((m1 / 1024))"
printf '%-28s %8s s  %8s MiB\n' "llmstat -j2" "$t2" "$((m2 / 1024))"
printf '  totals (input+cache, output, cost): %s\n' "$(cat build/bench/ll.txt)"
for v in 20.0.24 ${BENCH_CC_NODE:+18.0.11}; do
	install "$v" || continue
	[ "$v" = 18.0.11 ] && REPS=1
	read -r tc mc < <(best env HOME="$PWD/build/bench/cchome" CLAUDE_CONFIG_DIR="$PWD/$DIR" TZ=UTC \
	    "$NPM/$v/node_modules/.bin/ccusage" daily --json --offline)
	printf '%-28s %8s s  %8s MiB  (%.1fx llmstat -j2)\n' "ccusage $v daily" "$tc" "$((mc / 1024))" \
	    "$(awk "BEGIN{print $tc / $t2}")"
	printf '  totals (input+cache, output, cost): %s\n' "$(totals_cc build/bench/best.json)"
done
