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

if [ "$#" -eq 0 ]; then
  echo "usage: bash invoke_local.sh EVENT.json [EVENT.json ...]" >&2
  exit 2
fi

project=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
handler=$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["Resources"]["PredictFunction"]["Properties"]["Handler"])
' "$project/template.json")

mkdir -p out
status=0
for event in "$@"; do
  name=$(basename "$event")
  if [ ! -f "$event" ]; then
    echo "invoke_local.sh: no such event file: $event" >&2
    status=1
    continue
  fi
  # One process per event, like a cold start each time. The module is imported from the
  # project folder, whatever the current directory is.
  if ! code=$(PYTHONPATH="$project" python3 - "$handler" "$event" "out/$name" <<'PY'
import importlib
import json
import sys

spec, event_path, out_path = sys.argv[1:4]
module_name, _, function_name = spec.rpartition(".")
try:
    with open(event_path, encoding="utf-8") as f:
        event = json.load(f)
except ValueError as err:
    print(f"invoke_local.sh: {event_path} is not JSON: {err}", file=sys.stderr)
    sys.exit(1)
function = getattr(importlib.import_module(module_name), function_name)
response = function(event, None)
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(response, f, indent=2)
    f.write("\n")
print(response["statusCode"])
PY
  ); then
    status=1
    continue
  fi
  echo "$event $code"
done
exit "$status"
