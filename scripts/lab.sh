#!/usr/bin/env bash
# The lab: the user manual's walkthrough on this machine (root). Extra arguments go to `raven lab up`,
# e.g. --check-only to take everything down after the checks.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "the lab creates network namespaces: run it as root" >&2
  exit 1
fi
# The ReadyToRun publish of setup.sh when it is as new as the build, else the build itself.
raven=src/Raven.Cli/bin/Release/net10.0/raven
if [ artifacts/lab/raven.dll -nt src/Raven.Cli/bin/Release/net10.0/raven.dll ]; then
  raven=artifacts/lab/raven
fi
exec "$raven" lab up "$@"
