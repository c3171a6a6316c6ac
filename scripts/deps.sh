#!/usr/bin/env bash
# Installs every Debian package the project needs, non-interactively and only when missing,
# so running it again is a no-op. Works as root (CI) or through sudo, with no terminal.
set -euo pipefail

packages=(
  build-essential g++ clang pkg-config meson ninja-build python3
  libsqlite3-dev sqlite3 libjansson-dev libsodium-dev libcyaml-dev libcmocka-dev
  libcsv-dev libicu-dev libphonenumber-dev python3-phonenumbers
  libmicrohttpd-dev curl wrk
  cppcheck clang-format
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm (conformance test data, later the web tooling): any installation will do; the
# Debian packages are installed only when the commands are missing, so a NodeSource install
# is left alone.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo -n)
else
  echo "deps: missing packages (${missing[*]}) and not root; install them or run as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
