/**
 * A min-heap of cursors into ascending row-index lists, for merging the row lists of the groups a filter matches
 * into one Id-ordered page without visiting the rows it does not match.
 */

export interface RowCursor {
  /** The row index the cursor is at. */
  row: number;
  /** The list it walks, and where in it. */
  list: Int32Array;
  pos: number;
}

export class RowCursorHeap {
  readonly #items: RowCursor[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(cursor: RowCursor): void {
    const items = this.#items;
    items.push(cursor);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as RowCursor;
      if (p.row <= cursor.row) break;
      items[i] = p;
      i = parent;
    }
    items[i] = cursor;
  }

  /** Takes the smallest row and moves that cursor on; null when every list is exhausted. */
  take(): number | null {
    const top = this.#items[0];
    if (!top) return null;
    const row = top.row;
    top.pos++;
    const next = top.list[top.pos];
    if (next === undefined) {
      const last = this.#items.pop() as RowCursor;
      if (this.#items.length === 0) return row;
      this.#items[0] = last;
    } else {
      top.row = next;
    }
    this.#siftDown();
    return row;
  }

  #siftDown(): void {
    const items = this.#items;
    const n = items.length;
    const item = items[0] as RowCursor;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const l = items[left] as RowCursor;
      const r = items[right];
      const child = r !== undefined && r.row < l.row ? right : left;
      const c = items[child] as RowCursor;
      if (c.row >= item.row) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}

/** First position in an ascending list whose value is >= `value`. */
export function lowerBound(list: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in an ascending list whose value is > `value`. */
export function upperBound(list: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
