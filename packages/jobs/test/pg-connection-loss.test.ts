import { rawRows, type TestDatabase } from '@onc-orders/testkit';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostgresDatabase } from '../src/index.js';
import { openPostgresWithOrder } from './support/postgres-with-order.js';

/** Statements outside transactions when the server ends their connection (db/reads-again-after-connection-loss.ts). */
describe('a connection lost under a statement outside any transaction, on PostgreSQL', () => {
  let server: TestDatabase;
  let database: PostgresDatabase;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ server, database, close } = await openPostgresWithOrder({ poolMax: 4, status: 'queued' }));
  });
  afterEach(() => close());

  const raw = () => database.db as unknown as NodePgDatabase;

  /** Ends the session running a statement that holds `marker`, once it is running; how many it ended. */
  const endSessionRunning = async (marker: string): Promise<number> => {
    for (let looks = 0; looks < 250; looks += 1) {
      const [row] = await rawRows<{ ended: number }>(
        { dialect: 'postgres', pool: server.pool },
        `SELECT count(pg_terminate_backend(pid))::integer AS ended FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND query LIKE ?`,
        `%${marker}%`,
      );
      if ((row?.ended ?? 0) > 0) return row?.ended ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return 0;
  };

  it('sends a read again on a new connection, and answers it', async () => {
    // drizzle sends a statement only once its promise is listened to.
    const read = raw()
      .execute<{ marker: string }>(sql`SELECT pg_sleep(0.3), 'read-under-test' AS marker`)
      .then((answer) => answer.rows[0]?.marker);
    expect(await endSessionRunning('read-under-test')).toBe(1);
    expect(await read).toBe('read-under-test');
  });

  it('does not send a write again: it may have committed, and the caller hears of the loss', async () => {
    const write = raw().execute(
      sql`UPDATE orders SET generation = generation + 1 WHERE id = 'o1' AND pg_sleep(0.3) IS NOT NULL AND 'write-under-test' <> ''`,
    );
    const failure = write.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(await endSessionRunning('write-under-test')).toBe(1);
    expect(await failure).toBeInstanceOf(Error);
    const [row] = await rawRows<{ generation: number }>(database, 'SELECT generation FROM orders');
    expect(row?.generation).toBe(0);
  });
});
