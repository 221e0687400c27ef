#!/usr/bin/env bash
# Runs each fuzz target of BUILD_DIR for SECONDS, one after the other (the
# machines are shared), and prints its executions (libFuzzer's final stats).
# Usage: fuzz/run-fuzzers.sh BUILD_DIR SECONDS TARGET... (make fuzz)
#
# A target's corpus: what its earlier runs here found (BUILD_DIR/corpus/<target>,
# where libFuzzer adds new inputs), its seeds (fuzz/corpus/<target>) and its
# kept findings (tests/fuzz_regressions/<target>). A crash, a leak, a UBSan
# report, an input taking over 10 s or a failure without its one line
# (fuzz_feed.h) stops the target with the input in BUILD_DIR/findings/<target>/;
# the others still run, and the script then fails.
set -euo pipefail
build=$1 seconds=$2
shift 2
failed=""
for target in "$@"; do
    mkdir -p "$build/corpus/$target" "$build/findings/$target"
    log=$build/findings/$target.log
    corpora=("$build/corpus/$target" "fuzz/corpus/$target")
    [ -d "tests/fuzz_regressions/$target" ] && corpora+=("tests/fuzz_regressions/$target")
    # The feeds' files (fuzz_feed.h) go under BUILD_DIR: a crash leaves them behind.
    rm -rf "$build/tmp" && mkdir -p "$build/tmp"
    if TMPDIR=$build/tmp "$build/$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
        -artifact_prefix="$build/findings/$target/" "${corpora[@]}" > "$log" 2>&1; then
        found=""
    else
        found=yes
        failed="$failed $target"
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ -z "$found" ]; then
        echo "fuzz: $target: ${executions:-?} executions in $seconds s, no finding"
    else
        echo "fuzz: $target: FINDING after ${executions:-?} executions; its input is in" \
             "$build/findings/$target/; the log's end:"
        tail -n 40 "$log"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: findings in:$failed (full logs: $build/findings/<target>.log)" >&2
    exit 1
fi
