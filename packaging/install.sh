#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs the built files below DESTDIR. Run from a tree holding dist/ and packaging/:
#   packaging/install.sh DESTDIR          what debian/rules installs (dh adds unit and man page)
#   packaging/install.sh DESTDIR --all    also the systemd unit and man page (make install)
set -eu
dest=${1:?usage: packaging/install.sh DESTDIR [--all]}
lib=/usr/lib/pve-backup-health

need() {
    [ -f "$1" ] || { echo "packaging/install.sh: $1 is missing - $2" >&2; exit 1; }
}
need dist/pve-backup-health.js "run make"
need dist/pve-backup-health-setup.js "run make dist/pve-backup-health-setup.js"

# Executable: its #! line lets it run on its own too (the wrapper uses /usr/bin/node).
install -D -m 0755 dist/pve-backup-health.js "$dest$lib/pve-backup-health.js"
install -D -m 0644 dist/pve-backup-health-setup.js "$dest$lib/setup.js"
install -D -m 0755 packaging/bin/setup "$dest$lib/setup"
install -D -m 0755 packaging/bin/pve-backup-health "$dest/usr/bin/pve-backup-health"
install -D -m 0644 packaging/default-config.json "$dest/usr/share/pve-backup-health/default-config.json"
# One file in pve-manager's served js/ directory: live at /pve2/js/ without a pveproxy restart.
if [ -f dist/pve-backup-health-ui.js ]; then
    install -D -m 0644 dist/pve-backup-health-ui.js "$dest/usr/share/pve-manager/js/pve-backup-health.js"
elif [ "${PBH_UI_PLACEHOLDER:-}" = 1 ]; then
    # Only for the package test while plugin/ is not built yet; make deb refuses this otherwise.
    echo "packaging/install.sh: WARNING: dist/pve-backup-health-ui.js missing, installing a PLACEHOLDER panel (test build only)" >&2
    mkdir -p "$dest/usr/share/pve-manager/js"
    printf '%s\n' '/* pve-backup-health: placeholder panel of a package test build - not for use */' \
        >"$dest/usr/share/pve-manager/js/pve-backup-health.js"
    chmod 0644 "$dest/usr/share/pve-manager/js/pve-backup-health.js"
else
    need dist/pve-backup-health-ui.js "the GUI panel (plugin/) is not built; a package without it is not shippable"
fi
# State and archives (secrets inside): root only. systemd's StateDirectory= keeps the mode.
install -d -m 0700 "$dest/var/lib/pve-backup-health"

if [ "${2:-}" = --all ]; then
    install -D -m 0644 debian/pve-backup-health.service "$dest/usr/lib/systemd/system/pve-backup-health.service"
    install -D -m 0644 packaging/pve-backup-health.1 "$dest/usr/share/man/man1/pve-backup-health.1"
fi
