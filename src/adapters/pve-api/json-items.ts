// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Reads a PVE JSON answer `{"data": [ … ], …}` as it arrives and hands over each element of its
 * `data` array on its own. A PBS datastore's backup list is tens of megabytes of JSON; buffered
 * whole, its bytes, its text and its parsed objects were all alive at once, and the objects had
 * outlived enough young-generation collections to stay until a full one — the largest single
 * peak of a cold cycle. Here only one element's bytes exist at a time.
 *
 * The scan works on bytes: every byte JSON's structure depends on (`{ } [ ] , : "` and `\`) is
 * ASCII, and no byte of a multi-byte UTF-8 sequence is below 0x80, so chunk borders never need
 * care beyond keeping an element's pieces together.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export class JsonItemSplitter {
    /** Open objects and arrays. */
    private depth = 0;
    private inString = false;
    private escaped = false;
    /** The depth directly inside the `data` array while reading it; 0 otherwise. */
    private dataDepth = 0;
    private dataSeen = false;
    /** A key of the top-level object being read (short: only `data` matters), and the last one. */
    private keyBytes: number[] | undefined;
    private lastKey = '';
    /** In the top-level object, between a key's colon and the next comma: a value, not a key. */
    private afterColon = false;
    /** Pieces of the element being read; undefined between elements. */
    private item: Buffer[] | undefined;
    /** Everything but the elements: parsed at the end for `total` and to check the envelope. */
    private readonly envelope: Buffer[] = [];
    private items = 0;

    constructor(private readonly onItem: (item: unknown) => void) {}

    /** Elements handed over so far. */
    get count(): number {
        return this.items;
    }

    write(chunk: Buffer): void {
        let envelopeFrom = this.dataDepth === 0 ? 0 : -1;
        let itemFrom = this.item ? 0 : -1;
        for (let i = 0; i < chunk.length; i++) {
            const b = chunk[i] as number;
            if (this.inString) {
                if (this.escaped) this.escaped = false;
                else if (b === BACKSLASH) this.escaped = true;
                else if (b === QUOTE) {
                    this.inString = false;
                    if (this.keyBytes) {
                        this.lastKey = this.keyBytes.length <= 8 ? String.fromCharCode(...this.keyBytes) : '';
                        this.keyBytes = undefined;
                    } else if (this.item && this.depth === this.dataDepth) {
                        this.finishItem(chunk, itemFrom, i + 1);
                        itemFrom = -1;
                    }
                } else if (this.keyBytes && this.keyBytes.length <= 8) this.keyBytes.push(b);
                continue;
            }
            if (isSpace(b)) continue;
            if (this.dataDepth !== 0 && this.depth === this.dataDepth) {
                if (this.item) {
                    // A number or literal element ends at the comma or bracket after it.
                    if (b !== COMMA && b !== CLOSE_ARR) continue;
                    this.finishItem(chunk, itemFrom, i);
                    itemFrom = -1;
                }
                if (b === COMMA) continue;
                if (b === CLOSE_ARR) {
                    this.depth--;
                    this.dataDepth = 0;
                    envelopeFrom = i;
                    continue;
                }
                this.item = [];
                itemFrom = i;
                if (b === QUOTE) this.inString = true;
                else if (b === OPEN_OBJ || b === OPEN_ARR) this.depth++;
                continue;
            }
            if (b === QUOTE) {
                this.inString = true;
                if (this.depth === 1 && !this.afterColon) this.keyBytes = [];
            } else if (b === OPEN_OBJ || b === OPEN_ARR) {
                const isData = b === OPEN_ARR && this.depth === 1 && this.afterColon && this.lastKey === 'data' && !this.dataSeen;
                this.depth++;
                if (isData) {
                    this.dataSeen = true;
                    this.dataDepth = this.depth;
                    this.envelope.push(Buffer.from(chunk.subarray(envelopeFrom, i + 1)));
                    envelopeFrom = -1;
                }
            } else if (b === CLOSE_OBJ || b === CLOSE_ARR) {
                this.depth--;
                if (this.item && this.depth === this.dataDepth) {
                    this.finishItem(chunk, itemFrom, i + 1);
                    itemFrom = -1;
                }
            } else if (this.depth === 1 && b === COLON) this.afterColon = true;
            else if (this.depth === 1 && b === COMMA) this.afterColon = false;
        }
        if (this.item && itemFrom >= 0) this.item.push(Buffer.from(chunk.subarray(itemFrom)));
        if (envelopeFrom >= 0) this.envelope.push(Buffer.from(chunk.subarray(envelopeFrom)));
    }

    /**
     * The envelope with its `data` array emptied, parsed (e.g. `{data: [], total: 42}`). Throws
     * when the answer was cut off or is not JSON.
     */
    end(): unknown {
        if (this.depth !== 0 || this.inString || this.item) throw new Error('answer ended inside a JSON value');
        return JSON.parse(Buffer.concat(this.envelope).toString('utf8'));
    }

    private finishItem(chunk: Buffer, from: number, to: number): void {
        const pieces = this.item ?? [];
        this.item = undefined;
        pieces.push(chunk.subarray(from, to));
        const bytes = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
        this.items++;
        this.onItem(JSON.parse(bytes.toString('utf8')));
    }
}
