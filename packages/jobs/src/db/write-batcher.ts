import type { OpenedDatabase, SqliteDatabase } from './open-database.js';
import {
  inOneStatement,
  inWriteTransaction,
  openTransaction,
  type TransactionOptions,
  type TransactionWork,
} from './write-transaction.js';

/** A unit of writes that must commit together or not at all; it is handed a handle inside a write transaction. */
export type WriteWork<T> = TransactionWork<T>;

export interface WriteBatcher {
  /**
   * Runs `work` in a write transaction and resolves once that transaction has committed, with what `work` returned.
   * It rejects with `work`'s error, in which case none of `work`'s writes remain. Asked for inside a transaction,
   * `work` joins it. `options` say how it reads on PostgreSQL (see TransactionOptions).
   */
  write<T>(work: WriteWork<T>, options?: TransactionOptions): Promise<T>;
  /**
   * The same for a `work` that sends exactly one statement, and that may be sent twice to the same effect (a
   * conditional claim, a transition, a column set to a value). On PostgreSQL it is sent alone, outside any
   * transaction, and again if its connection is lost (`inOneStatement`); a second statement is refused. On SQLite it
   * joins the group commit as any write does.
   */
  writeOne<T>(work: WriteWork<T>): Promise<T>;
}

interface PendingWrite {
  work: WriteWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * How the jobs of one process commit: grouped on SQLite (below); on PostgreSQL each write is a transaction of its
 * own, on a pooled connection of its own. There the server takes many commits at once and locks rows, not the whole
 * database, so waiting to share a commit would only add the wait.
 */
export function createWriteBatcher(database: OpenedDatabase): WriteBatcher {
  if (database.dialect === 'postgres')
    return {
      write: <T>(work: WriteWork<T>, options?: TransactionOptions): Promise<T> =>
        inWriteTransaction(database.db, work, options),
      writeOne: <T>(work: WriteWork<T>): Promise<T> => inOneStatement(database.db, work),
    };
  return createGroupCommit(database);
}

/**
 * Group commit for one process. Every write the jobs of this process ask for during one turn of the event loop
 * commits in a single IMMEDIATE transaction at the end of that turn, each in its own savepoint so that one failing
 * write undoes only itself.
 *
 * Why: several worker processes share one SQLite file, and with dozens of jobs in flight a process made thousands of
 * small transactions a second. Each one queues for the file's single write lock (a process that finds it taken
 * sleeps for at least a millisecond), writes its pages to the WAL, and makes every other process drop its page cache.
 * A batch pays that once for all its writes. A job waits at most one event-loop turn for its write, which it would
 * spend waiting for any other I/O anyway, and its promise resolves only after COMMIT, so what it does next (queueing
 * the next job, renaming a file) still happens strictly after its state is committed.
 */
function createGroupCommit(database: Pick<SqliteDatabase, 'db' | 'sqlite'>): WriteBatcher {
  // One opened database: the drizzle handle and the better-sqlite3 connection under it, so they cannot be mismatched.
  const { db, sqlite: connection } = database;
  let pending: PendingWrite[] = [];

  const runBatch = (batch: readonly PendingWrite[]): Promise<Settled[]> =>
    inWriteTransaction(db, async (tx) => {
      const settled: Settled[] = [];
      // One after another: the batch's statements share one connection.
      for (const item of batch) {
        connection.exec('SAVEPOINT batched_write');
        try {
          const value = await item.work(tx);
          connection.exec('RELEASE batched_write');
          settled.push({ ok: true, value });
        } catch (error) {
          // Some errors (a full disk, I/O) make SQLite roll the whole transaction back: nothing of the batch stands.
          if (!connection.inTransaction) throw error;
          connection.exec('ROLLBACK TO batched_write');
          connection.exec('RELEASE batched_write');
          settled.push({ ok: false, error });
        }
      }
      return settled;
    });

  const flush = async () => {
    const batch = pending;
    pending = [];
    let settled: Settled[];
    try {
      settled = await runBatch(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, position) => {
      const outcome = settled[position];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome ? outcome.error : new Error('write was not run'));
    });
  };

  const write = async <T>(work: WriteWork<T>): Promise<T> => {
    // Waiting for the next batch from inside a transaction would wait for that transaction's own end.
    if (openTransaction()) return inWriteTransaction(db, work);
    return new Promise<T>((resolve, reject) => {
      if (pending.length === 0) setImmediate(() => void flush());
      pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  };
  return { write, writeOne: write };
}
