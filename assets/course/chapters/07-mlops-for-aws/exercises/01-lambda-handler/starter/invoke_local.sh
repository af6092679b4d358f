#!/usr/bin/env bash
# invoke_local.sh: run the Lambda handler named in template.json on event files, the way
# `sam local invoke` does, without Docker or an AWS account.
#
# Usage: bash invoke_local.sh EVENT.json [EVENT.json ...]
#
# Writes each response to out/<event file name> (out/ in the current directory) and prints
# "<event file> <statusCode>" per event. Exit status: 0 when every event ran, 1 when an event
# file is missing or is not JSON (the others still run), 2 without arguments.
set -euo pipefail

# TODO: without arguments, print a usage line on stderr and exit 2.

# TODO: read the Handler ("module.function") from template.json, which sits next to this
# script, not necessarily in the current directory. python3 -c can read JSON for you.

# TODO: for each event file: check that it exists, run the handler on it with python3 (import
# the module from this script's folder, call the function with the event and None), write the
# response as JSON to out/<file name>, and print "<event file> <statusCode>".
echo "invoke_local.sh: not written yet" >&2
