#!/usr/bin/env bash
# Installs the Debian tools the test suites talk to the mock cluster with: kcat (librdkafka),
# confluent-kafka for Python (librdkafka) and kafka-python, with the snappy, lz4 and zstandard
# modules kafka-python needs for those codecs. Idempotent: does nothing, not even
# `apt-get update`, when every package is already installed. Uses sudo only when not root.
set -euo pipefail

packages=(kcat python3-confluent-kafka python3-kafka python3-snappy python3-lz4 python3-zstandard)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: already installed: ${packages[*]}"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-system-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
