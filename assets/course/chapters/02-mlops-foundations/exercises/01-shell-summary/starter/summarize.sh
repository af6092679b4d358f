#!/usr/bin/env bash
# summarize.sh: a first look at an export of athletes' posts (tab-separated, one header line).
#
# Usage: bash summarize.sh FILE.tsv
#
# README.md describes every line of the output and the exit statuses.

# TODO: stop on a failed command, on an unset variable and on a failed pipeline stage.

file=$1

# TODO: exactly one argument, or a usage message on stderr and exit status 2.
# TODO: a file that cannot be read: a message naming it on stderr and exit status 1.

# TODO: find the athlete and sport columns by their names in the header (exit 1 if missing).

printf 'rows\t%s\n' "$(wc -l < $file)"   # TODO: the header is not a row

# TODO: the number of distinct athletes.
# TODO: the three sports with the most posts, most first, ties broken by name.
# TODO: write the 10% sample next to the file and print its path.
