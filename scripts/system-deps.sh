#!/usr/bin/env bash
# What the tests need from the system, not from PyPI or npm: Debian's chromium (never a
# downloaded browser), CJK fonts (without them Chinese renders as boxes), Java (for vnu.jar) and
# nginx (the shipped proxy configuration is checked by the real thing).
# Installs them with apt-get when it can (root and apt-get, as in CI); otherwise stops with the
# exact command to run, so `make test` never reports tests as errors for a missing package.
set -euo pipefail

PACKAGES="chromium fonts-noto-cjk default-jre-headless nginx"
missing=()
command -v "${KB_CHROMIUM:-chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(java)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if command -v fc-list >/dev/null 2>&1; then
  fc-list :lang=zh family | grep -q . || missing+=(fonts-noto-cjk)
else
  [ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "the tests need: ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing with apt-get: $PACKAGES"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
  exit 0
fi
echo "make test cannot install them here (it needs root and apt-get). Run:" >&2
echo "    sudo apt-get install -y $PACKAGES" >&2
echo "then make test again (or KB_CHROMIUM=/path/to/chromium make test)." >&2
exit 1
