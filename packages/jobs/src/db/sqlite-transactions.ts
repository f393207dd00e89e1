import type Database from 'better-sqlite3';
import type { AppDatabase } from './database.js';
import { withinTransaction, type TransactionRunner, type TransactionWork } from './write-transaction.js';

/**
 * Write transactions on one SQLite connection, one at a time. better-sqlite3 runs statements synchronously, but a
 * transaction's work is asynchronous (the same code runs on PostgreSQL), so between two of its statements other jobs
 * of this process get a turn. Queued here, their transactions wait for this one to end instead of having their
 * statements land inside it. `tx` is the drizzle handle on `connection`.
 */
export function sqliteTransactionRunner(connection: Database.Database, tx: AppDatabase): TransactionRunner {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: TransactionWork<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      // A transaction left open on this connection would turn this one into a part of it, committed by nobody.
      if (connection.inTransaction) throw new Error('a transaction is already open on this connection');
      connection.exec('BEGIN IMMEDIATE');
      try {
        const value = await withinTransaction(tx, async () => work(tx));
        connection.exec('COMMIT');
        return value;
      } catch (error) {
        // Some errors (a full disk, I/O, a failed COMMIT) make SQLite roll back the transaction itself.
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    };
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
}
