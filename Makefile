# SPDX-License-Identifier: AGPL-3.0-or-later
# The single entry point for building, testing and packaging pve-backup-health.

NPM_STAMP := node_modules/.package-lock.json
SOURCES := $(shell find src plugin -name '*.ts' 2>/dev/null) build.mjs package.json

.PHONY: all build check typecheck lint test demo demo-check bench clean

all: build

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: dist/pve-backup-health.js

dist/pve-backup-health.js: $(NPM_STAMP) $(SOURCES)
	node build.mjs

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p .
	@if [ -f plugin/index.ts ]; then npx tsc --noEmit -p plugin; fi

lint: $(NPM_STAMP)
	npx biome check --error-on-warnings .

test: build
	npx vitest run --config test/vitest.config.ts

# The one test command (CI and dh_auto_test call it).
check: typecheck lint test

# The main job on the built-in demo cluster: no PVE needed.
# The full experience on a simulated cluster: PVE API simulator + daemon (+ GUI host page); Ctrl-C ends it.
# It first prints the check on the bundled demo snapshot; that exit code is the Nagios status
# (the demo cluster is critical on purpose), not a failure.
demo: build
	node dist/pve-backup-health.js check --snapshot demo/demo-cluster.json --now 2026-11-21T09:00:00Z --only-problems; test $$? -le 3
	node scripts/run-ts.mjs demo/demo.ts

# Just the report on the bundled demo snapshot.
demo-check: build
	node dist/pve-backup-health.js check --snapshot demo/demo-cluster.json --now 2026-11-21T09:00:00Z; test $$? -le 3

bench: build
	node test/bench/run.mjs
	node test/gui/run.mjs bench

clean:
	rm -rf dist

# ---- Debian package: debian/, packaging/, test/package/ ----
# The version comes from debian/changelog (build.mjs stamps the bundles with it too); read only
# when a package rule needs it.
DEB_VERSION = $(shell dpkg-parsechangelog -S Version 2>/dev/null || sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
BUILDDIR ?= build
DESTDIR ?=
SETUP_SOURCES := $(wildcard packaging/*.ts)

.PHONY: deb install test-package

# A new changelog entry must re-stamp the bundle with the new version.
dist/pve-backup-health.js: debian/changelog

# The package helper (GUI script line, API token, default config), run by the maintainer scripts.
dist/pve-backup-health-setup.js: $(NPM_STAMP) $(SETUP_SOURCES) debian/changelog
	npx esbuild packaging/setup.ts --bundle --platform=node --target=node18 --format=cjs --log-level=warning \
		--banner:js='// pve-backup-health setup $(DEB_VERSION) - SPDX-License-Identifier: AGPL-3.0-or-later' \
		--define:__PBH_VERSION__='"$(DEB_VERSION)"' --outfile=$@

# $(BUILDDIR)/pve-backup-health_<version>_all.deb, linted (fails without the GUI panel bundle).
deb: build dist/pve-backup-health-setup.js
	packaging/build-deb.sh $(BUILDDIR)

install: build dist/pve-backup-health-setup.js
	packaging/install.sh "$(DESTDIR)" --all

# Builds the .deb and installs, upgrades, removes and purges it in a Debian chroot (root only).
test-package: build dist/pve-backup-health-setup.js
	PBH_PACKAGE_TEST=1 npx vitest run --config test/vitest.config.ts test/package
