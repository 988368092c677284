#!/usr/bin/env bash
# Checks that a built libssmkit.so exports exactly the functions declared in include/ssmkit.h:
# nothing else (version script), nothing missing (every header function implemented).
# Usage: scripts/check_exports.sh path/to/libssmkit.so
set -euo pipefail
lib="$1"
header="$(dirname "$0")/../include/ssmkit.h"
[ -f "$lib" ] || { echo "check_exports: no library at $lib" >&2; exit 1; }
exported=$(readelf --dyn-syms -W "$lib" | awk 'NR > 3 && $5 != "LOCAL" && $7 != "UND" && $8 != "" {print $8}' | sed 's/@.*//' | sort -u)
declared=$(grep -oE '\bssm_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
    echo "check_exports: exported symbols differ from the header's functions" >&2
    diff <(echo "$declared") <(echo "$exported") | sed 's/^</  declared only:/; s/^>/  exported only:/' >&2
    exit 1
fi
echo "check_exports: $(echo "$exported" | wc -l) functions, exactly the header's"
