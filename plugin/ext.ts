// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Calling the parent class's method without `callParent`: ExtJS finds the caller of callParent
 * through `Function.caller`, which is null for strict-mode code — and this bundle is strict (an
 * ES module). So every method names its parent explicitly.
 */

/** Runs `method` of class `parent` (e.g. `Ext.panel.Panel`) on `self` with `args`. */
export function callParentOf(parent: string, method: string, self: unknown, args: IArguments | unknown[]): unknown {
    const fn = Ext.ClassManager.get(parent)?.prototype[method];
    if (typeof fn !== 'function') throw new Error(`${parent}.${method} is missing`);
    return (fn as (...a: unknown[]) => unknown).apply(self, Array.from(args));
}
