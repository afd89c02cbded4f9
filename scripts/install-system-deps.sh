#!/usr/bin/env bash
# Installs the Debian tools the test suites talk to the mock cluster with: kcat (librdkafka),
# confluent-kafka for Python (librdkafka) and kafka-python, with the snappy, lz4 and zstandard
# modules kafka-python needs for those codecs; and Chromium, the browser the mock cluster's web
# inspector is tested in (driven by playwright-core, which downloads no browser of its own).
# Idempotent: does nothing, not even `apt-get update`, when every package is already installed.
# Uses sudo only when not root.
#
# When another apt or dpkg process holds the package locks (unattended-upgrades, another CI job, an
# install in another terminal), it waits for them instead of failing, up to APT_LOCK_TIMEOUT seconds
# (default 600), and says which lock is held by which process while it waits.
set -euo pipefail

packages=(kcat python3-confluent-kafka python3-kafka python3-snappy python3-lz4 python3-zstandard chromium)
lock_timeout="${APT_LOCK_TIMEOUT:-600}"

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

# The locks apt and dpkg take: the dpkg frontend lock and database lock (apt-get install), the
# package lists (apt-get update) and the download cache.
apt_locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# Prints "<lock file> is held by process <pid> (<command line>)" for every apt/dpkg lock held now.
# apt and dpkg take POSIX (fcntl) locks, which /proc/locks lists with the holder's pid and the
# file's device and inode; it is readable without root, unlike the holders' file descriptors.
lock_holders() {
  local file dev pid cmd
  for file in "${apt_locks[@]}"; do
    [ -e "$file" ] || continue
    dev=$(printf '%02x:%02x:%s' "$(stat -c '%Hd' "$file")" "$(stat -c '%Ld' "$file")" "$(stat -c '%i' "$file")")
    while read -r pid; do
      cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
      echo "$file is held by process $pid (${cmd% })"
    done < <(awk -v dev="$dev" '$6 == dev { print $5 }' /proc/locks | sort -u)
  done
}

# Runs an apt-get command; while another process holds a lock it needs, says who and waits. apt-get
# install waits by itself (DPkg::Lock::Timeout covers the dpkg locks) but silently under -qq;
# apt-get update does not wait for the lists lock at all (apt 2.6), so it is retried here.
apt_get() {
  local deadline=$((SECONDS + lock_timeout)) holders announced=''
  while true; do
    holders=$(lock_holders)
    if [ -n "$holders" ] && [ "$holders" != "$announced" ]; then
      echo "install-system-deps: waiting up to ${lock_timeout}s for another package manager to finish (apt-get $1):"
      sed 's/^/  /' <<<"$holders"
      announced=$holders
    fi
    if [ -z "$holders" ] || [ "$SECONDS" -ge "$deadline" ]; then
      if "${sudo[@]}" apt-get -o "DPkg::Lock::Timeout=$((deadline - SECONDS > 0 ? deadline - SECONDS : 0))" "$@"; then
        return 0
      fi
      # A lock taken between the check and the command: wait again, unless time is up.
      if [ -z "$(lock_holders)" ] || [ "$SECONDS" -ge "$deadline" ]; then
        [ -n "$(lock_holders)" ] && echo "install-system-deps: gave up after ${lock_timeout}s waiting for the apt/dpkg locks (APT_LOCK_TIMEOUT)" >&2
        return 1
      fi
    fi
    sleep 2
  done
}

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}"
