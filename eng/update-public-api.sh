#!/usr/bin/env bash
# Adds every symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt.
# Use after a deliberate change to the public surface; review the diff before committing.
set -euo pipefail
project=${1:?usage: eng/update-public-api.sh src/PROJECT}
out=$(dotnet build "$project" -f net10.0 --no-incremental 2>&1 || true)
file="$project/PublicAPI.Unshipped.txt"
printf '%s\n' "$out" | grep -o "RS0016: Symbol '.*' is not part of the declared public API" \
  | sed -e "s/^RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" \
  | sort -u >> "$file.new" || true
{ head -n1 "$file"; { tail -n +2 "$file"; cat "$file.new"; } | sort -u; } > "$file.tmp"
mv "$file.tmp" "$file"; rm -f "$file.new"
echo "$(tail -n +2 "$file" | wc -l) symbols in $file"
