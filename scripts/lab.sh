#!/usr/bin/env bash
# The lab entry point. Until `raven lab` lands, this runs the most complete end-to-end demonstration
# that exists: the seed manual's Gateways judged exactly as Raven's API server admits them.
set -euo pipefail
cd "$(dirname "$0")/.."
raven=(dotnet src/Raven.Cli/bin/Release/net10.0/raven.dll)

echo "== The seed manual's Gateway YAML (docs/examples/seed-manual-gateways.yaml)"
"${raven[@]}" gateway validate -f docs/examples/seed-manual-gateways.yaml
echo
echo "== The same Gateways as the API server stores them (v1beta1)"
"${raven[@]}" gateway convert -f docs/examples/seed-manual-gateways.yaml --to v1beta1
