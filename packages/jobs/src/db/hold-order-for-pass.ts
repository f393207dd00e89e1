import type pg from 'pg';
import { watchForConnectionLoss } from './connection-loss.js';
import type { AppDatabase } from './database.js';
import { dialectOf } from './tables.js';

/**
 * Runs `pass` over one order unless another host's pass holds it, and then returns undefined. On PostgreSQL the
 * order's row is locked (`FOR NO KEY UPDATE SKIP LOCKED`) on a connection of its own for as long as the pass runs, so
 * passes that start at once on several hosts (a wiped Redis lost the fleet's turn) split the orders between them
 * instead of each doing all of them. On SQLite the fleet is one host, and the turn in Redis is enough.
 *
 * The lock is the weaker of PostgreSQL's two exclusive row locks: rows that reference the order (its products,
 * files, history) can still be written meanwhile, by this pass and by every host, since their foreign keys take
 * only a key-share lock on it. `pass` must not update the order's row itself: the lock is held by another connection
 * than its writes, which would wait for it forever.
 */
export async function holdOrderForPass<T>(
  db: AppDatabase,
  orderId: string,
  pass: () => Promise<T>,
): Promise<T | undefined> {
  if (dialectOf(db) !== 'postgres') return pass();
  // The pool the handle was opened on (open-postgres-database.ts), behind drizzle's `$client`.
  const pool = (db as unknown as { $client: Pick<pg.Pool, 'connect'> }).$client;
  const client = await pool.connect();
  const watch = watchForConnectionLoss(client);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const locked = await client.query('SELECT id FROM orders WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED', [orderId]);
    return locked.rowCount === 1 ? await pass() : undefined;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // The pass read and wrote through other connections: this transaction only held the lock, and ending it lets go.
    if (!broken) await client.query('COMMIT').catch((error: unknown) => (broken = error as Error));
    broken ??= watch.stop();
    client.release(broken);
  }
}
