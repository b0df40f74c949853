#!/usr/bin/env bash
# Builds the Raven image without a container registry: a self-contained publish (runtime packs from NuGet)
# on a Debian bookworm root made by debootstrap from Debian's mirror, assembled with buildah into the local
# image localhost/raven:VERSION, saved as an OCI archive, then checked by running it.
#   sudo bash deploy/image/build.sh
# Same packages (packages.txt via provision.sh), files (publish.sh), user, labels and entrypoint as the
# Dockerfile. Needs root. Outputs under artifacts/image/ (gitignored); re-running replaces them.
# Environment: MIRROR, SECURITY_MIRROR (Debian mirrors; default deb.debian.org), OUT_DIR.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "build.sh needs root (debootstrap, chroot and buildah's system storage)" >&2
  exit 1
fi

VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
[ -n "$VERSION" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 1; }
SUITE=bookworm
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
out=${OUT_DIR:-$root/artifacts/image}
image=localhost/raven:$VERSION
base=localhost/raven-base:$VERSION
archive=$out/raven-$VERSION.oci.tar
# Test vector of RFC 7748 section 6.1 (Alice), base64 as WireGuard writes keys.
rfc_private=dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=
rfc_public=hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=

case "$(uname -m)" in
  x86_64) rid=linux-x64; debian_arch=amd64 ;;
  aarch64) rid=linux-arm64; debian_arch=arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

log() { printf '%s build.sh: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# runc only for the check: crun cannot start containers on hosts with hybrid cgroups (v1 plus a v2 with controllers).
tools=(debootstrap buildah skopeo podman runc)
missing=()
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }

started=$SECONDS
mkdir -p "$out/cache/debootstrap"
work=$(mktemp -d /var/tmp/raven-image.XXXXXX)
rootfs=$work/rootfs
app=$work/app
containers=()

# Unmounts whatever this run mounted under $work, then removes it; never deletes through a live mount.
cleanup() {
  local status=$?
  set +e
  if [ -n "${mountpoint:-}" ]; then
    umount "$mountpoint/proc" "$mountpoint/dev" 2>/dev/null || true
  fi
  for container in "${containers[@]}"; do
    buildah rm "$container" >/dev/null 2>&1 || true
  done
  findmnt -rn -o TARGET | grep -F "$work/" | sort -r | while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" || true
  done
  if findmnt -rn -o TARGET | grep -qF "$work/"; then
    echo "build.sh: $work still has mounts; left in place" >&2
  else
    rm -rf --one-file-system "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "publishing raven $VERSION for $rid"
sh "$here/publish.sh" "$rid" "$app/opt/raven" "$work/dotnet"
mkdir -p "$app/usr/local/bin"
ln -s /opt/raven/raven "$app/usr/local/bin/raven"

log "debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase --arch="$debian_arch" --cache-dir="$out/cache/debootstrap" \
  "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# The sources of Debian's own bookworm images: the release, its updates and security.
rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

log "installing packages.txt in the root (provision.sh)"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
mkdir -p "$rootfs/tmp/image"
cp "$here/packages.txt" "$here/provision.sh" "$rootfs/tmp/image/"
chroot "$rootfs" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/sh /tmp/image/provision.sh >"$work/provision.log" 2>&1 || { tail -n 30 "$work/provision.log" >&2; exit 1; }
umount "$rootfs/proc"
# What only this build put there: the host's resolver, device nodes (runtimes mount their own /dev), temp files.
: >"$rootfs/etc/resolv.conf"
rm -rf "${rootfs:?}/tmp/image" "$rootfs"/dev/* "$rootfs"/tmp/* "$rootfs"/var/tmp/*

log "assembling $image with buildah"
buildah rmi "$image" >/dev/null 2>&1 || true
buildah rmi "$base" >/dev/null 2>&1 || true

# Two layers, as the Dockerfile has: the Debian root with its packages, then the application. The root goes in
# as a tar through `buildah add`, which keeps owners, modes and capabilities (`buildah copy` makes all root:root).
tar --numeric-owner --xattrs --xattrs-include='*' -C "$rootfs" -cf "$work/rootfs.tar" .
container=$(buildah from scratch)
containers+=("$container")
buildah add --quiet "$container" "$work/rootfs.tar" / >/dev/null
buildah commit --quiet --rm "$container" "$base" >/dev/null
containers=()

container=$(buildah from --pull-never "$base")
containers+=("$container")
buildah copy --quiet "$container" "$app" / >/dev/null
buildah config \
  --label org.opencontainers.image.title="raven" \
  --label org.opencontainers.image.description="Raven for .NET: cross-network-domain networking for edge Kubernetes (agent, controller, API server)" \
  --label org.opencontainers.image.version="${VERSION}" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --user 65532:65532 \
  --entrypoint '["raven"]' \
  --cmd '["--help"]' \
  "$container"
buildah commit --quiet --rm "$container" "$image" >/dev/null
containers=()

rm -f "$archive"
skopeo copy --quiet "containers-storage:$image" "oci-archive:$archive:$image"

# Runs a command in the image, the first way this machine allows: podman as it comes; podman with runc and
# rlimits no higher than this shell's (a host without CAP_SYS_RESOURCE or with hybrid cgroups); otherwise chroot
# into the image's mounted root as user 65532, with its own /proc and /dev (the same files, no namespaces).
runners=(podman podman-runc chroot)
runner=""
mountpoint=""
run_in_image() {
  local entrypoint=$1
  shift
  case "$runner" in
    podman)
      podman run --rm --network none --pull never --entrypoint "$entrypoint" "$image" "$@" ;;
    podman-runc)
      podman --runtime runc run --rm --network none --pull never \
        --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096 \
        --entrypoint "$entrypoint" "$image" "$@" ;;
    chroot)
      if [ -z "$mountpoint" ]; then
        local check
        check=$(buildah from --pull-never "$image")
        containers+=("$check")
        mountpoint=$(buildah mount "$check")
        mount -t proc proc "$mountpoint/proc"
        mount -t tmpfs -o mode=0755,nosuid dev "$mountpoint/dev"
        mknod -m 0666 "$mountpoint/dev/null" c 1 3
        mknod -m 0666 "$mountpoint/dev/zero" c 1 5
        mknod -m 0666 "$mountpoint/dev/urandom" c 1 9
      fi
      chroot --userspec=65532:65532 "$mountpoint" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        "$entrypoint" "$@" ;;
  esac
}

log "checking the image"
for runner in "${runners[@]}"; do
  if run_in_image raven --help >"$work/help.txt" 2>"$work/run.err"; then
    break
  fi
  log "$runner failed: $(tr '\n' ' ' <"$work/run.err")"
  [ "$runner" != chroot ] || { echo "raven --help fails in the image" >&2; exit 1; }
done
grep -q "agent" "$work/help.txt" || { cat "$work/help.txt" >&2; echo "raven --help does not list the agent" >&2; exit 1; }
run_in_image /bin/sh -c 'dir=$(mktemp -d) && echo "$1" >"$dir/wireguard-private.key" && raven agent public-key --state-dir "$dir"' \
  sh "$rfc_private" >"$work/public-key.txt"
derived=$(cat "$work/public-key.txt")
if [ "$derived" != "$rfc_public" ]; then
  echo "libsodium check failed: X25519 gave '$derived', RFC 7748 says '$rfc_public'" >&2
  exit 1
fi
run_in_image /bin/sh -c '
  for tool in ip iptables iptables-restore ipset wireguard-go swanctl; do command -v "$tool" >/dev/null || { echo "missing $tool"; exit 1; }; done
  test -x /usr/lib/ipsec/charon || { echo "missing /usr/lib/ipsec/charon"; exit 1; }
  test -f /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so || { echo "missing kernel-libipsec plugin"; exit 1; }
  test "$(stat -c %G /etc/shadow)" = shadow || { echo "the root lost its owners (/etc/shadow)"; exit 1; }
  test "$(id -u)" = 65532 || { echo "runs as $(id -u), not 65532"; exit 1; }'

log "done in $((SECONDS - started)) s (checks ran with $runner)"
echo "image:    $image"
mb() { echo "$(( ($1 + 500000) / 1000000 )) MB"; }
echo "archive:  $archive ($(mb "$(stat -c %s "$archive")"), compressed layers)"
echo "unpacked: $(mb "$(podman image inspect --format '{{.Size}}' "$image")") (Debian root $(mb "$(podman image inspect --format '{{.Size}}' "$base")"))"
echo "raven --help: ok; X25519 through libsodium: ok (RFC 7748 vector); ip, iptables, ipset, wireguard-go, charon with kernel-libipsec: present"
