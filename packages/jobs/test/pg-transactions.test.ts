import { closedPort, rawRows, type TestDatabase } from '@onc-orders/testkit';
import { eq, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  inWriteTransaction,
  openPostgresDatabase,
  tablesOf,
  type AppDatabase,
  type PostgresDatabase,
} from '../src/index.js';
import { openPostgresWithOrder } from './support/postgres-with-order.js';

/** PostgreSQL's transactions as the core runs them (db/pg-transactions.ts), on the real server. */
describe('transactions on PostgreSQL', () => {
  let server: TestDatabase;
  let database: PostgresDatabase;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ server, database, close } = await openPostgresWithOrder({ poolMax: 6, status: 'queued' }));
  });
  afterEach(() => close());

  /** drizzle wraps a driver's error in its own ("Failed query: …"): the reason is in a cause. */
  const reasons = async (work: Promise<unknown>): Promise<string> => {
    const error = await work.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    const messages: string[] = [];
    for (let cause = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
    return messages.join(' ← ');
  };

  const generation = async () => {
    const [row] = await rawRows<{ generation: number }>(database, 'SELECT generation FROM orders WHERE id = ?', 'o1');
    return row?.generation;
  };

  /**
   * Read, wait, write: under REPEATABLE READ the later of two such writers is aborted (40001) and runs again.
   * `onRun` hears of every run.
   */
  const bump = (onRun: () => void = () => undefined) => {
    const { orders } = tablesOf(database.db);
    return inWriteTransaction(database.db, async (tx) => {
      onRun();
      const [row] = await tx.select({ generation: orders.generation }).from(orders).where(eq(orders.id, 'o1'));
      await new Promise((resolve) => setTimeout(resolve, 30));
      await tx
        .update(orders)
        .set({ generation: (row?.generation ?? 0) + 1 })
        .where(eq(orders.id, 'o1'));
    });
  };

  it('runs again a transaction that lost a race for a row, so no write is lost', async () => {
    let runs = 0;
    const counted = () => bump(() => (runs += 1));
    await Promise.all([counted(), counted(), counted(), counted()]);
    expect(await generation()).toBe(4);
    expect(runs).toBeGreaterThan(4);
  });

  it('gives its connection back after a conflict or a failed work, and drops one whose server process died', async () => {
    const { orders } = tablesOf(database.db);
    let removed = 0;
    database.pool.on('remove', () => {
      removed += 1;
    });
    /** The transaction's handle as what it is on this dialect, for statements drizzle has no builder for. */
    const raw = (tx: AppDatabase) => tx as unknown as NodePgDatabase;
    // Conflicts (40001, wrapped by drizzle), a work's own error, a statement the server refuses.
    await Promise.all([bump(), bump(), bump(), bump(), bump()]);
    await expect(
      inWriteTransaction(database.db, async (tx) => {
        await tx.update(orders).set({ generation: 99 }).where(eq(orders.id, 'o1'));
        throw new Error('the job changed its mind');
      }),
    ).rejects.toThrow(/changed its mind/);
    expect(await reasons(inWriteTransaction(database.db, (tx) => raw(tx).execute(sql`SELECT 1/0`)))).toMatch(
      /division by zero/,
    );
    expect(await generation()).toBe(5);
    expect(removed).toBe(0);

    // A connection whose server process is gone cannot be given back: the pool drops it, and the work, which had
    // not reached its COMMIT, runs again on a new connection.
    let tries = 0;
    await inWriteTransaction(database.db, async (tx) => {
      tries += 1;
      if (tries === 1) {
        const own = await raw(tx).execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
        await server.pool.query('SELECT pg_terminate_backend($1)', [own.rows[0]?.pid]);
      }
      await tx.update(orders).set({ generation: 42 }).where(eq(orders.id, 'o1'));
    });
    expect(tries).toBe(2);
    expect(await generation()).toBe(42);
    expect(removed).toBe(1);
  });

  it('runs a transaction again while the server cannot be reached, and gives up after a few seconds', async () => {
    const { orders } = tablesOf(database.db);
    // Every session of the database ended at once, as a restart does: the work's connection and the idle ones.
    let tries = 0;
    await inWriteTransaction(database.db, async (tx) => {
      tries += 1;
      if (tries <= 2)
        await server.pool.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
      await tx.update(orders).set({ generation: tries }).where(eq(orders.id, 'o1'));
    });
    expect(tries).toBe(3);
    expect(await generation()).toBe(3);

    // A server that never answers: the work is not run at all, and the failure says why.
    const unreachable = await openPostgresDatabase(`postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`, {
      migrate: false,
    });
    const began = Date.now();
    try {
      expect(await reasons(inWriteTransaction(unreachable.db, () => Promise.resolve()))).toMatch(/ECONNREFUSED/);
    } finally {
      await unreachable.close();
    }
    expect(Date.now() - began).toBeGreaterThan(3_000);
  }, 30_000);

  it('refuses two statements at once on one transaction, and rolls it back', async () => {
    const { orders } = tablesOf(database.db);
    const failed = inWriteTransaction(database.db, async (tx) => {
      await tx.update(orders).set({ generation: 7 }).where(eq(orders.id, 'o1'));
      await Promise.all([tx.select().from(orders), tx.select().from(orders)]);
    });
    expect(await reasons(failed)).toMatch(/two statements at once/);
    expect(await generation()).toBe(0);
  });

  it('refuses a statement through a transaction that has ended', async () => {
    const { orders } = tablesOf(database.db);
    let kept: AppDatabase | undefined;
    await inWriteTransaction(database.db, (tx) => {
      kept = tx;
      return Promise.resolve();
    });
    if (!kept) throw new Error('the transaction did not run');
    const after = kept;
    expect(await reasons(Promise.resolve().then(() => after.select().from(orders)))).toMatch(/already ended/);
  });

  it('stores a NUL of a server-sent text as U+FFFD instead of failing the statement', async () => {
    const { orders } = tablesOf(database.db);
    await inWriteTransaction(database.db, (tx) =>
      tx.update(orders).set({ label: 'nul\u0000byte' }).where(eq(orders.id, 'o1')),
    );
    await database.db.update(orders).set({ errorMessage: 'also\u0000here' }).where(eq(orders.id, 'o1'));
    expect(await rawRows(database, 'SELECT label, error_message FROM orders')).toEqual([
      { label: 'nul\uFFFDbyte', error_message: 'also\uFFFDhere' },
    ]);
  });
});
