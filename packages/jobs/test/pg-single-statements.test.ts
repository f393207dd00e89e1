import { rawRows } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOrderEvents, inWriteTransaction, schema } from '../src/index.js';
import type { AppDatabase } from '../src/db/database.js';
import { createWriteBatcher, type WriteBatcher } from '../src/db/write-batcher.js';
import { reservePath } from '../src/download/reserve-path.js';
import { claimLease } from '../src/state/leases.js';
import { transitionFile } from '../src/state/transition.js';
import { openPostgresWithOrder, type PostgresWithOrder } from './support/postgres-with-order.js';

/** The isolation level a statement sent through `tx` runs at, as PostgreSQL reports it. */
async function isolationOf(tx: AppDatabase): Promise<string> {
  const client = (tx as unknown as { $client: { query(text: string): Promise<{ rows: { level: string }[] }> } })
    .$client;
  const { rows } = await client.query("select current_setting('transaction_isolation') as level");
  return rows[0]?.level ?? 'none';
}

/** An error's message and those of the errors it wraps (drizzle wraps the driver's). */
function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
  return messages.join(' / ');
}

/** Writes of one statement on PostgreSQL (db/pg-single-statements.ts): sent alone, outside any transaction. */
describe('writes of one statement on PostgreSQL', () => {
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

  it('go alone, outside the REPEATABLE READ transaction every other write opens', async () => {
    await expect(writes.writeOne(isolationOf)).resolves.toBe('read committed');
    await expect(writes.write(isolationOf)).resolves.toBe('repeatable read');
  });

  it('refuse a second statement, which would commit apart from the first', async () => {
    const twice = writes.writeOne(async (tx) => {
      await claimLease(tx, 'files', 1, 'job-a', 60_000);
      await claimLease(tx, 'files', 2, 'job-a', 60_000);
    });
    expect(messagesOf(await twice.catch((error: unknown) => error))).toMatch(/sent a second one/);
    expect(await rawRows(opened.database, "SELECT id FROM files WHERE lease_owner = 'job-a'")).toEqual([{ id: 1 }]);
  });

  it('are sent again when their connection is lost, and take effect once', async () => {
    // The test's own connection locks the file's row, so the transition waits on it until its session is ended.
    const holder = await opened.server.pool.connect();
    let ended = 0;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM files WHERE id = 1 FOR UPDATE');
      const moving = writes.writeOne((tx) => transitionFile(tx, 1, 'downloading', { reason: 'fetching' }));
      for (let looks = 0; looks < 250 && ended === 0; looks += 1) {
        const [row] = await rawRows<{ ended: number }>(
          opened.database,
          `SELECT count(pg_terminate_backend(pid))::integer AS ended FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'with prev as%'`,
        );
        ended = row?.ended ?? 0;
        if (ended === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Sent again on a new connection, it waits on the row again; the holder lets go.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('COMMIT');
      await expect(moving).resolves.toEqual({ changed: true, from: 'pending' });
    } finally {
      holder.release();
    }
    expect(ended).toBe(1);
    expect((await getOrderEvents(opened.database.db, 'o1')).map((event) => [event.from, event.to])).toEqual([
      ['pending', 'downloading'],
    ]);
  });

  it('wait, recording a path another writer holds uncommitted, and take the next free one once it commits', async () => {
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
