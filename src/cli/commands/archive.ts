// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * `archive`: configuration archives from the command line — create, list, verify, diff and
 * restore (to a staging directory, with the restore guide). The service comes from an injected
 * factory (compose.ts in the shipped CLI, adapters over temp dirs in tests).
 * Exit status: 0 ok, 1 the operation failed or found a problem, 2 bad usage.
 */

import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArchiveService } from '../../app/archives.ts';
import type { ArchiveDiff } from '../../domain/archive/diff.ts';
import type { VerifyOutcome } from '../../domain/archive/types.ts';
import { DEFAULT_ARCHIVE_SETTINGS, type ArchiveSettings, validateArchiveSettings } from '../../domain/archive/settings.ts';
import { formatRfc3339Utc } from '../../domain/time/rfc3339.ts';
import type { Clock } from '../../ports.ts';
import type { CliCommand, CliContext } from '../command.ts';
import { UsageError } from '../command.ts';

export interface ArchiveServiceOptions {
    settings: ArchiveSettings;
    clock: Clock;
    sourceRoot?: string;
    node?: string;
    /** age identity file for reading encrypted archives. */
    identityFile?: string;
}

export type ArchiveCliService = Pick<ArchiveService, 'createNow' | 'list' | 'verifyRef' | 'diffRefs' | 'restore'>;
export type ArchiveServiceFactory = (options: ArchiveServiceOptions) => ArchiveCliService;

const USAGE = `Usage: pve-backup-health archive <create|list|verify|diff|restore> [options]

  archive create [--source-root DIR] [--output DIR] [--node NAME]
                 [--recipient age1…]... [--include PATH]... [--exclude PATH]... [--json]
      Archives /etc/pve (incl. priv/), an sqlite3 online backup of config.db and the node-local
      files (network, hosts, corosync, ssh, vzdump.conf and its hook scripts, …) into
      <output>/<node>-pve-config-<UTC time>.tar.gz (mode 0600; .tar.gz.age with --recipient),
      then verifies it. --source-root prefixes every host path (a mounted foreign root).
  archive list [--output DIR] [--json]
  archive verify <file> [--identity FILE]
      Re-reads every member and compares it with the manifest.
  archive diff <a> <b> [--identity FILE] [--json]
      Added, removed and changed files; unified diffs of text files with secrets redacted.
  archive restore <file> --to <staging dir> [--identity FILE]
      Extracts into an empty staging directory (never /, /etc or /etc/pve) and prints the
      step-by-step restore guide for the archived node.

Default output directory: ${DEFAULT_ARCHIVE_SETTINGS.outputDir}
--identity: an age identity file (AGE-SECRET-KEY-1…) for encrypted archives.
`;

function options(args: string[]) {
    return parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: {
            'source-root': { type: 'string' },
            output: { type: 'string' },
            node: { type: 'string' },
            recipient: { type: 'string', multiple: true },
            include: { type: 'string', multiple: true },
            exclude: { type: 'string', multiple: true },
            identity: { type: 'string' },
            to: { type: 'string' },
            json: { type: 'boolean' },
        },
    });
}

type Values = ReturnType<typeof options>['values'];

function verifiedText(v: VerifyOutcome): string {
    return v.method === 'checksum'
        ? 'the file re-read matches the SHA-256 recorded when it was written (encrypted: its members can be checked with --identity)'
        : `${v.checked} members match the manifest`;
}

function bytes(n: number): string {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function service(factory: ArchiveServiceFactory, ctx: CliContext, v: Values, outputDir?: string): ArchiveCliService {
    const { settings, errors } = validateArchiveSettings({
        outputDir: resolve(outputDir ?? v.output ?? DEFAULT_ARCHIVE_SETTINGS.outputDir),
        include: v.include ?? [],
        exclude: v.exclude ?? [],
        encryption: { recipients: v.recipient ?? [] },
    });
    if (errors.length > 0) throw new UsageError(errors.join('\n'));
    return factory({
        settings,
        clock: { now: ctx.now },
        ...(v['source-root'] !== undefined ? { sourceRoot: resolve(v['source-root']) } : {}),
        ...(v.node !== undefined ? { node: v.node } : {}),
        ...(v.identity !== undefined ? { identityFile: resolve(v.identity) } : {}),
    });
}

async function create(factory: ArchiveServiceFactory, ctx: CliContext, v: Values): Promise<number> {
    const { created, verify, defect } = await service(factory, ctx, v).createNow();
    const m = created.manifest;
    if (v.json) ctx.out(`${JSON.stringify({ name: created.name, size: created.size, verify, defect, manifest: m }, null, 2)}\n`);
    else {
        ctx.out(`created ${created.name} (${bytes(created.size)}, ${m.files.length} entries, ${m.skipped.length} skipped) for node ${m.node}\n`);
        ctx.out(verify.ok ? `verified: ${verifiedText(verify)}\n` : `VERIFICATION FAILED:\n${verify.errors.map((e) => `  ${e}\n`).join('')}`);
        for (const w of m.warnings) ctx.err(`warning: ${w}\n`);
    }
    if (defect) ctx.err(`archive create: ${defect}\n`);
    return defect || !verify.ok ? 1 : 0;
}

async function list(factory: ArchiveServiceFactory, ctx: CliContext, v: Values): Promise<number> {
    const r = await service(factory, ctx, v).list();
    if (v.json) {
        ctx.out(`${JSON.stringify(r, null, 2)}\n`);
        return 0;
    }
    if (r.archives.length === 0) ctx.out('no archives\n');
    for (const a of r.archives) {
        const verified = a.verified ? (a.verified.ok ? 'verified' : `FAILED: ${a.verified.error ?? ''}`) : 'not verified';
        ctx.out(`${a.name}  ${formatRfc3339Utc(a.createdAt)}  ${bytes(a.size).padStart(10)}  ${verified}${a.copies.length ? `  copies: ${a.copies.join(', ')}` : ''}\n`);
    }
    return 0;
}

function printDiff(ctx: CliContext, d: ArchiveDiff, a: string, b: string): void {
    ctx.out(`${a} → ${b}\n`);
    if (d.added.length + d.removed.length + d.changed.length === 0) ctx.out('no differences\n');
    for (const p of d.added) ctx.out(`added:   ${p}\n`);
    for (const p of d.removed) ctx.out(`removed: ${p}\n`);
    for (const c of d.changed) ctx.out(`changed: ${c.summary ?? c.path}\n`);
    for (const c of d.changed) if (c.diff) ctx.out(`\n${c.diff}`);
}

async function run(factory: ArchiveServiceFactory, ctx: CliContext): Promise<number> {
    const [sub, ...rest] = ctx.args;
    let parsed: ReturnType<typeof options>;
    try {
        parsed = options(rest);
    } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    const { values: v, positionals: p } = parsed;
    const files = (n: number): string[] => {
        if (p.length !== n) throw new UsageError(`'archive ${sub}' expects ${n === 1 ? 'one archive file' : `${n} archive files`}, got ${p.length}`);
        return p.map((f) => resolve(f));
    };
    try {
        switch (sub) {
            case 'create':
                files(0);
                return await create(factory, ctx, v);
            case 'list':
                files(0);
                return await list(factory, ctx, v);
            case 'verify': {
                const [file] = files(1) as [string];
                const r = await service(factory, ctx, v, dirname(file)).verifyRef(file);
                ctx.out(r.ok ? `OK: ${verifiedText(r)}\n` : `FAILED: ${file}\n${r.errors.map((e) => `  ${e}\n`).join('')}`);
                return r.ok ? 0 : 1;
            }
            case 'diff': {
                const [a, b] = files(2) as [string, string];
                const d = await service(factory, ctx, v, dirname(a)).diffRefs(a, b);
                if (v.json) ctx.out(`${JSON.stringify(d, null, 2)}\n`);
                else printDiff(ctx, d, a, b);
                return 0;
            }
            case 'restore': {
                const [file] = files(1) as [string];
                if (v.to === undefined) throw new UsageError("'archive restore' needs --to <staging dir>");
                const { outcome, guide } = await service(factory, ctx, v, dirname(file)).restore(file, resolve(v.to));
                ctx.out(`extracted ${outcome.members} entries of ${file} to ${outcome.target}\n\n${guide}`);
                return 0;
            }
            default:
                throw new UsageError(sub === undefined ? 'missing sub-command' : `unknown sub-command '${sub}'`);
        }
    } catch (e) {
        if (e instanceof UsageError) throw e;
        ctx.err(`pve-backup-health archive ${sub}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
    }
}

/** The `archive` command over services made by `factory` (the lead wires `composeArchives`). */
export function createArchiveCommand(factory: ArchiveServiceFactory): CliCommand {
    return {
        name: 'archive',
        summary: 'Configuration archives: create, list, verify, diff, restore',
        usage: USAGE,
        run: (ctx) => run(factory, ctx),
    };
}
