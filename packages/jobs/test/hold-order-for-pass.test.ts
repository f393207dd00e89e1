import type { TestDatabase } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdOrderForPass } from '../src/db/hold-order-for-pass.js';
import { inWriteTransaction, tablesOf, type PostgresDatabase } from '../src/index.js';
import { openPostgresWithOrder } from './support/postgres-with-order.js';

/** The reconciler's claim on an order (FOR UPDATE SKIP LOCKED), between two hosts' passes, on the real server. */
describe("the reconciler's hold on an order, on PostgreSQL", () => {
  let server: TestDatabase;
  let database: PostgresDatabase;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ server, database, close } = await openPostgresWithOrder({ poolMax: 4, status: 'running' }));
  });
  afterEach(() => close());

  it('skips an order another pass holds, without waiting for it, and takes it once that pass has ended', async () => {
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const first = holdOrderForPass(database.db, 'o1', async () => {
      firstStarted();
      await firstHolds;
      return 'first';
    });
    await started;
    const began = Date.now();
    expect(await holdOrderForPass(database.db, 'o1', () => Promise.resolve('second'))).toBeUndefined();
    expect(Date.now() - began).toBeLessThan(1_000);
    releaseFirst();
    expect(await first).toBe('first');
    expect(await holdOrderForPass(database.db, 'o1', () => Promise.resolve('third'))).toBe('third');
  });

  it('lets the pass read and write other rows of the order while it holds it', async () => {
    const { orders, events } = tablesOf(database.db);
    const result = await holdOrderForPass(database.db, 'o1', async () => {
      await inWriteTransaction(database.db, (tx) =>
        tx.insert(events).values({ orderId: 'o1', entity: 'order', entityId: 'o1', kind: 'note', reason: 'pass' }),
      );
      return (await database.db.select().from(orders)).length;
    });
    expect(result).toBe(1);
  });

  it('survives the server ending the held connection mid-pass: the pass ends, the next one gets a new connection', async () => {
    let removed = 0;
    database.pool.on('remove', () => {
      removed += 1;
    });
    const result = await holdOrderForPass(database.db, 'o1', async () => {
      // The hold's connection is the one idle inside its transaction, having locked the order.
      const ended = await server.pool.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%SKIP LOCKED%'`,
      );
      expect(ended.rows).toEqual([{ ended: true }]);
      // Time for the client to hear of it, while the pass is still going, as a long pass would.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return 'done';
    });
    expect(result).toBe('done');
    expect(removed).toBe(1);
    expect(await holdOrderForPass(database.db, 'o1', () => Promise.resolve('again'))).toBe('again');
  });
});
