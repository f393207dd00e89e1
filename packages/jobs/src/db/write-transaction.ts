import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppDatabase } from './database.js';

/** Runs `work` inside one write transaction of the database behind a handle, and resolves after it has committed. */
export type TransactionRunner = <T>(work: TransactionWork<T>) => Promise<T>;

/** What a transaction runs: database statements only, one after another. */
export type TransactionWork<T> = (tx: AppDatabase) => T | Promise<T>;

const runners = new WeakMap<AppDatabase, TransactionRunner>();
const transactionHandles = new WeakSet<AppDatabase>();
/** The transaction the current asynchronous call chain runs in, if any. */
const current = new AsyncLocalStorage<AppDatabase>();

/** Makes `runner` the way `inWriteTransaction` writes through `db`; done once, when the database is opened. */
export function registerTransactionRunner(db: AppDatabase, runner: TransactionRunner): void {
  runners.set(db, runner);
}

/** Marks a handle as one that runs inside an open transaction, so work given it joins that transaction. */
export function markTransactionHandle(tx: AppDatabase): void {
  transactionHandles.add(tx);
}

/** Runs `work` as the transaction of the current call chain: a write through any handle inside it joins it. */
export function withinTransaction<T>(tx: AppDatabase, work: () => Promise<T>): Promise<T> {
  return current.run(tx, work);
}

/** The transaction the current call chain runs in, if any. */
export function openTransaction(): AppDatabase | undefined {
  return current.getStore();
}

/**
 * Runs `work` in a write transaction and resolves once it has committed: in a new one (IMMEDIATE on SQLite, so two
 * processes cannot both read a row and both act on what they read), or as part of the transaction the caller is
 * already in, whether it passes that transaction's handle or the database's. A nested savepoint would only add
 * statements: the caller's transaction already makes the whole of it atomic.
 *
 * `work` must do nothing but database statements, one after another: a transaction holds the database's write lock
 * (SQLite) or a pooled connection (PostgreSQL) until it ends, and statements on one transaction are never concurrent.
 */
export async function inWriteTransaction<T>(db: AppDatabase, work: TransactionWork<T>): Promise<T> {
  if (transactionHandles.has(db)) return work(db);
  const open = current.getStore();
  if (open) return work(open);
  const runner = runners.get(db);
  if (!runner) throw new Error('this database handle has no transaction runner (open it with openDatabase)');
  return runner(work);
}
