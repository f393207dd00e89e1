import { rawRows } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inWriteTransaction, schema } from '../src/index.js';
import { createWriteBatcher, type WriteBatcher } from '../src/db/write-batcher.js';
import { reservePath } from '../src/download/reserve-path.js';
import { openPostgresWithOrder, type PostgresWithOrder } from './support/postgres-with-order.js';

/** Two hosts that record one path for two files of an order at the same moment, on PostgreSQL. */
describe('recording a file path on PostgreSQL', () => {
  let opened: PostgresWithOrder;
  let writes: WriteBatcher;
  beforeEach(async () => {
    opened = await openPostgresWithOrder({ poolMax: 4, status: 'running' });
    writes = createWriteBatcher(opened.database);
    await inWriteTransaction(opened.database.db, async (tx) => {
      await tx
        .insert(schema.products)
        .values({ id: 1, orderId: 'o1', ordinal: 0, params: '{}', status: 'downloading' });
      for (const id of [1, 2])
        await tx.insert(schema.files).values({ id, orderId: 'o1', productId: 1, ref: `file-${id}`, status: 'pending' });
    });
  });
  afterEach(() => opened.close());

  it('waits for a path another writer holds uncommitted, and takes the next free one once it commits', async () => {
    // The test's own connection: the only one of its pool, so the core's pool answers the looks below.
    const holder = await opened.server.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("UPDATE files SET relative_path = 'o1/same.csv' WHERE id = 1");
      const verified = { size: 4, sha256: 'cd'.repeat(32), meta: '{}' };
      const reserving = reservePath(writes, { id: 2, orderId: 'o1', relativePath: null }, 'same.csv', 'x', verified);
      // Its statement saw the path free, and now waits on the unique index for the holder's end.
      for (let looks = 0; looks < 250; looks += 1) {
        const [waiting] = await rawRows<{ n: number }>(
          opened.database,
          `SELECT count(*)::integer AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%not exists%'`,
        );
        if ((waiting?.n ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.query('COMMIT');
      await expect(reserving).resolves.toBe('o1/same-2.csv');
    } finally {
      holder.release();
    }
    expect(await rawRows(opened.database, 'SELECT id, relative_path FROM files ORDER BY id')).toEqual([
      { id: 1, relative_path: 'o1/same.csv' },
      { id: 2, relative_path: 'o1/same-2.csv' },
    ]);
  });
});
