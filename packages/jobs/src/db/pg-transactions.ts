import { setTimeout as sleep } from 'node:timers/promises';
import { drizzle } from 'drizzle-orm/node-postgres';
import pLimit from 'p-limit';
import type pg from 'pg';
import {
  isConnectionFailure,
  maxTriesAfterConnectionLoss,
  waitAfterConnectionLossMs,
  watchForConnectionLoss,
} from './connection-loss.js';
import type { AppDatabase } from './database.js';
import * as pgSchema from './pg-schema.js';
import { storableParameters } from './pg-text-parameters.js';
import {
  markTransactionHandle,
  withinTransaction,
  type TransactionOptions,
  type TransactionRunner,
  type TransactionWork,
} from './write-transaction.js';

/**
 * One pooled connection while a transaction of this process holds it. The drizzle handle over it is made once per
 * connection (so statements prepared on it are reused, as PostgreSQL keeps them per connection), and it answers only
 * while a transaction is open: drizzle's own `tx` keeps working after COMMIT, outside any transaction (drizzle-orm
 * #6083), and a statement sent then would land on a connection another job may already hold.
 */
interface LeasedConnection {
  handle: AppDatabase;
  open: boolean;
}

const leased = new WeakMap<pg.PoolClient, LeasedConnection>();

type Query = (...args: unknown[]) => Promise<unknown>;

/**
 * The connection's `query`, refusing what a transaction must not do: a statement after the transaction ended, and a
 * statement while another of the same transaction is still running (`Promise.all` over one `tx`: drizzle-orm #5814).
 * Both would fail only now and then, under load; refused, they fail every time.
 */
function guardedQuery(client: pg.PoolClient, currentLease: () => LeasedConnection | undefined): Query {
  let running = 0;
  return async (config, values, ...rest) => {
    if (!currentLease()?.open) throw new Error('a statement was sent through a transaction that has already ended');
    if (running > 0)
      throw new Error('a transaction ran two statements at once: its statements must run one after another');
    running += 1;
    try {
      return await (client.query as Query).call(client, config, storableParameters(values), ...rest);
    } finally {
      running -= 1;
    }
  };
}

function leaseOf(client: pg.PoolClient): LeasedConnection {
  let lease = leased.get(client);
  if (!lease) {
    const guarded = { query: guardedQuery(client, () => lease) };
    const handle = drizzle({ client: guarded as unknown as pg.PoolClient, schema: pgSchema });
    lease = { handle: handle as unknown as AppDatabase, open: false };
    markTransactionHandle(lease.handle);
    leased.set(client, lease);
  }
  return lease;
}

/**
 * Write transactions on PostgreSQL: each on a connection of its own from the pool, so the jobs of a process commit
 * side by side and the server's row locks, not one lock for the whole database as in SQLite, decide who waits.
 *
 * REPEATABLE READ, because the core's transactions were written for SQLite's, which see one snapshot from start to
 * end: a transition reads a status and writes the next one, a settle reads a product's files and ends it. Under
 * READ COMMITTED two hosts could both read the old status and both move on; here the second to write a row that
 * changed since its snapshot is aborted (SQLSTATE 40001, or 40P01 for a deadlock), and its work, which holds nothing
 * but database statements, runs again from the start and sees what the other committed. SERIALIZABLE would also
 * catch two transactions that each read what the other writes, but its predicate locks turn every scan of a small
 * table into a conflict with every writer of it, and the core has no such pair: a settle runs after the writes it
 * looks at have committed.
 *
 * A transaction whose connection is lost before its COMMIT is sent (the server restarts, fails over, or ends the
 * session) also runs again, on a new connection, for a few seconds: nothing of it committed.
 *
 * The connection is taken and given back here rather than by drizzle's `transaction()`, whose failed BEGIN leaks the
 * connection (drizzle-orm #6023): whatever fails, it goes back, and one left in doubt is destroyed, not reused.
 */
export function pgTransactionRunner(pool: pg.Pool, poolMax: number): TransactionRunner {
  // A transaction's job may read through the pool while it holds its own connection: were every connection held by
  // a transaction, those reads would wait for a connection that only their own transactions can give back.
  const transactions = pLimit(Math.max(1, poolMax - 2));
  return <T>(work: TransactionWork<T>, options?: TransactionOptions): Promise<T> =>
    transactions(() => runAgainWhileSafe(() => runOnOwnConnection(pool, work, options)));
}

/** A transaction that lost a race for a row runs again up to this many times in all. */
const maxConflictTries = 30;

/**
 * Tries `attempt` until it succeeds, running it again after a conflict (up to `maxConflictTries` in all) and after a
 * lost connection it says is safe to run again (for about 11 s); any other failure goes to the caller.
 */
export async function runAgainWhileSafe<T>(attempt: () => Promise<Attempt<T>>): Promise<T> {
  let conflicts = 0;
  let losses = 0;
  for (;;) {
    const tried = await attempt();
    if (tried.ok) return tried.value;
    if (isSerializationFailure(tried.error) && ++conflicts < maxConflictTries) {
      // Spread out, so the writes that collided do not collide again at once.
      await sleep(Math.random() * Math.min(100, 2 ** conflicts));
    } else if (tried.mayRunAgain && ++losses < maxTriesAfterConnectionLoss) {
      // Run again on a new connection, rather than fail a job whose state (a verified file in hand, a request ONC
      // answered) would be lost with it.
      await sleep(waitAfterConnectionLossMs(losses));
    } else {
      throw tried.error;
    }
  }
}

/**
 * One try of a write. `mayRunAgain`: its connection was lost, and running it again is safe. For a transaction, the
 * connection failed, or could not be had, before COMMIT was sent, so none of the work's writes can have committed;
 * a connection lost during COMMIT leaves the outcome unknown, and that failure goes to the caller.
 */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown; mayRunAgain: boolean };

async function runOnOwnConnection<T>(
  pool: pg.Pool,
  work: TransactionWork<T>,
  options: TransactionOptions | undefined,
): Promise<Attempt<T>> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    return { ok: false, error, mayRunAgain: isConnectionFailure(error) };
  }
  const lease = leaseOf(client);
  const watch = watchForConnectionLoss(client);
  let broken: Error | undefined;
  let commitSent = false;
  /**
   * BEGIN, COMMIT and ROLLBACK. One that fails on the socket, not by the server's answer, leaves the connection's
   * state unknown, and the connection is destroyed rather than given back. The work's own errors (a conflict, a state
   * the job did not expect) leave it sound once rolled back: destroying it for them would make the pool start a new
   * server process, with none of the prepared statements, for every conflict.
   */
  const control = async (statement: string): Promise<void> => {
    try {
      await client.query(statement);
    } catch (error) {
      if (!hasSqlState(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  };
  try {
    await control(`BEGIN ISOLATION LEVEL ${options?.locksItsRowFirst ? 'READ COMMITTED' : 'REPEATABLE READ'}`);
    lease.open = true;
    let value: T;
    try {
      value = await withinTransaction(lease.handle, async () => work(lease.handle));
    } catch (error) {
      await control('ROLLBACK').catch(() => undefined);
      throw error;
    }
    commitSent = true;
    await control('COMMIT');
    return { ok: true, value };
  } catch (error) {
    broken ??= watch.lostWith();
    return { ok: false, error, mayRunAgain: !commitSent && (broken !== undefined || isConnectionFailure(error)) };
  } finally {
    lease.open = false;
    broken ??= watch.stop();
    client.release(broken);
  }
}

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Errors with a SQLSTATE come from the server, which is still talking; others come from the socket. */
function hasSqlState(error: unknown): boolean {
  return sqlStateOf(error) !== undefined;
}

/** drizzle wraps the driver's error in its own "Failed query" error, with the driver's as the cause. */
function isSerializationFailure(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const state = sqlStateOf(cause);
    if (state === '40001' || state === '40P01') return true;
  }
  return false;
}
