#!/usr/bin/env bash
# summarize.sh: a first look at an export of athletes' posts (tab-separated, one header line).
#
# Usage: bash summarize.sh FILE.tsv
#
# Prints the number of rows, the number of distinct athletes, the three sports with the most
# posts, and the path of a 10% sample it writes next to FILE (every 10th row, from the first).
# Exit status: 0 on success, 1 when FILE cannot be used, 2 on a usage error.
set -euo pipefail

# Byte order for every sort, so ties come out the same on every machine.
export LC_ALL=C

usage() {
  echo "usage: $(basename "$0") FILE.tsv" >&2
  exit 2
}

die() {
  echo "summarize.sh: $*" >&2
  exit 1
}

[[ $# -eq 1 ]] || usage
file=$1
[[ -f $file && -r $file ]] || die "cannot read $file"

# column NAME prints the 1-based position of NAME in the header, or nothing when it is absent.
column() {
  awk -F'\t' -v name="$1" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) { print i; exit }; exit }
  ' "$file"
}

athlete_col=$(column athlete)
sport_col=$(column sport)
[[ -n $athlete_col ]] || die "$file has no 'athlete' column in its header"
[[ -n $sport_col ]] || die "$file has no 'sport' column in its header"

sample=${file%.tsv}.sample.tsv

# awk counts the last line even without a trailing newline; NR - 1 leaves out the header.
printf 'rows\t%s\n' "$(awk 'END { print (NR > 0 ? NR - 1 : 0) }' "$file")"

printf 'athletes\t%s\n' "$(tail -n +2 "$file" | cut -f "$athlete_col" | sort -u | wc -l | tr -d ' ')"

# uniq -c prints "  COUNT NAME"; sort by count (biggest first), then by name, keep three.
tail -n +2 "$file" | cut -f "$sport_col" | sort | uniq -c | sort -k1,1nr -k2,2 | head -n 3 |
  awk '{ n = $1; sub(/^ *[0-9]+ /, ""); print "sport\t" $0 "\t" n }'

# The sample keeps the header so that it is a valid export itself.
{
  head -n 1 "$file"
  tail -n +2 "$file" | awk 'NR % 10 == 1'
} > "$sample"
printf 'sample\t%s\n' "$sample"
