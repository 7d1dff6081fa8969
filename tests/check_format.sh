#!/usr/bin/env bash
# Fails when any C/C++ source differs from what .clang-format asks for (CI gate).
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    files=$(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' '*.h' '*.cc' '*.c')
else
    files=$(find arch hv tools tests -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c')
fi
[ -n "$files" ] || { echo "no sources found"; exit 1; }
bad=0
for f in $files; do
    [ -f "$f" ] || continue
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (run: clang-format -i $f)"
        bad=1
    fi
done
exit $bad
