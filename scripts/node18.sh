#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Unpacks Debian bookworm's own nodejs 18 (what PVE 8 hosts run) into .cache/node18 without
# installing it, so tests can prove the bundle runs there. Prints the path of a wrapper script.
set -eu
dir="$(cd "$(dirname "$0")/.." && pwd)/.cache/node18"
wrapper="$dir/node"
if [ -x "$wrapper" ] && "$wrapper" --version >/dev/null 2>&1; then
    echo "$wrapper"; exit 0
fi
rm -rf "$dir"; mkdir -p "$dir/debs"
cd "$dir/debs"
# apt-get download needs an exact version; take bookworm's 18.x candidate.
ver=$(apt-cache madison nodejs | awk -F'|' '$2 ~ /^ *18\./ {gsub(/ /,"",$2); print $2; exit}')
[ -n "$ver" ] || { echo "node18.sh: no nodejs 18 in apt sources (run apt-get update)" >&2; exit 1; }
apt-get download -q "nodejs=$ver" libnode108 libc-ares2 >/dev/null 2>&1
for f in *.deb; do dpkg -x "$f" "$dir/root"; done
cat >"$wrapper" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH="$dir/root/usr/lib/x86_64-linux-gnu" exec "$dir/root/usr/bin/node" "\$@"
WRAP
chmod +x "$wrapper"
"$wrapper" --version >/dev/null
echo "$wrapper"
