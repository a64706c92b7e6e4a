// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Configuration archives as a use case: one cycle creates the local archive and pulls remote
 * nodes' (each verified at once), applies retention, pushes new archives off-host and records
 * every outcome in the archive index; the health report gets `config-archive-failed/-stale`.
 * Also the daemon API for archives (task ids with progress) and the CLI's operations.
 */

import type { ArchiveDiffResponse, ArchiveManifestResponse, ArchiveTaskResponse, ArchiveVerifyResponse, ArchivesResponse } from '../contract/http-api.ts';
import { type ArchiveDiff, MAX_DIFF_BYTES, buildArchiveDiff, diffManifests, wantsContent } from '../domain/archive/diff.ts';
import { archiveDefect, archiveDue, archiveProblems, nextArchiveRun } from '../domain/archive/health.ts';
import { parseArchiveName } from '../domain/archive/name.ts';
import { checkRestoreTarget } from '../domain/archive/paths.ts';
import { restoreGuide } from '../domain/archive/restore-guide.ts';
import { planRetention } from '../domain/archive/retention.ts';
import type { ArchiveSettings } from '../domain/archive/settings.ts';
import type { ArchiveIndex, ArchiveProgress, CreatedArchive, ExtractOutcome, HostFileSystem, VerifyOutcome } from '../domain/archive/types.ts';
import { archiveList, healthSources, pushKey, pushProblems, retentionItems, taskProgress } from '../domain/archive/views.ts';
import type { Problem } from '../domain/model.ts';
import type { Clock, Logger } from '../ports.ts';
import type { ArchiveHosts, ArchiveStore, RemoteCopier } from './archive-ports.ts';
import { type ArchiveApi, ServiceError } from './daemon-api.ts';

export interface ArchiveServiceDeps {
    store: ArchiveStore;
    hosts: ArchiveHosts;
    copier?: RemoteCopier;
    clock: Clock;
    settings: ArchiveSettings;
    /** The node's time zone: schedules fire and retention periods count in it. */
    timeZone: string;
    /** `pve-backup-health <version>`, recorded in manifests. */
    tool: string;
    /** This node's name; read from the host's /etc/hostname when absent. */
    node?: string;
    /** Prefix of the local host's paths (tests, a mounted foreign root). */
    sourceRoot?: string;
    logger?: Logger;
}

export interface CycleResult {
    ok: boolean;
    created: string[];
    removed: string[];
    errors: string[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The daemon holds only the public key: reading an encrypted archive is the caller's conflict, not a server error. */
function encrypted(e: unknown): never {
    if ((e as { code?: unknown }).code === 'ENCRYPTED') {
        throw new ServiceError(409, 'the archive is encrypted and only its public key is on this host: download it and use `archive diff/restore --identity FILE` where the identity is');
    }
    throw e;
}

export class ArchiveService implements ArchiveApi {
    private readonly tasks = new Map<string, ArchiveTaskResponse>();
    private running: { id: string; done: Promise<CycleResult> } | undefined;
    private taskCount = 0;

    constructor(private readonly deps: ArchiveServiceDeps) {}

    /** Whether the scheduled run is due (the daemon asks on every tick). */
    async due(): Promise<boolean> {
        const { settings, clock, timeZone } = this.deps;
        if (!settings.enabled || this.running) return false;
        const index = await this.deps.store.readIndex();
        return archiveDue(index.runs.local?.at, settings.schedule, clock.now(), timeZone);
    }

    /** One full cycle; a second call while one runs joins the running one. */
    runArchiveCycle(onProgress?: (p: ArchiveProgress) => void): Promise<CycleResult> {
        if (this.running) return this.running.done;
        const done = this.cycle(onProgress).finally(() => {
            this.running = undefined;
        });
        this.running = { id: '', done };
        return done;
    }

    /** Creates and verifies one archive of the local host (CLI `archive create`); no retention or push. */
    async createNow(onProgress?: (p: ArchiveProgress) => void): Promise<{ created: CreatedArchive; verify: VerifyOutcome; defect: string | null }> {
        const { store, hosts } = this.deps;
        await store.cleanPartials();
        const [index, source] = [await store.readIndex(), hosts.local(this.deps.sourceRoot)];
        const created = await this.createAndVerify(source, this.deps.node, index, onProgress).finally(() => source.close());
        await store.writeIndex(index);
        return created;
    }

    private async createAndVerify(source: HostFileSystem, node: string | undefined, index: ArchiveIndex, onProgress?: (p: ArchiveProgress) => void) {
        const { settings, store, clock, tool } = this.deps;
        const created = await store.create({
            source,
            ...(node !== undefined ? { node } : {}),
            createdAt: clock.now(),
            include: settings.include,
            exclude: settings.exclude,
            recipients: settings.encryption.recipients,
            tool,
            ...(onProgress ? { onProgress } : {}),
        });
        onProgress?.({ phase: 'verifying', done: 0, total: 0, message: created.name });
        const verify = await store.verify(created.name, { expectedSha256: created.sha256, ...(onProgress ? { onProgress } : {}) });
        const first = verify.errors[0];
        index.archives[created.name] = { verified: { at: clock.now(), ok: verify.ok, ...(first !== undefined ? { error: first } : {}) }, sha256: created.sha256, copies: [] };
        const defect = archiveDefect(created.manifest) ?? (verify.ok ? null : `verification failed: ${first ?? 'unknown error'}`);
        return { created, verify, defect };
    }

    private async archiveSource(key: string, open: () => Promise<HostFileSystem>, node: string | undefined, index: ArchiveIndex, onProgress?: (p: ArchiveProgress) => void): Promise<string | null> {
        const at = this.deps.clock.now();
        let source: HostFileSystem | undefined;
        try {
            source = await open();
            const { created, defect } = await this.createAndVerify(source, node, index, onProgress);
            index.runs[key] = { at, ok: defect === null, ...(defect ? { error: defect } : {}), name: created.name, node: created.manifest.node };
            this.deps.logger?.info(`archive ${created.name} ${defect ? `written with a defect: ${defect}` : 'written and verified'}`, { size: created.size });
            return created.name;
        } catch (e) {
            const known = index.runs[key]?.node ?? node;
            index.runs[key] = { at, ok: false, error: message(e), ...(known ? { node: known } : {}) };
            this.deps.logger?.error(`archive of ${key} failed: ${message(e)}`);
            return null;
        } finally {
            await source?.close().catch(() => undefined);
        }
    }

    private async cycle(onProgress?: (p: ArchiveProgress) => void): Promise<CycleResult> {
        const { store, hosts, settings } = this.deps;
        const removedPartials = await store.cleanPartials().catch(() => []);
        if (removedPartials.length > 0) this.deps.logger?.info(`removed temp files of interrupted archive runs: ${removedPartials.join(', ')}`);
        const index = await store.readIndex();
        const created: string[] = [];
        const errors: string[] = [];
        const record = (key: string, name: string | null): void => {
            if (name) created.push(name);
            const run = index.runs[key];
            if (run && !run.ok) errors.push(`${key}: ${run.error ?? 'failed'}`);
        };
        record('local', await this.archiveSource('local', async () => hosts.local(this.deps.sourceRoot), this.deps.node, index, onProgress));
        for (const target of settings.pull) {
            onProgress?.({ phase: 'pulling', done: 0, total: 0, message: `${target.user}@${target.host}` });
            record(target.name, await this.archiveSource(target.name, () => hosts.remote(target), target.node, index, onProgress));
        }
        await store.writeIndex(index);
        onProgress?.({ phase: 'retention', done: 0, total: 0, message: 'retention' });
        const removed = await this.applyRetention(index);
        await this.push(created, index, onProgress);
        for (const target of settings.push) if (created.length > 0) record(pushKey(target), null);
        await store.writeIndex(index);
        return { ok: errors.length === 0, created, removed, errors };
    }

    private async applyRetention(index: ArchiveIndex): Promise<string[]> {
        const { store, settings, timeZone } = this.deps;
        const archives = await store.list();
        const plan = planRetention(retentionItems(archives, index), settings.retention, timeZone);
        const removed: string[] = [];
        for (const name of plan.remove) {
            try {
                await store.remove(name);
                delete index.archives[name];
                removed.push(name);
            } catch (e) {
                this.deps.logger?.warn(`retention could not remove ${name}: ${message(e)}`);
            }
        }
        const present = new Set(archives.map((a) => a.name));
        for (const name of Object.keys(index.archives)) if (!present.has(name)) delete index.archives[name];
        for (const node of plan.unverifiedNodes) this.deps.logger?.warn(`retention skipped for ${node}: no archive of it passed verification`);
        return removed;
    }

    private async push(names: readonly string[], index: ArchiveIndex, onProgress?: (p: ArchiveProgress) => void): Promise<void> {
        const { copier, settings, store, clock } = this.deps;
        if (!copier) return;
        for (const target of settings.push) {
            const key = pushKey(target);
            const failures: string[] = [];
            for (const name of names) {
                onProgress?.({ phase: 'pushing', done: 0, total: 0, message: `${name} → ${target.name}` });
                try {
                    const file = await store.open(name);
                    await copier.push(target, { name, ...file });
                    index.archives[name]?.copies.push(target.name);
                } catch (e) {
                    failures.push(`${name}: ${message(e)}`);
                }
            }
            if (names.length > 0) index.runs[key] = { at: clock.now(), ok: failures.length === 0, ...(failures.length ? { error: failures.join('; ') } : {}) };
        }
    }

    /** Health problems of the archives (empty when archiving is disabled). */
    async problems(): Promise<Problem[]> {
        const { settings, store, clock, timeZone } = this.deps;
        if (!settings.enabled) return [];
        const [index, archives] = await Promise.all([store.readIndex(), store.list()]);
        const sources = healthSources(archives, index, this.deps.node, settings.pull);
        const ctx = { schedule: settings.schedule, now: clock.now(), timeZone, graceMinutes: settings.graceMinutes };
        // While a run is making the archive, "none/too old" is being remedied: not a problem yet.
        const found = archiveProblems(sources, ctx).filter((p) => !(this.running && p.code === 'config-archive-stale'));
        return [...found, ...pushProblems(index, settings.push)];
    }

    // ---- daemon API (archive names only; the server maps ServiceError to HTTP) ----

    /** A well-formed archive name (400 otherwise: no paths, no temp files) that exists (404). */
    private async existing(name: string): Promise<string> {
        if (!parseArchiveName(name)) throw new ServiceError(400, `invalid archive name '${name}'`);
        if (!(await this.deps.store.exists(name))) throw new ServiceError(404, `no archive '${name}'`);
        return name;
    }

    async list(): Promise<ArchivesResponse> {
        const { store, settings, clock, timeZone } = this.deps;
        const [index, archives] = await Promise.all([store.readIndex(), store.list()]);
        const last = index.runs.local;
        const next = settings.enabled ? nextArchiveRun(last?.at, settings.schedule, clock.now(), timeZone) : null;
        return {
            archives: archiveList(archives, index),
            schedule: settings.schedule,
            ...(next !== null ? { nextRun: next } : {}),
            ...(last ? { lastRun: { at: last.at, ok: last.ok, ...(last.error ? { error: last.error } : {}), ...(last.name ? { name: last.name } : {}) } } : {}),
        };
    }

    create(user: string): ArchiveTaskResponse {
        if (this.running?.id) return this.task(this.running.id);
        const id = `archive-${this.deps.clock.now()}-${++this.taskCount}`;
        const task: ArchiveTaskResponse = { id, state: 'running', progress: 0, message: `started by ${user}` };
        this.tasks.set(id, task);
        for (const old of [...this.tasks.keys()].slice(0, Math.max(0, this.tasks.size - 20))) this.tasks.delete(old);
        this.deps.logger?.info('configuration archive requested', { user });
        const done = this.runArchiveCycle((p) => {
            task.progress = taskProgress(task.progress, p);
            task.message = p.message;
        });
        if (this.running) this.running.id = id;
        done.then(
            (r) => {
                Object.assign(task, { state: r.ok ? 'done' : 'failed', progress: 1, message: r.ok ? 'done' : 'failed' });
                if (r.created[0]) task.name = r.created[0];
                if (!r.ok) task.error = r.errors.join('; ') || 'failed';
            },
            (e: unknown) => Object.assign(task, { state: 'failed', progress: 1, message: 'failed', error: message(e) }),
        );
        return { ...task };
    }

    task(id: string): ArchiveTaskResponse {
        const t = this.tasks.get(id);
        if (!t) throw new ServiceError(404, `no archive task '${id}'`);
        return { ...t };
    }

    async manifest(name: string): Promise<ArchiveManifestResponse> {
        const m = await this.deps.store.manifest(await this.existing(name)).catch(encrypted);
        return { manifest: m as unknown as Record<string, unknown> };
    }

    async download(name: string): Promise<{ size: number; stream: NodeJS.ReadableStream }> {
        return this.deps.store.open(await this.existing(name));
    }

    async verify(name: string): Promise<ArchiveVerifyResponse> {
        const r = await this.verifyRef(await this.existing(name));
        return { ok: r.ok, checked: r.checked, errors: r.errors };
    }

    async diff(a: string, b: string): Promise<ArchiveDiffResponse> {
        return { a, b, ...(await this.diffRefs(await this.existing(a), await this.existing(b)).catch(encrypted)) };
    }

    // ---- CLI operations (refs may also be absolute paths to archive files) ----

    /** Verifies an archive; for archives in the directory, against its recorded digest, and the result is recorded. */
    async verifyRef(ref: string): Promise<VerifyOutcome> {
        const { store, clock } = this.deps;
        const name = ref.startsWith(`${store.dir}/`) ? ref.slice(store.dir.length + 1) : ref;
        if (!parseArchiveName(name)) return store.verify(ref);
        const index = await store.readIndex();
        const entry = index.archives[name];
        const result = await store.verify(name, entry?.sha256 ? { expectedSha256: entry.sha256 } : {});
        const first = result.errors[0];
        index.archives[name] = { ...entry, copies: entry?.copies ?? [], verified: { at: clock.now(), ok: result.ok, ...(first !== undefined ? { error: first } : {}) } };
        await store.writeIndex(index);
        return result;
    }

    async diffRefs(a: string, b: string): Promise<ArchiveDiff> {
        const { store } = this.deps;
        const [ma, mb] = await Promise.all([store.manifest(a), store.manifest(b)]);
        const wanted = diffManifests(ma, mb).changed.filter((c) => wantsContent(c, mb)).map((c) => c.path);
        const [ca, cb] = wanted.length === 0 ? [new Map(), new Map()] : await Promise.all([store.readContents(a, wanted, MAX_DIFF_BYTES), store.readContents(b, wanted, MAX_DIFF_BYTES)]);
        return buildArchiveDiff(ma, mb, ca, cb);
    }

    /** Extracts into a staging directory and returns the restore guide for the archived node. */
    async restore(ref: string, target: string): Promise<{ outcome: ExtractOutcome; guide: string }> {
        const why = checkRestoreTarget(target);
        if (why) throw new Error(why);
        const outcome = await this.deps.store.extract(ref, target);
        return { outcome, guide: restoreGuide(outcome.manifest, outcome.target) };
    }
}
