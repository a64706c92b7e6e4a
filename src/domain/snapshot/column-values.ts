// SPDX-License-Identifier: AGPL-3.0-or-later
/** What the column tables (guest-table.ts, backup-table.ts) store once and refer to by index. */

/**
 * Values stored once, each referred to by its index; -1 stands for undefined/null. The lookup map
 * is needed only while a table is built: `seal` drops it (a 10 000-guest history has ~3 400
 * tables whose maps held ~14 MiB for nothing), and a later `indexOf` rebuilds it.
 */
export class ValueList<T> {
    private readonly items: T[] = [];
    private at: Map<T, number> | undefined;

    indexOf(value: T | null | undefined): number {
        if (value === undefined || value === null) return -1;
        this.at ??= new Map(this.items.map((v, k) => [v, k]));
        let k = this.at.get(value);
        if (k === undefined) {
            k = this.items.push(value) - 1;
            this.at.set(value, k);
        }
        return k;
    }

    seal(): void {
        this.at = undefined;
    }

    get(k: number): T | undefined {
        return k < 0 ? undefined : this.items[k];
    }
}

/**
 * The head and tail around an archive name's varying part (archive-name.ts), stored once per
 * table. A table's names share a few of them, so a name is compared before anything is sliced:
 * no string is made per row.
 */
export class NameParts {
    private readonly heads: string[] = [];
    private readonly tails: string[] = [];

    /** Index of `name`'s head (up to `headEnd`) and tail (from `tailStart`). */
    indexOf(name: string, headEnd: number, tailStart: number): number {
        const tailLength = name.length - tailStart;
        for (let k = 0; k < this.heads.length; k++) {
            const head = this.heads[k] as string;
            const tail = this.tails[k] as string;
            if (head.length === headEnd && tail.length === tailLength && name.startsWith(head) && name.endsWith(tail)) return k;
        }
        this.heads.push(name.slice(0, headEnd));
        this.tails.push(name.slice(tailStart));
        return this.heads.length - 1;
    }

    head(k: number): string {
        return this.heads[k] ?? '';
    }

    tail(k: number): string {
        return this.tails[k] ?? '';
    }
}
