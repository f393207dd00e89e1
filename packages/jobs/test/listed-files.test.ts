import { rawRows } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedDatabase } from '../src/index.js';
import { inWriteTransaction } from '../src/db/write-transaction.js';
import { seedOrder } from './support/seed-order.js';
import { openTestState, type TestState } from './support/test-state.js';
import { recordListedFiles } from '../src/progress/list-files.js';

/** A listing page's files as the core records them (progress/list-files.ts), on the dialect TEST_DATABASE names. */
describe('recording listed files', () => {
  let state: TestState;
  let database: OpenedDatabase;
  beforeEach(async () => {
    state = await openTestState('listed');
    database = state.database;
    await seedOrder(
      database.db,
      { status: 'running' },
      [
        { id: 1, status: 'preparing' },
        { id: 2, status: 'preparing' },
      ],
      // No id given: on PostgreSQL a named id would leave the identity behind, and the next row would collide.
      [{ productId: 2, ref: 'file-7', status: 'complete', meta: '"first"' }],
    );
  });
  afterEach(() => state.close());

  it('creates each new file once, in listing order, however long the page, and leaves the ones it has alone', async () => {
    const refs = Array.from({ length: 1203 }, (_, i) => `file-${i}`);
    // A page that names a file twice (a source's listing may), and one the order has from another product.
    refs.splice(600, 0, 'file-42');
    const listed = refs.map((ref) => ({ ref, meta: { ref } }));
    await inWriteTransaction(database.db, (tx) => recordListedFiles(tx, { id: 1, orderId: 'o1' }, listed));

    const rows = await rawRows<{ ref: string; product_id: number; status: string; meta: string }>(
      database,
      'SELECT ref, product_id, status, meta FROM files ORDER BY id',
    );
    expect(rows).toHaveLength(1203);
    expect(rows[0]).toEqual({ ref: 'file-7', product_id: 2, status: 'complete', meta: '"first"' });
    const created = rows.slice(1);
    expect(created.map((row) => row.ref)).toEqual(refs.filter((ref, i) => ref !== 'file-7' && refs.indexOf(ref) === i));
    expect(created.every((row) => row.product_id === 1 && row.status === 'pending')).toBe(true);
    expect(created.find((row) => row.ref === 'file-1202')?.meta).toBe('{"ref":"file-1202"}');
  });

  it('writes nothing of a page whose transaction fails', async () => {
    const listed = Array.from({ length: 700 }, (_, i) => ({ ref: `other-${i}`, meta: {} }));
    const failed = inWriteTransaction(database.db, async (tx) => {
      await recordListedFiles(tx, { id: 1, orderId: 'o1' }, listed);
      throw new Error('the step could not be committed');
    });
    await expect(failed).rejects.toThrow(/could not be committed/);
    expect(await rawRows(database, 'SELECT count(*) AS n FROM files')).toEqual([{ n: 1 }]);
  });
});
