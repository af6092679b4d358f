#!/usr/bin/env bash
# promote.sh FROM TO: promote the manifest of environment FROM to the next environment, TO,
# without building anything.
#
#   bash promote.sh dev staging
#   bash promote.sh staging prod
#
# Exit status: 0 promoted; 1 FROM has no manifest; 2 wrong arguments, an unknown environment,
# or a promotion that skips an environment or goes backwards.
set -euo pipefail

ENVIRONMENTS=(dev staging prod)

from=$1
to=$2

# TODO: check the arguments against ENVIRONMENTS: TO must come right after FROM.
# TODO: deploy/$to/image.json must be the same bytes as deploy/$from/image.json, except that
# "environment" says $to. Never run make or manifest.py here.
mkdir -p "deploy/$to"
cp "deploy/$from/image.json" "deploy/$to/image.json"
echo "promoted $from -> $to"
