#!/usr/bin/env bash
# `make install PREFIX=DIR` into a scratch directory, then the installed
# binary run from another directory: it prints its version, its man page is
# in place, and an experiment file kept in that other directory finds the
# shipped networks (`require "lib.recipe"`) through the installed
# experiments/lib, not the repository's. Prints one line and exits 1 on the
# first failure.
set -uo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d /tmp/ddim-lab-install-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "test-install: $*" >&2; exit 1; }

make -s -C "$repo_root" install PREFIX="$scratch/prefix" > "$scratch/make.log" 2>&1 ||
    fail "make install PREFIX=$scratch/prefix failed: $(tail -n 1 "$scratch/make.log")"
binary=$scratch/prefix/bin/ddim-lab
[ -x "$binary" ] || fail "no executable $binary"
[ -f "$scratch/prefix/share/man/man1/ddim-lab.1" ] || fail "no man page in $scratch/prefix/share/man/man1"
[ -f "$scratch/prefix/share/ddim-lab/experiments/lib/recipe.lua" ] || fail "no experiments/lib installed"

mkdir -p "$scratch/elsewhere"
cd "$scratch/elsewhere" || fail "cannot enter $scratch/elsewhere"
"$binary" --version > version.txt 2>&1 || fail "the installed binary's --version failed: $(cat version.txt)"
cat > mine.lua <<'LUA'
local ddim = require "ddim"
local recipe = require "lib.recipe"
return ddim.experiment { variants = { { name = "mine", model = recipe.network() } } }
LUA
# --variant names no variant: the file loads (its require resolved) and the
# run stops before anything is written, listing the variants.
"$binary" mine.lua --variant nope > out.txt 2>&1
status=$?
grep -q "no such variant; the variants are mine" out.txt ||
    fail "the installed binary did not load mine.lua from another directory (exit $status): $(cat out.txt)"
[ ! -e runs ] || fail "the refused run wrote $scratch/elsewhere/runs"
echo "test-install: make install PREFIX=... installs a binary that runs from another directory and finds experiments/lib"
