import { rawRows } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedDatabase } from '../src/index.js';
import { createWriteBatcher, type WriteBatcher } from '../src/db/write-batcher.js';
import { reservePath } from '../src/download/reserve-path.js';
import { seedOrder } from './support/seed-order.js';
import { openTestState, type TestState } from './support/test-state.js';

const files = 8;
const verified = { size: 4, sha256: 'ab'.repeat(32), meta: '{}' };

/** Where a verified file is recorded before its rename (download/reserve-path.ts), on either store. */
describe('recording a file path', () => {
  let state: TestState;
  let database: OpenedDatabase;
  let writes: WriteBatcher;
  beforeEach(async () => {
    state = await openTestState('reserve-path');
    database = state.database;
    writes = createWriteBatcher(database);
    await seedOrder(
      database.db,
      { status: 'running' },
      [{ id: 1, status: 'downloading' }],
      Array.from({ length: files }, (_, i) => ({
        id: i + 1,
        productId: 1,
        ref: `file-${i + 1}`,
        status: 'pending' as const,
      })),
    );
  });
  afterEach(() => state.close());

  it('gives files of one order that want one name at the same moment a path each, and keeps a recorded one', async () => {
    const paths = await Promise.all(
      Array.from({ length: files }, (_, index) =>
        reservePath(writes, { id: index + 1, orderId: 'o1', relativePath: null }, 'same.csv', 'fallback', verified),
      ),
    );
    const expected = ['o1/same.csv', ...Array.from({ length: files - 1 }, (_, n) => `o1/same-${n + 2}.csv`)];
    expect([...paths].sort()).toEqual([...expected].sort());
    const recorded = await rawRows<{ relative_path: string; size: number; sha256: string }>(
      database,
      'SELECT relative_path, size, sha256 FROM files ORDER BY id',
    );
    expect(recorded.map((row) => row.relative_path)).toEqual(paths);
    expect(recorded.every((row) => row.size === 4 && row.sha256 === verified.sha256)).toBe(true);
    // Asked again (a retried job), the file keeps its path whatever name the server sends now.
    const again = await reservePath(writes, { id: 3, orderId: 'o1', relativePath: paths[2] ?? null }, 'new.csv', 'x', {
      ...verified,
      size: 5,
    });
    expect(again).toBe(paths[2]);
    expect(await rawRows(database, 'SELECT size FROM files WHERE id = 3')).toEqual([{ size: 5 }]);
  });

  it('joins the transaction it is asked for in, and is undone with it', async () => {
    const failing = writes.write(async () => {
      await reservePath(writes, { id: 1, orderId: 'o1', relativePath: null }, 'kept.csv', 'fallback', verified);
      throw new Error('the job changed its mind');
    });
    await expect(failing).rejects.toThrow(/changed its mind/);
    expect(await rawRows(database, 'SELECT relative_path FROM files WHERE id = 1')).toEqual([{ relative_path: null }]);
  });
});
