#!/usr/bin/env bash
# Tests of scripts/fetch-mnist.sh: corrupted sources are refused with one
# line naming the file and the problem, and leave nothing unverified behind;
# good sources are copied once. Needs the real files: $MNIST_DIR, else
# ../shared/data/mnist, else data/mnist (relative to the repository root).
set -uo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
fetch=$repo_root/scripts/fetch-mnist.sh
names="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"

real=""
for dir in "${MNIST_DIR:-}" "$repo_root/../shared/data/mnist" "$repo_root/data/mnist"; do
    if [ -n "$dir" ] && [ -f "$dir/t10k-labels-idx1-ubyte.gz" ]; then
        real=$(cd "$dir" && pwd)
        break
    fi
done
if [ -z "$real" ]; then
    echo "test-fetch-mnist: no MNIST files to test with (run make data)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

passed=0
failed=0
record() {  # record DESCRIPTION PROBLEM: PROBLEM empty means passed
    if [ -z "$2" ]; then
        passed=$((passed + 1))
        echo "ok: $1"
    else
        failed=$((failed + 1))
        echo "FAIL: $1: $2"
    fi
}

# A source directory holding links to the good files, where a test replaces
# one with a corrupted copy.
make_source() {
    rm -rf -- "$work/source"
    mkdir -p "$work/source"
    for name in $names; do
        ln -s "$real/$name.gz" "$work/source/$name.gz"
    done
}

replace_with_copy() {  # replace_with_copy FILE: FILE becomes a writable copy of the real one
    rm -f -- "$work/source/$1"
    cp -- "$real/$1" "$work/source/$1"
    chmod u+w -- "$work/source/$1"
}

flip_byte() {  # flip_byte FILE OFFSET: inverts the bits of one byte in place
    local byte
    byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf '%b' "\\$(printf '%03o' $((byte ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# expect_refused DESCRIPTION FILE PATTERN: fetching from $work/source must fail
# with exactly one stderr line naming FILE and matching PATTERN, and leave
# neither FILE nor a temporary file in the destination.
expect_refused() {
    local dest=$work/dest status problem="" temporary
    rm -rf -- "$dest"
    MNIST_DIR=$work/source "$fetch" "$dest" >"$work/stdout" 2>"$work/stderr"
    status=$?
    local lines
    lines=$(wc -l <"$work/stderr")
    if [ "$status" -eq 0 ]; then
        problem="exit status 0"
    elif [ "$lines" -ne 1 ]; then
        problem="expected one line on stderr, got $lines: $(cat "$work/stderr")"
    elif ! grep -q "^make data: $2 from $work/source: $3" "$work/stderr"; then
        problem="unexpected message: $(cat "$work/stderr")"
    elif [ -e "$dest/$2" ]; then
        problem="$dest/$2 was left behind"
    elif temporary=$(find "$dest" -mindepth 1 -name '.*') && [ -n "$temporary" ]; then
        problem="temporary files left behind: $temporary"
    fi
    record "$1" "$problem"
    [ -z "$problem" ] && echo "    $(cat "$work/stderr")"
}

make_source
replace_with_copy train-images-idx3-ubyte.gz
flip_byte "$work/source/train-images-idx3-ubyte.gz" 500000
expect_refused "a flipped byte inside the gzip member is refused" \
    train-images-idx3-ubyte.gz "not a valid gzip file (gzip: .*)$"

make_source
head -c 1000 "$real/t10k-labels-idx1-ubyte.gz" >"$work/source/t10k-labels-idx1-ubyte.gz.part"
rm -f "$work/source/t10k-labels-idx1-ubyte.gz"
mv "$work/source/t10k-labels-idx1-ubyte.gz.part" "$work/source/t10k-labels-idx1-ubyte.gz"
expect_refused "a truncated .gz is refused (the files before it stay)" \
    t10k-labels-idx1-ubyte.gz "not a valid gzip file (gzip: unexpected end of file)$"
problem=""
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte; do
    cmp -s "$real/$name.gz" "$work/dest/$name.gz" || problem="$problem $name.gz missing or different;"
done
record "files verified before the failure stay in place" "$problem"

make_source
rm -f "$work/source/train-labels-idx1-ubyte.gz"
gzip -dc "$real/train-labels-idx1-ubyte.gz" >"$work/labels"
flip_byte "$work/labels" 100
gzip -n <"$work/labels" >"$work/source/train-labels-idx1-ubyte.gz"
expect_refused "intact gzip with different content is refused" \
    train-labels-idx1-ubyte.gz "SHA-256 of the uncompressed content is [0-9a-f]\{64\}, expected 65a50cbbf4e9"

make_source
rm -f "$work/source/train-images-idx3-ubyte.gz"
echo "not gzip at all" >"$work/source/train-images-idx3-ubyte.gz"
expect_refused "a file that is not gzip is refused" \
    train-images-idx3-ubyte.gz "not a valid gzip file (gzip: not in gzip format)$"

make_source
rm -f "$work/source/t10k-images-idx3-ubyte.gz"
expect_refused "a missing source file is refused" t10k-images-idx3-ubyte.gz "no such file$"

make_source
rm -rf -- "$work/dest"
problem=""
if ! MNIST_DIR=$work/source "$fetch" "$work/dest" >"$work/stdout" 2>"$work/stderr"; then
    problem="exit status non-zero: $(cat "$work/stderr")"
else
    for name in $names; do
        cmp -s "$real/$name.gz" "$work/dest/$name.gz" || problem="$problem $name.gz missing or different;"
    done
    [ "$(find "$work/dest" -mindepth 1 | wc -l)" -eq 4 ] || problem="$problem extra files: $(find "$work/dest" -mindepth 1)"
fi
record "good files are copied" "$problem"

# Present and verified: nothing is copied, so a source is not even needed.
problem=""
if ! MNIST_DIR=$work/nowhere "$fetch" "$work/dest" >"$work/stdout" 2>"$work/stderr"; then
    problem="exit status non-zero: $(cat "$work/stderr")"
elif [ "$(grep -c 'present and verified$' "$work/stdout")" -ne 4 ]; then
    problem="unexpected output: $(cat "$work/stdout")"
fi
record "files already present and verified are kept" "$problem"

# A corrupted file in the destination is replaced by a verified copy.
problem=""
rm -f "$work/dest/t10k-labels-idx1-ubyte.gz"
echo "damaged" >"$work/dest/t10k-labels-idx1-ubyte.gz"
if ! MNIST_DIR=$work/source "$fetch" "$work/dest" >"$work/stdout" 2>"$work/stderr"; then
    problem="exit status non-zero: $(cat "$work/stderr")"
elif ! cmp -s "$real/t10k-labels-idx1-ubyte.gz" "$work/dest/t10k-labels-idx1-ubyte.gz"; then
    problem="the damaged file was not replaced"
fi
record "a damaged file in the destination is fetched again" "$problem"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
