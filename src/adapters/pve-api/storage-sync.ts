// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Storages and their backup lists, refreshed on a longer interval than tasks (PBS listings go over
 * the network and can take long). A shared storage's list is read once, from one node.
 */

import type { BackupList, BackupVerification, PruneOptions, SourceError, StorageStatus } from '../../domain/model.ts';
import { parsePruneOptions } from '../../domain/pve/prune-options.ts';
import { BackupLists, BackupTableBuilder } from '../../domain/snapshot/backup-table.ts';
import type { Interner } from '../../domain/snapshot/slim-log.ts';
import type { PveClient } from './client.ts';
import type { ApiStorageStatus } from './types.ts';
import { toBackupItem, toStorageStatus } from './to-model.ts';

export interface StorageState {
    refreshedAt?: number;
    /** Counts refreshes: the cached view is valid for one generation. */
    generation: number;
    /** Per node: its storages as last read. */
    perNode: Map<string, ApiStorageStatus[]>;
    /** Backups per `<storage>|<node>` (`*` for shared storages). */
    backups: Map<string, BackupList>;
    /** Whether the list under the same key was read in the last refresh. */
    read: Map<string, boolean>;
    prune: Map<string, PruneOptions>;
    errors: SourceError[];
    /** The last view and what it was built from: 180 000 backups are not re-joined every quiet cycle. */
    view?: { generation: number; nodes: string; storages: StorageStatus[]; backups: BackupList };
}

export function newStorageState(): StorageState {
    return { generation: 0, perNode: new Map(), backups: new Map(), read: new Map(), prune: new Map(), errors: [] };
}

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

const holdsBackups = (s: ApiStorageStatus) => s.content.includes('backup') && s.enabled && s.active;

/**
 * PVE lists a backup volume only to a user with Datastore.Allocate on the storage, or with
 * Datastore.AllocateSpace on it and VM.Backup on the guest (pve-storage `check_volume_access`);
 * anyone else gets HTTP 200 and a list without backups — PVEAuditor sees none at all. Ask PVE
 * what the token may do instead of reading such a list as "no backups". Returns, per storage
 * whose backups are hidden, what is missing; nothing when PVE cannot tell.
 */
async function hiddenBackups(api: PveClient, storages: readonly string[]): Promise<Map<string, string>> {
    const hidden = new Map<string, string>();
    if (storages.length === 0) return hidden;
    try {
        const vmBackup = (await api.permissions('/vms'))['/vms']?.['VM.Backup'] === true;
        await Promise.all(
            storages.map(async (storage) => {
                const path = `/storage/${storage}`;
                const privs = (await api.permissions(path))[path] ?? {};
                if (privs['Datastore.Allocate']) return;
                const missing = [privs['Datastore.AllocateSpace'] ? '' : `Datastore.AllocateSpace on ${path}`, vmBackup ? '' : 'VM.Backup on /vms'].filter((x) => x);
                if (missing.length > 0) hidden.set(storage, missing.join(' and '));
            }),
        );
    } catch {
        // Without an answer keep listing: a real empty list and a hidden one look the same then.
        return new Map();
    }
    return hidden;
}

/** Refreshes when `interval` has passed (or never read). Errors are kept until the next refresh. */
export async function refreshStorages(api: PveClient, nodes: readonly string[], state: StorageState, now: number, interval: number, intern?: Interner): Promise<void> {
    if (state.refreshedAt !== undefined && now - state.refreshedAt < interval) return;
    state.refreshedAt = now;
    state.generation++;
    state.errors = [];
    await Promise.all(
        nodes.map(async (node) => {
            try {
                state.perNode.set(node, await api.nodeStorages(node));
            } catch (err) {
                state.errors.push({ what: `GET /nodes/${node}/storage`, node, message: message(err) });
            }
        }),
    );
    const lists: Array<{ key: string; node: string; storage: string }> = [];
    const sharedDone = new Set<string>();
    const ids = new Set<string>();
    for (const node of nodes) {
        for (const s of state.perNode.get(node) ?? []) {
            if (!holdsBackups(s)) continue;
            ids.add(s.storage);
            if (s.shared) {
                if (sharedDone.has(s.storage)) continue;
                sharedDone.add(s.storage);
                lists.push({ key: `${s.storage}|*`, node, storage: s.storage });
            } else lists.push({ key: `${s.storage}|${node}`, node, storage: s.storage });
        }
    }
    const hidden = await hiddenBackups(api, [...ids]);
    for (const [storage, missing] of hidden) {
        state.errors.push({
            what: `GET /nodes/{node}/storage/${storage}/content`,
            message: `the API token lacks ${missing}: PVE leaves every backup out of the list (HTTP 200), so backups, PBS verification and retention on ${storage} cannot be checked. Grant them (or Datastore.Allocate on the storage)`,
            // Backup verdicts come from task logs and stand without this list.
            severity: 'info',
        });
    }
    const verifications = new Map<string, BackupVerification>();
    await Promise.all([
        ...lists.map(async ({ key, node, storage }) => {
            if (hidden.has(storage)) {
                state.backups.delete(key);
                state.read.set(key, false);
                return;
            }
            try {
                // In columns, as the list arrives (a retried answer starts a fresh table).
                let table = new BackupTableBuilder();
                await api.eachStorageBackup(node, storage, () => {
                    table = new BackupTableBuilder();
                    return (b) => table.add(toBackupItem(b, storage, intern, verifications));
                });
                state.backups.set(key, table.finish());
                state.read.set(key, true);
            } catch (err) {
                state.read.set(key, false);
                state.errors.push({ what: `GET /nodes/${node}/storage/${storage}/content`, node, message: message(err) });
            }
        }),
        // One `GET /storage` rather than `GET /storage/{id}` per storage: the latter needs
        // Datastore.Allocate, which an auditor token (PVEAuditor) does not have.
        (async () => {
            if (ids.size === 0) return;
            try {
                const configs = new Map((await api.storageConfigs()).map((c) => [c.storage, c]));
                for (const storage of ids) {
                    const parsed = parsePruneOptions(configs.get(storage)?.pruneBackups);
                    if (parsed.prune) state.prune.set(storage, parsed.prune);
                    else state.prune.delete(storage);
                }
            } catch (err) {
                state.errors.push({ what: 'GET /storage', message: message(err) });
            }
        })(),
    ]);
}

/** Storage status per node (shared storages once) and all known backups. */
export function storageView(state: StorageState, nodes: readonly string[]): { storages: StorageStatus[]; backups: BackupList } {
    const key = nodes.join('\n');
    const last = state.view;
    if (last && last.generation === state.generation && last.nodes === key) return { storages: last.storages, backups: last.backups };
    const storages: StorageStatus[] = [];
    const shared = new Set<string>();
    for (const node of nodes) {
        for (const s of state.perNode.get(node) ?? []) {
            if (s.shared && shared.has(s.storage)) continue;
            if (s.shared) shared.add(s.storage);
            const st = toStorageStatus(s, node);
            const prune = state.prune.get(s.storage);
            if (prune) st.prune = prune;
            if (s.content.includes('backup')) st.contentRead = state.read.get(`${s.storage}|${s.shared ? '*' : node}`) ?? false;
            storages.push(st);
        }
    }
    const backups = new BackupLists([...state.backups.values()]);
    state.view = { generation: state.generation, nodes: key, storages, backups };
    return { storages, backups };
}
