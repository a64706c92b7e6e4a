// SPDX-License-Identifier: AGPL-3.0-or-later
/** The real clock, timers and a journald-friendly logger (systemd adds time and unit). */

import type { Clock, Logger, Timers } from '../../ports.ts';

export function systemClock(): Clock {
    return { now: () => Math.floor(Date.now() / 1000) };
}

/** Timers that keep the process alive while pending (the daemon's loop is its reason to live). */
export function systemTimers(): Timers {
    return {
        after(ms, fn) {
            const t = setTimeout(fn, ms);
            return () => clearTimeout(t);
        },
    };
}

const LEVELS = { debug: 0, info: 1, warn: 2, error: 3 } as const;

/** Lines like `warn: message key=value`; levels below `minimum` are dropped. */
export function streamLogger(write: (line: string) => void, minimum: keyof typeof LEVELS = 'info'): Logger {
    const emit = (level: keyof typeof LEVELS) => (message: string, fields?: Record<string, unknown>) => {
        if (LEVELS[level] < LEVELS[minimum]) return;
        const extra = fields ? Object.entries(fields).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('') : '';
        write(`${level}: ${message}${extra}\n`);
    };
    return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
