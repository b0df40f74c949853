#!/bin/sh
# Turns a Debian bookworm root into Raven's runtime base. Runs as root inside that root: as a RUN step of the
# Dockerfile, or under chroot from build.sh. One script for both, so both images hold the same packages, user
# and cleanup. Expects packages.txt beside it.
set -eu
here=$(dirname "$0")

# Keep docs (but their copyright files), man pages and translations out, as Debian's slim images do.
cat > /etc/dpkg/dpkg.cfg.d/raven-minimize <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CONF
# No package may start a service while it is installed in an image.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d

packages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/packages.txt")
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # one word per package
apt-get install -y --no-install-recommends $packages
apt-get clean

# The non-root user of the controller and the API server (the agent overrides it with UID 0: see README.md).
if ! getent group raven >/dev/null; then
  groupadd --system --gid 65532 raven
fi
if ! getent passwd raven >/dev/null; then
  useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin raven
fi

# What a minbase root installed before the excludes above, and the caches apt and dpkg leave behind.
find /usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find /usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/share/lintian \
  /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/lib/dpkg/*-old \
  /var/log/apt /var/log/dpkg.log /var/log/alternatives.log /var/log/bootstrap.log
