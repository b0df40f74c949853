#!/usr/bin/env bash
# One entry point for a fresh machine: installs what Raven needs, builds, then runs the lab or the tests.
#   bash scripts/setup.sh lab    # the main job: the seed manual's walkthrough (extra args go to `raven lab up`)
#   bash scripts/setup.sh test   # every test tier (the network tier needs root)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
shift || true
case "$mode" in
  lab|test) ;;
  *) echo "usage: bash scripts/setup.sh lab|test" >&2; exit 2 ;;
esac

# Data-plane tools. wireguard-go is the userspace WireGuard (no kernel module here); never install
# wireguard-tools without --no-install-recommends (it pulls a kernel image). strongSwan's charon is the IPsec
# backend: kernel-libipsec (userspace ESP) is in libcharon-extra-plugins, and the openssl plugin (X25519) and gcm
# in libstrongswan-standard-plugins, which is only a recommendation of libstrongswan. python3-kubernetes (for
# /usr/bin/python3) and Node.js are the official clients' runtimes the API server tests drive. Graphviz's dot lays
# out `raven graph -o FILE.svg|.png`.
packages=(iproute2 iptables ipset wireguard-go iputils-ping procps
  strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins python3-kubernetes graphviz)
command -v node >/dev/null || packages+=(nodejs)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages (${missing[*]}): run as root so they can be installed" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v kubectl >/dev/null || echo "note: kubectl is not on PATH; the kubectl tests will fail" >&2

# @kubernetes/client-node, pinned by the committed package-lock.json, into the test's own directory (never global).
if command -v npm >/dev/null; then
  (cd tests/Raven.ApiServer.Tests/clients/js && npm ci --no-audit --no-fund --loglevel=error)
else
  echo "note: npm is not on PATH; the @kubernetes/client-node test will be skipped" >&2
fi

dotnet restore Raven.slnx --nologo -v quiet
dotnet build Raven.slnx --nologo -v quiet --no-restore -c Release

case "$mode" in
  lab)
    # The lab starts ten .NET processes at once on a small machine: ahead-of-time (ReadyToRun) code leaves them
    # little to JIT, which took about a third of their start-up CPU (docs/lab.md "Start-up time").
    dotnet publish src/Raven.Cli/Raven.Cli.csproj --nologo -v quiet -c Release -r linux-x64 --self-contained false \
      -p:PublishReadyToRun=true -o artifacts/lab
    exec bash scripts/lab.sh "$@"
    ;;
  test)
    exec bash scripts/test.sh
    ;;
esac
