#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# make deb: assembles the package tree from the built bundles in BUILDDIR, runs
# dpkg-buildpackage -b -us -uc there (the .deb lands in BUILDDIR) and lints the result.
# The bundles are built before (make build, with node_modules); esbuild and the npm build
# dependencies are not Debian packages, so the tree dpkg-buildpackage sees holds no sources to build.
set -eu
builddir=${1:?usage: packaging/build-deb.sh BUILDDIR}
version=$(dpkg-parsechangelog -S Version)

fail() { echo "make deb: $*" >&2; exit 1; }
[ -f dist/pve-backup-health.js ] || fail "dist/pve-backup-health.js is missing (make build failed?)"
[ -f dist/pve-backup-health-setup.js ] || fail "dist/pve-backup-health-setup.js is missing"
if [ ! -f dist/pve-backup-health-ui.js ]; then
    if [ "${PBH_UI_PLACEHOLDER:-}" = 1 ]; then
        echo "make deb: WARNING: building a TEST package with a placeholder GUI panel (PBH_UI_PLACEHOLDER=1)" >&2
    else
        fail "dist/pve-backup-health-ui.js is missing: the GUI panel (plugin/index.ts) is not built. The package must ship it."
    fi
fi
grep -q "^// pve-backup-health $version - " dist/pve-backup-health.js \
    || fail "dist/pve-backup-health.js was not built for version $version (run make clean build)"
# Every npm module inside the bundle needs its licence in debian/copyright.
while read -r module; do
    [ -n "$module" ] || continue
    # A stanza may name several modules, continued on following lines.
    grep -Eq "^(Files:)? .*node_modules/$module/\*|^Files: node_modules/$module/\*" debian/copyright \
        || fail "bundled npm module '$module' has no 'Files: node_modules/$module/*' stanza in debian/copyright"
done <dist/bundled-npm-modules.txt

tree=$builddir/pve-backup-health-$version
rm -rf "$tree"
mkdir -p "$tree/dist"
cp -a debian packaging README.md "$tree/"
cp dist/pve-backup-health.js dist/pve-backup-health-setup.js "$tree/dist/"
if [ -f dist/pve-backup-health-ui.js ]; then cp dist/pve-backup-health-ui.js "$tree/dist/"; fi
(cd "$tree" && dpkg-buildpackage -b -us -uc)

deb=$builddir/pve-backup-health_${version}_all.deb
[ -f "$deb" ] || fail "dpkg-buildpackage did not produce $deb"
if command -v lintian >/dev/null; then
    # Errors and warnings fail the build; each accepted tag is overridden with a reason in
    # debian/pve-backup-health.lintian-overrides.
    lintian --fail-on error,warning --display-info "$deb"
else
    fail "lintian is not installed (apt-get install lintian)"
fi
echo "built $deb"
