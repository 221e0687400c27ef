#!/usr/bin/env bash
# Puts the four MNIST IDX .gz files in DEST_DIR (what `make data` runs).
# Usage: scripts/fetch-mnist.sh DEST_DIR
#
# Files come from $MNIST_DIR if set, else from ../shared/data/mnist (relative
# to the repository root) when it exists, else from the public mirrors.
# Each one is copied to a temporary file in DEST_DIR and checked against
# runtime/base/mnist.sha256 (SHA-256 of the *uncompressed* content) before it is
# renamed into place, so DEST_DIR never holds a file that has not been
# verified. The first problem ends the script with one line naming the file.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
digests=$repo_root/runtime/base/mnist.sha256
mirrors="https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist"

if [ $# -ne 1 ]; then
    echo "usage: $0 DEST_DIR" >&2
    exit 2
fi
dest=$1

if [ -n "${MNIST_DIR:-}" ]; then
    source_dir=$MNIST_DIR
elif [ -d "$repo_root/../shared/data/mnist" ]; then
    source_dir=$(cd "$repo_root/../shared/data/mnist" && pwd)
else
    source_dir=""  # download
fi

# The temporary file of the file in flight, removed however the script ends.
temp=""
trap 'rm -f -- "$temp"' EXIT
trap 'exit 130' INT TERM HUP

fail() {
    echo "make data: $*" >&2
    exit 1
}

# check_gz FILE EXPECTED_SHA256: succeeds if FILE is intact gzip whose
# uncompressed content has that digest; otherwise prints what is wrong.
check_gz() {
    local gzip_error actual
    # gzip -t checks the format and the CRC; keep its first message line.
    if ! gzip_error=$(gzip -t <"$1" 2>&1 | sed -n '/./{s/^gzip: stdin: //;p;q;}'); then
        echo "not a valid gzip file (gzip: $gzip_error)"
        return 1
    fi
    actual=$(gzip -dc <"$1" | sha256sum)
    actual=${actual%% *}
    if [ "$actual" != "$2" ]; then
        echo "SHA-256 of the uncompressed content is $actual, expected $2"
        return 1
    fi
}

mkdir -p -- "$dest"

while read -r expected name; do
    file=$name.gz
    target=$dest/$file
    if [ -e "$target" ]; then
        if problem=$(check_gz "$target" "$expected"); then
            echo "make data: $target: present and verified"
            continue
        fi
        echo "make data: $target: $problem; fetching it again" >&2
        rm -f -- "$target"
    fi

    temp=$(mktemp "$dest/.$file.XXXXXX")
    if [ -n "$source_dir" ]; then
        origin=$source_dir
        [ -f "$source_dir/$file" ] || fail "$file from $origin: no such file"
        if ! copy_error=$(cp -- "$source_dir/$file" "$temp" 2>&1); then
            fail "$file from $origin: copy failed: ${copy_error#cp: }"
        fi
        problem=$(check_gz "$temp" "$expected") || fail "$file from $origin: $problem"
    else
        # Try each mirror until one serves a verified copy.
        problem="no mirror tried"
        for origin in $mirrors; do
            if ! curl_error=$(curl -fsSL --retry 2 -o "$temp" "$origin/$file" 2>&1); then
                curl_error=${curl_error##*$'\n'}  # the last attempt's message
                problem="download failed (${curl_error#curl: })"
            elif problem=$(check_gz "$temp" "$expected"); then
                problem=""
                break
            fi
        done
        [ -z "$problem" ] || fail "$file from $origin: $problem (tried: $mirrors)"
    fi
    chmod 644 -- "$temp"  # mktemp creates it 600
    mv -f -- "$temp" "$target"
    temp=""
    echo "make data: $target: from $origin, verified"
done <"$digests"
