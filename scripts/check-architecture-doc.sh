#!/usr/bin/env bash
# docs/architecture.md names its hops as `path/file.c:function`: each such
# file must exist and define that function (a line starting with its return
# type and name, the code's style), so the document stays true as code moves.
# Prints each hop that is not and exits 1.
# Usage: scripts/check-architecture-doc.sh [REPO_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
doc=docs/architecture.md
status=0
count=0
while IFS=: read -r file function; do
    count=$((count + 1))
    if [ ! -f "$file" ]; then
        echo "$doc: $file:$function: no such file" >&2
        status=1
    elif ! grep -qE "^[A-Za-z_].*[^A-Za-z_0-9]$function\(" "$file"; then
        echo "$doc: $file:$function: $file defines no $function" >&2
        status=1
    fi
done < <(grep -oE '`[A-Za-z_0-9/.]+\.(c|h|cc):[A-Za-z_0-9]+`' "$doc" | tr -d '`' | sort -u)
[ "$status" -eq 0 ] && echo "architecture: the $count file:function hops of $doc exist"
exit "$status"
