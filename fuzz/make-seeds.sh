#!/usr/bin/env bash
# Rewrites the fuzz targets' seeds, fuzz/corpus/<target>/, with the
# project's own writers: BUILD_DIR/make-fuzz-seeds (fuzz/make_seeds.c) for
# the IDX, checkpoint and classifier files, and a tiny run of
# experiments/skip_vs_noskip.lua, scored by the tiny classifier just
# written, for the report's CSV files, joined by NUL bytes as
# feed_report_csv (fuzz/fuzz_feed.h) splits them. The experiment loader's
# seeds are three shipped experiments (and tiny_variants.lua, by hand).
# Usage: fuzz/make-seeds.sh BUILD_DIR, from the repository's top (make fuzz-seeds).
set -euo pipefail
build=$1
"$build/make-fuzz-seeds" fuzz/corpus
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
"$build/ddim-lab" experiments/skip_vs_noskip.lua --seeds 1,2 --threads 1 train.max_images=128 train.epochs=2 \
    diffusion.steps=2 sample.metric_samples=64 --classifier fuzz/corpus/fuzz_classifier_file/classifier.ddim \
    --out "$runs" >/dev/null
run=$(echo "$runs"/skip_vs_noskip/*)
mkdir -p fuzz/corpus/fuzz_report_csv
{
    cat "$run/variants.csv"; printf '\0'
    cat "$run/results.csv"; printf '\0'
    cat "$run/timing.csv"; printf '\0'
    cat "$run/metrics.csv"
} > fuzz/corpus/fuzz_report_csv/run.csv
mkdir -p fuzz/corpus/fuzz_experiment
cp experiments/skip_vs_noskip.lua experiments/unet_full.lua experiments/seed_extras.lua fuzz/corpus/fuzz_experiment/
