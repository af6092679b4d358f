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

die() {
    echo "promote.sh: $2" >&2
    exit "$1"
}

[ $# -eq 2 ] || die 2 "usage: bash promote.sh FROM TO (environments: ${ENVIRONMENTS[*]})"
from=$1
to=$2

index_of() {
    local i
    for i in "${!ENVIRONMENTS[@]}"; do
        if [ "${ENVIRONMENTS[$i]}" = "$1" ]; then
            echo "$i"
            return 0
        fi
    done
    return 1
}

f=$(index_of "$from") || die 2 "unknown environment '$from' (known: ${ENVIRONMENTS[*]})"
t=$(index_of "$to") || die 2 "unknown environment '$to' (known: ${ENVIRONMENTS[*]})"
[ "$t" -eq $((f + 1)) ] || die 2 "$from can only be promoted to ${ENVIRONMENTS[$((f + 1))]:-nothing}, not $to"

src="deploy/$from/image.json"
[ -f "$src" ] || die 1 "$from has no manifest ($src): build with make image-manifest, or promote to $from first"

# The canonical format puts "environment" on a line of its own: change that line, nothing else.
mkdir -p "deploy/$to"
sed "s/^  \"environment\": \"$from\",\$/  \"environment\": \"$to\",/" "$src" > "deploy/$to/image.json.tmp"
mv "deploy/$to/image.json.tmp" "deploy/$to/image.json"
echo "promoted $src to deploy/$to/image.json"
