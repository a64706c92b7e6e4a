// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The long-running daemon: a check cycle every interval and on demand (never two at once), one
 * elected notifier per cluster, alert state shared through the coordinator so a failover neither
 * repeats nor loses a message, and the DaemonApi the HTTP server serves.
 */

import type {
    CheckResponse, DaemonInfo, GuestDetailResponse, HistoryResponse, JobsResponse, NotificationLogEntry, NotificationLogResponse,
    NotificationTestResponse, ReportResponse, SettingsResponse, SettingsUpdate, SilenceRequest,
} from '../contract/http-api.ts';
import { type AlertState, EMPTY_ALERT_STATE, decideAlerts } from '../domain/alerts/policy.ts';
import { activeMaintenance } from '../domain/alerts/maintenance.ts';
import type { AlertBatch } from '../domain/alerts/types.ts';
import type { HealthReport } from '../domain/health/report.ts';
import { withExtraProblems } from '../domain/health/summarize.ts';
import { type HistoryPoint, appendHistory, historyPoint } from '../domain/history/points.ts';
import { EMPTY_TRACKING, type Tracking } from '../domain/history/tracking.ts';
import { type ClusterState, runClusterCycles } from './cluster-cycles.ts';
import { type DaemonApi, ServiceError } from './daemon-api.ts';
import type { CycleSettings, DaemonDeps } from './daemon-types.ts';
import { guestDetail, jobsWithNextRuns, slimReport } from './daemon-views.ts';
import { dispatch } from './notify-dispatch.ts';

const LOG_LIMIT = 500;

export class Daemon implements DaemonApi {
    private current?: HealthReport;
    private slim?: { source: HealthReport; report: HealthReport };
    /**
     * Per cluster (this one and each remote): the snapshot last judged and its tracking, kept for
     * the next cycle, and a guest's runs and attempts judged on request (the report has none).
     */
    private local: ClusterState = { tracking: EMPTY_TRACKING };
    private remotes = new Map<string, ClusterState>();
    private running: Promise<void> | undefined;
    /** A check was requested while one ran: run once more right after it (fresh data). */
    private again = false;
    private cancelTimer?: () => void;
    private stopped = false;
    private lastCheck?: number;
    private nextCheck?: number;
    private lastSeconds?: number;
    private notifier = false;
    private warnings: string[] = [];
    private readonly abort = new AbortController();

    readonly archives: DaemonApi['archives'];

    constructor(private readonly deps: DaemonDeps) {
        if (deps.archives) this.archives = deps.archives;
    }

    /** Restores what the previous run left on disk, then starts the first cycle at once. */
    async start(): Promise<void> {
        const saved = await this.deps.store.read<{ report?: HealthReport; lastCheck?: number }>('report');
        if (saved?.report) this.current = saved.report;
        if (saved?.lastCheck !== undefined) this.lastCheck = saved.lastCheck;
        this.local = { tracking: (await this.deps.store.read<Tracking>('tracking')) ?? EMPTY_TRACKING };
        const remote = (await this.deps.store.read<Record<string, Tracking>>('remote-tracking')) ?? {};
        this.remotes = new Map(Object.entries(remote).map(([name, tracking]) => [name, { tracking }]));
        this.trigger();
    }

    /** Stops scheduling, aborts a running collection and waits for it (SIGTERM). */
    async stop(): Promise<void> {
        this.stopped = true;
        this.cancelTimer?.();
        this.abort.abort();
        await this.running;
    }

    /** Resolves when no cycle runs (including one queued by "check now"). */
    async idle(): Promise<void> {
        while (this.running) await this.running;
    }

    private trigger(requested = false): boolean {
        if (this.stopped) return false;
        if (this.running) {
            if (requested) this.again = true;
            return false;
        }
        this.cancelTimer?.();
        this.running = this.cycle(requested).finally(() => {
            this.running = undefined;
            if (this.again && !this.stopped) {
                this.again = false;
                this.trigger(true);
            } else this.schedule();
        });
        return true;
    }

    private schedule(): void {
        if (this.stopped) return;
        const interval = this.deps.settings.current().intervalSeconds;
        this.nextCheck = this.deps.clock.now() + interval;
        this.cancelTimer = this.deps.timers.after(interval * 1000, () => this.trigger());
    }

    /** `requested`: "Check now" — the source reads anew what it otherwise keeps between cycles. */
    private async cycle(requested = false): Promise<void> {
        await this.deps.settings.refresh?.().catch((e: unknown) => this.deps.logger.warn(`cannot re-read settings: ${String(e)}`));
        const settings = this.deps.settings.current();
        const started = this.deps.clock.now();
        const warnings = [...settings.configWarnings];
        try {
            const remotes = this.deps.remotes?.() ?? [];
            const previous = { local: this.local, remotes: this.remotes };
            const result = await runClusterCycles(this.deps.source, remotes, settings, started, previous, this.abort.signal, requested);
            if (this.stopped && this.abort.signal.aborted) return;
            const report = await this.withArchives(result.report, warnings);
            this.local = result.local;
            this.remotes = result.remotes;
            this.current = report;
            warnings.push(...result.errors);
            this.lastCheck = started;
            this.lastSeconds = Math.max(0, this.deps.clock.now() - started);
            await this.persist(report, started);
            warnings.push(...(await this.alert(report, settings, started)));
        } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            this.deps.logger.error(`check cycle failed: ${message}`);
            warnings.push(`check cycle failed: ${message}`);
        }
        this.warnings = warnings;
    }

    /** Starts a due scheduled archive (in the background) and adds archive problems to the report. */
    private async withArchives(report: HealthReport, warnings: string[]): Promise<HealthReport> {
        const archives = this.deps.archives;
        if (!archives) return report;
        try {
            if (await archives.due()) archives.create('scheduler');
            return withExtraProblems(report, await archives.problems());
        } catch (e) {
            warnings.push(`configuration archives: ${e instanceof Error ? e.message : String(e)}`);
            return report;
        }
    }

    private async persist(report: HealthReport, at: number): Promise<void> {
        const { store, logger } = this.deps;
        try {
            await store.write('report', { report, lastCheck: at });
            await store.write('tracking', this.local.tracking);
            await store.write('remote-tracking', Object.fromEntries([...this.remotes].map(([name, s]) => [name, s.tracking])));
            const history = (await store.read<HistoryPoint[]>('history')) ?? [];
            await store.write('history', appendHistory(history, historyPoint(report, at)));
        } catch (e) {
            logger.error(`cannot write state: ${e instanceof Error ? e.message : String(e)}`);
        }
    }

    /** Elects the notifier and, if it is us, tells what changed. Returns warnings for the report. */
    private async alert(report: HealthReport, settings: CycleSettings, now: number): Promise<string[]> {
        const { coordinator, node, logger } = this.deps;
        const beat = await coordinator.heartbeat(node, now).catch(() => false);
        const alive = await coordinator.alive(now, 2 * settings.intervalSeconds + 30).catch(() => [] as string[]);
        // Lowest live node name notifies; a node that cannot write its heartbeat (no quorum)
        // only notifies when nobody else is alive.
        this.notifier = alive.length === 0 ? true : beat ? alive[0] === node : false;
        if (!this.notifier) return beat ? [] : ['cluster coordination store not writable (no quorum?): another node notifies'];
        const state = (await coordinator.readShared<AlertState>('alert-state').catch(() => undefined)) ?? EMPTY_ALERT_STATE;
        const quiet = activeMaintenance(settings.maintenance, now, this.deps.timeZone) !== null;
        const alertSettings = { ...settings.alerts, silences: this.deps.settings.silences() };
        const context = report.cluster !== undefined ? { quiet, cluster: report.cluster } : { quiet };
        const decision = decideAlerts(state, report.problems, now, alertSettings, context);
        const result = await this.send(decision.batches, settings);
        try {
            await coordinator.writeShared('alert-state', decision.state);
        } catch (e) {
            logger.warn(`cannot share alert state: ${e instanceof Error ? e.message : String(e)}`);
        }
        return result;
    }

    private async send(batches: AlertBatch[], settings: CycleSettings): Promise<string[]> {
        if (batches.length === 0 || settings.notifiers.length === 0) return [];
        const tz = (n: string, remote?: string) => this.current?.nodes.find((x) => x.name === n && x.remote === remote)?.timeZone ?? this.deps.timeZone;
        const result = await dispatch(batches, (b) => this.deps.render(b, settings.language, tz), settings.notifiers, { attempts: settings.notifyAttempts, backoffMs: settings.notifyBackoffMs }, {
            timers: this.deps.timers, logger: this.deps.logger, now: () => this.deps.clock.now(),
        });
        await this.appendLog(result.entries);
        return result.failures;
    }

    private async appendLog(entries: NotificationLogEntry[]): Promise<void> {
        const log = (await this.deps.store.read<NotificationLogEntry[]>('notifications')) ?? [];
        await this.deps.store.write('notifications', [...log, ...entries].slice(-LOG_LIMIT)).catch(() => undefined);
    }

    private info(): DaemonInfo {
        const i: DaemonInfo = { version: this.deps.version, node: this.deps.node, notifier: this.notifier, checking: this.running !== undefined, warnings: this.warnings };
        if (this.lastCheck !== undefined) i.lastCheck = this.lastCheck;
        if (this.nextCheck !== undefined) i.nextCheck = this.nextCheck;
        if (this.lastSeconds !== undefined) i.lastCheckSeconds = this.lastSeconds;
        return i;
    }

    // ---- DaemonApi ---------------------------------------------------------------------------

    report(): ReportResponse {
        if (!this.current) return { daemon: this.info() };
        if (this.slim?.source !== this.current) this.slim = { source: this.current, report: slimReport(this.current) };
        return { daemon: this.info(), report: this.slim.report };
    }

    guest(vmid: number, remote?: string): GuestDetailResponse {
        if (!this.current) throw new ServiceError(503, 'the first check has not finished yet');
        const cluster = remote === undefined ? this.local : this.remotes.get(remote);
        if (!cluster) throw new ServiceError(404, `no remote cluster named '${remote}'`);
        const detail = guestDetail(this.current, cluster.snapshot, { vmid, ...(remote !== undefined ? { remote } : {}) }, this.deps.settings.silences(), this.deps.clock.now(), cluster.explain);
        if (!detail) throw new ServiceError(404, remote === undefined ? `no guest with VMID ${vmid}` : `no guest with VMID ${vmid} on remote ${remote}`);
        return { daemon: this.info(), ...detail };
    }

    jobs(): JobsResponse {
        return { daemon: this.info(), jobs: this.current ? jobsWithNextRuns(this.current, this.deps.clock.now()) : [] };
    }

    requestCheck(): CheckResponse {
        return { started: this.trigger(true) };
    }

    async history(from?: number, to?: number): Promise<HistoryResponse> {
        const points = (await this.deps.store.read<HistoryPoint[]>('history')) ?? [];
        return { points: points.filter((p) => (from === undefined || p.at >= from) && (to === undefined || p.at <= to)) };
    }

    settings(): Promise<SettingsResponse> {
        return this.deps.settings.describe();
    }

    updateSettings(update: SettingsUpdate, user: string): Promise<SettingsResponse> {
        return this.deps.settings.update(update, user);
    }

    addSilence(request: SilenceRequest, user: string): Promise<SettingsResponse> {
        return this.deps.settings.addSilence(request, user, this.deps.clock.now());
    }

    async testNotification(target?: string): Promise<NotificationTestResponse> {
        const settings = this.deps.settings.current();
        const notifiers = settings.notifiers.filter((n) => target === undefined || n.name === target);
        if (target !== undefined && notifiers.length === 0) throw new ServiceError(404, `no notification target named '${target}'`);
        if (notifiers.length === 0) throw new ServiceError(400, 'no notification targets are configured');
        const batch: AlertBatch = { kind: 'test', at: this.deps.clock.now(), items: [], severity: 'info' };
        if (this.current?.cluster !== undefined) batch.cluster = this.current.cluster;
        const result = await dispatch([batch], (b) => this.deps.render(b, settings.language, () => this.deps.timeZone), notifiers, { attempts: 1, backoffMs: 0 }, {
            timers: this.deps.timers, logger: this.deps.logger, now: () => this.deps.clock.now(),
        });
        await this.appendLog(result.entries);
        return { results: result.entries.map((e) => (e.error !== undefined ? { target: e.target, ok: false, error: e.error } : { target: e.target, ok: true })) };
    }

    async notificationLog(): Promise<NotificationLogResponse> {
        const entries = (await this.deps.store.read<NotificationLogEntry[]>('notifications')) ?? [];
        return { entries: [...entries].reverse() };
    }

    metrics(): string {
        return this.deps.renderMetrics(this.current, this.info());
    }
}
