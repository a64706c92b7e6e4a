// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Debian chroots for the package test. The base system (debootstrap minbase + Debian's own
 * nodejs and sqlite3) is built once per suite and cached as a tarball under .cache/, then
 * unpacked fresh for every run. Every command runs in its own mount and UTS namespace
 * (unshare): /proc is mounted there and vanishes with the process, so no mount can leak into
 * the host and the chroot directory can always be deleted safely; the host name inside is the
 * PVE node name the test wants.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Run {
    code: number | null;
    out: string;
    err: string;
}

/** Debian's packages in the cached base, beyond minbase. Changing the list rebuilds the cache. */
const BASE_PACKAGES = ['nodejs', 'sqlite3'];
const RECIPE = `minbase+${BASE_PACKAGES.join(',')}+v1`;
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function which(tool: string): boolean {
    return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Why the chroot test cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
    if (process.getuid?.() !== 0) return 'not running as root (chroot and dpkg in a chroot need root)';
    for (const tool of ['debootstrap', 'unshare', 'chroot', 'tar', 'dpkg-deb', 'dpkg-buildpackage', 'dh', 'lintian']) {
        if (!which(tool)) return `${tool} is not installed (apt-get install debootstrap dpkg-dev debhelper lintian)`;
    }
    return undefined;
}

/** Runs a host command; throws with its output when it fails. */
export function host(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; log?: string } = {}): string {
    const r = spawnSync(command, args, { encoding: 'utf8', cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 << 20, timeout: 900_000 });
    if (options.log) appendFileSync(options.log, `$ ${command} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
    if (r.status !== 0) {
        const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
        throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}):\n${tail}`);
    }
    return r.stdout;
}

/** Refuses to go on while anything is mounted below `dir` (never delete through a mount). */
function assertNothingMounted(dir: string): void {
    const abs = resolve(dir);
    const mounted = readFileSync('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m === abs || m.startsWith(`${abs}/`));
    if (mounted.length > 0) throw new Error(`refusing to delete ${abs}: still mounted: ${mounted.join(', ')}`);
}

export class Chroot {
    constructor(
        readonly root: string,
        readonly nodeName: string,
    ) {}

    /** Runs a command inside, with a clean environment, as root. */
    run(command: string[], options: { env?: Record<string, string> } = {}): Run {
        const env = Object.entries({ PATH, HOME: '/root', LANG: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive', ...options.env }).map(([k, v]) => `${k}=${v}`);
        const script = 'r=$0; n=$1; shift; echo "$n" >/proc/sys/kernel/hostname && mount -t proc proc "$r/proc" && exec chroot "$r" /usr/bin/env -i "$@"';
        const r = spawnSync('unshare', ['--mount', '--uts', '--propagation', 'private', '--fork', '--', 'sh', '-c', script, this.root, this.nodeName, ...env, ...command], {
            encoding: 'utf8',
            maxBuffer: 64 << 20,
            timeout: 600_000,
        });
        return { code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
    }

    sh(script: string): Run {
        return this.run(['/bin/sh', '-c', script]);
    }

    /** Like sh, but throws with the output when the script fails. */
    ok(script: string): string {
        const r = this.sh(script);
        if (r.code !== 0) throw new Error(`in chroot: ${script} failed (${r.code}):\n${r.out}${r.err}`);
        return r.out;
    }

    path(p: string): string {
        return join(this.root, p);
    }

    read(p: string): string {
        return readFileSync(this.path(p), 'utf8');
    }

    exists(p: string): boolean {
        return existsSync(this.path(p));
    }

    remove(): void {
        assertNothingMounted(this.root);
        rmSync(this.root, { recursive: true, force: true });
    }
}

export interface ChrootOptions {
    suite: string;
    /** Where base tarballs are cached between runs (.cache/). */
    cacheDir: string;
    /** Fresh directory for this run's root. */
    workDir: string;
    nodeName: string;
    log: string;
}

/** A fresh chroot of `suite` with nodejs and sqlite3, from the cache when it matches. */
export function prepareChroot(o: ChrootOptions): Chroot {
    const mirror = process.env.PBH_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
    const tarball = join(o.cacheDir, `chroot-${o.suite}.tar.gz`);
    const key = `${o.suite} ${RECIPE} ${mirror}\n`;
    const chroot = new Chroot(join(o.workDir, `root-${o.suite}`), o.nodeName);
    mkdirSync(o.cacheDir, { recursive: true });
    if (existsSync(chroot.root)) chroot.remove();
    mkdirSync(chroot.root, { recursive: true });
    if (existsSync(tarball) && existsSync(`${tarball}.key`) && readFileSync(`${tarball}.key`, 'utf8') === key) {
        host('tar', ['-C', chroot.root, '--numeric-owner', '-xzf', tarball]);
        return chroot;
    }
    host('debootstrap', ['--variant=minbase', o.suite, chroot.root, mirror], { log: o.log });
    writeFileSync(chroot.path('etc/resolv.conf'), readFileSync('/etc/resolv.conf'));
    chroot.ok(`apt-get update -q && apt-get install -y -q --no-install-recommends ${BASE_PACKAGES.join(' ')} && apt-get clean && rm -rf /var/lib/apt/lists/*`);
    const tmp = `${tarball}.tmp-${process.pid}`;
    host('tar', ['-C', chroot.root, '--numeric-owner', '-czf', tmp, '.']);
    renameSync(tmp, tarball);
    writeFileSync(`${tarball}.key`, key);
    return chroot;
}
