#!/bin/sh
# Runs inside the freshly debootstrapped rootfs (chroot) to finish the sandbox image:
# the unprivileged user, the supervisor, and a diet (no apt caches, docs, locales).
set -eu

# uid/gid 1000 with home /home/sandbox; the per-account volume is mounted over that home.
groupadd --gid 1000 sandbox
useradd --uid 1000 --gid 1000 --home-dir /home/sandbox --no-create-home --shell /bin/sh sandbox
install -d -m 0755 -o 1000 -g 1000 /home/sandbox

install -d -m 0755 /opt/nook
install -m 0755 /tmp/nook-supervisor.py /opt/nook/supervisor.py
rm -f /tmp/nook-supervisor.py

# Diet: nothing below is needed at run time.
drop="$(grep -vE '^\s*(#|$)' /tmp/nook-drop-packages.txt | while read -r p; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' && echo "$p"; done || true)"
rm -f /tmp/nook-drop-packages.txt
# shellcheck disable=SC2086
[ -z "$drop" ] || dpkg --purge --force-depends $drop >/dev/null 2>&1
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/log/* \
  /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/lintian /usr/share/linda \
  /usr/share/locale/* /usr/share/i18n/* /tmp/* /var/tmp/*
# Test suites of numpy/pandas/matplotlib are large and never imported at run time.
find /usr/lib/python3/dist-packages -xdev -type d -name tests -prune -exec rm -rf {} + 2>/dev/null || true
# A fresh workspace is empty: Docker copies this directory into each new volume.
find /home/sandbox -mindepth 1 -delete
