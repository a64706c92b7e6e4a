# SPDX-License-Identifier: AGPL-3.0-or-later
# The single entry point for building, testing and packaging pve-backup-health.

NPM_STAMP := node_modules/.package-lock.json
SOURCES := $(shell find src plugin -name '*.ts' 2>/dev/null) build.mjs package.json

.PHONY: all build check typecheck lint test demo bench clean

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
# The check's exit code is the Nagios status (the demo cluster is critical on purpose), not a failure.
demo: build
	node dist/pve-backup-health.js check --snapshot demo/demo-cluster.json --now 2026-11-21T09:00:00Z; test $$? -le 3

bench: build
	node test/bench/run.mjs

clean:
	rm -rf dist
