// SPDX-License-Identifier: AGPL-3.0-or-later
// Test helpers: a writable copy of the fixture host root with a REAL SQLite config.db in WAL
// mode, a concurrent writer process, and the archive service wired from the real adapters.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ArchiveServiceOptions, composeArchives } from '../../src/compose-archives.ts';
import type { ArchiveService } from '../../src/app/archives.ts';
import { DEFAULT_ARCHIVE_SETTINGS, type ArchiveSettings } from '../../src/domain/archive/settings.ts';

export const FIXTURE = resolve(import.meta.dirname, '../fixtures/archive-root');
export const DB = 'var/lib/pve-cluster/config.db';

const temps: string[] = [];

export function tempDir(prefix = 'pbh-archive-'): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    temps.push(d);
    return d;
}

export function cleanTemps(): void {
    for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function sqlite(db: string, sql: string): string {
    return execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' });
}

/** A copy of the fixture root with modes as on a PVE host and a WAL-mode config.db (pmxcfs's schema). */
export function makeRoot(rows = 300): string {
    const root = tempDir('pbh-root-');
    cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true });
    for (const f of ['etc/pve/priv/authkey.key', 'etc/pve/priv/shadow.cfg', 'etc/pve/priv/token.cfg', 'etc/corosync/authkey', 'etc/ssh/ssh_host_ed25519_key', 'root/.ssh/id_rsa']) {
        chmodSync(join(root, f), 0o600);
    }
    chmodSync(join(root, 'root/.ssh'), 0o700);
    const db = join(root, DB);
    sqlite(
        db,
        `PRAGMA journal_mode=WAL;
         CREATE TABLE tree (inode INTEGER PRIMARY KEY NOT NULL, parent INTEGER NOT NULL CHECK(typeof(parent)=='integer'),
           version INTEGER NOT NULL CHECK(typeof(version)=='integer'), writer INTEGER NOT NULL CHECK(typeof(writer)=='integer'),
           mtime INTEGER NOT NULL CHECK(typeof(mtime)=='integer'), type INTEGER NOT NULL CHECK(typeof(type)=='integer'),
           name TEXT NOT NULL, data BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
         INSERT INTO tree SELECT i, 0, i, 1, 1736208000 + i, 8, 'file' || i || '.cfg', randomblob(2000) FROM n;`,
    );
    return root;
}

/**
 * A separate sqlite3 process that keeps committing to the database (one transaction per
 * statement, as pmxcfs does) until stopped; `stop()` resolves with the number of statements sent.
 */
export function startWriter(db: string): { stop: () => Promise<number> } {
    // synchronous=NORMAL in WAL mode, as pmxcfs runs it.
    const child = spawn('sqlite3', ['-bail', '-cmd', '.timeout 5000', '-cmd', 'PRAGMA synchronous=NORMAL;', db], { stdio: ['pipe', 'ignore', 'inherit'] });
    let sent = 0;
    let inode = 1_000_000;
    const tick = (): void => {
        // Only when the previous batch was taken: a backlog would outlive the test.
        if (child.stdin.writableLength > 0) return;
        const batch: string[] = [];
        for (let i = 0; i < 10; i++) {
            inode++;
            batch.push(`INSERT INTO tree VALUES (${inode}, 0, ${inode}, 1, 1736208000, 8, 'w${inode}.cfg', randomblob(1500)); UPDATE tree SET version = version + 1 WHERE inode = 1;`);
        }
        sent += batch.length;
        child.stdin.write(`${batch.join('\n')}\n`);
    };
    tick();
    const timer = setInterval(tick, 2);
    return {
        stop: () =>
            new Promise((resolvePromise) => {
                clearInterval(timer);
                child.on('close', () => resolvePromise(sent));
                // Killing a writer mid-transaction is safe in WAL mode; draining its backlog is slow.
                child.kill('SIGKILL');
            }),
    };
}

export function settings(outputDir: string, extra: Partial<ArchiveSettings> = {}): ArchiveSettings {
    return { ...DEFAULT_ARCHIVE_SETTINGS, outputDir, ...extra };
}

export function service(options: Partial<ArchiveServiceOptions> & { outputDir: string; root?: string; now?: number }): ArchiveService {
    let now = options.now ?? 1_795_000_000;
    return composeArchives({
        settings: options.settings ?? settings(options.outputDir),
        clock: options.clock ?? { now: () => now++ },
        ...(options.root !== undefined ? { sourceRoot: options.root } : {}),
        ...(options.node !== undefined ? { node: options.node } : {}),
        ...(options.identityFile !== undefined ? { identityFile: options.identityFile } : {}),
        ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    });
}
