#!/usr/bin/env bash
# Files small enough to read in one sitting: no .c or .h file in runtime/ or
# kernels/ over MAX_FILE_LINES lines, no function over MAX_FUNCTION_LINES
# (from the line of its name to its closing brace; the code's style puts a
# function's braces in column 0, which is what this script looks for).
# Prints "file:line: ..." for each and exits 1.
# Usage: scripts/check-sizes.sh [REPO_ROOT]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
MAX_FILE_LINES=500
MAX_FUNCTION_LINES=100

files=$(find runtime kernels -name '*.[ch]' | sort)
status=0
for file in $files; do
    lines=$(wc -l < "$file")
    if [ "$lines" -gt "$MAX_FILE_LINES" ]; then
        echo "$file: $lines lines (at most $MAX_FILE_LINES)" >&2
        status=1
    fi
done
# A function starts at a line in column 0 that names it, "type name(", and
# its body is the lines from the next "{" in column 0 to the next "}" there.
awk -v max="$MAX_FUNCTION_LINES" '
    FNR == 1 { name_line = 0; open = 0 }
    /^[A-Za-z_].*[A-Za-z_0-9]\(/ && !open { name_line = FNR; name = $0 }
    /^\{/ && !open { open = 1; if (!name_line) name_line = FNR }
    /^\}/ && open {
        length_ = FNR - name_line + 1
        if (length_ > max) {
            sub(/\(.*/, "", name); n = split(name, words, /[ *]+/)
            printf "%s:%d: %s is %d lines (at most %d)\n", FILENAME, name_line, words[n], length_, max > "/dev/stderr"
            bad = 1
        }
        open = 0; name_line = 0
    }
    END { exit bad }
' $files || status=1
[ "$status" -eq 0 ] && echo "sizes: no file in runtime/ or kernels/ over $MAX_FILE_LINES lines, no function over $MAX_FUNCTION_LINES"
exit "$status"
