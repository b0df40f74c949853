#!/bin/sh
# Publishes `raven` self-contained (the runtime packs restore from NuGet) for one runtime identifier.
# Both image builds call this, so both images hold the same files.
#   deploy/image/publish.sh linux-x64 /out [intermediate-dir]
# Not trimmed: System.Text.Json, YamlDotNet and the Kubernetes client reach types by reflection.
# Not single-file: NSec's libsodium.so must stay a file beside the app, or be extracted at run time into a
# writable directory, which a read-only root filesystem does not have.
set -eu
rid=${1:?usage: publish.sh RID OUTPUT-DIR [INTERMEDIATE-DIR]}
out=${2:?usage: publish.sh RID OUTPUT-DIR [INTERMEDIATE-DIR]}
intermediate=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)

set -- dotnet publish "$root/src/Raven.Cli/Raven.Cli.csproj" --nologo -v quiet \
  -c Release -r "$rid" --self-contained \
  -p:PublishTrimmed=false -p:PublishSingleFile=false -p:SatelliteResourceLanguages=en \
  -o "$out"
# A separate intermediate directory keeps a publish from rewriting the work tree's obj/ for this RID.
if [ -n "$intermediate" ]; then
  set -- "$@" --artifacts-path "$intermediate"
fi
"$@"
test -x "$out/raven"
test -f "$out/libsodium.so"
