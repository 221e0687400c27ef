#!/usr/bin/env bash
# The runtime's layering (docs/architecture.md): each folder of runtime/ may
# include only itself, the folders below it in LAYERS, and kernels/. A file
# that includes from a folder above its own, or names a header without its
# folder, is printed as "file:line: ..." and the script exits 1.
# Usage: scripts/check-layers.sh [REPO_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

LAYERS=(base graph config lua scoring diffusion report cli)  # bottom to top
# Headers the build generates into $(BUILD)/gen (see the Makefile).
GENERATED="build_info.h mnist_digests.h"

rank_of() {
    local i
    for i in "${!LAYERS[@]}"; do
        [ "${LAYERS[$i]}" = "$1" ] && { echo "$i"; return; }
    done
    echo -1
}

status=0
for dir in runtime/*/; do
    layer=$(basename "$dir")
    own=$(rank_of "$layer")
    if [ "$own" -lt 0 ]; then
        echo "$dir: a folder that is not in scripts/check-layers.sh's LAYERS" >&2
        status=1
        continue
    fi
    while IFS=: read -r file line text; do
        header=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/' <<<"$text")
        case "$header" in
        kernels/*) continue ;;
        runtime/*/*)
            used=$(cut -d/ -f2 <<<"$header")
            rank=$(rank_of "$used")
            if [ "$rank" -lt 0 ]; then
                echo "$file:$line: includes $header from runtime/$used/, which is no layer" >&2
                status=1
            elif [ "$rank" -gt "$own" ]; then
                echo "$file:$line: runtime/$layer/ includes $header from runtime/$used/, a layer above it" >&2
                status=1
            fi ;;
        *)
            if ! grep -qw -- "$header" <<<"$GENERATED"; then
                echo "$file:$line: includes \"$header\" without its folder (write \"runtime/<layer>/...\")" >&2
                status=1
            fi ;;
        esac
    done < <(grep -Hn -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$dir"*.[ch] || true)
done
[ "$status" -eq 0 ] && echo "layers: every include in runtime/ is from its own folder or one below (${LAYERS[*]})"
exit "$status"
