// SPDX-License-Identifier: AGPL-3.0-or-later
import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        // Browser and package tests start real Chromium / chroots; they opt in via env.
        testTimeout: 20_000,
        hookTimeout: 60_000,
        pool: 'forks',
    },
});
