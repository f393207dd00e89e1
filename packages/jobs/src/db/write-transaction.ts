import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppDatabase } from './database.js';

/** Runs `work` inside one write transaction of the database behind a handle, and resolves after it has committed. */
export type TransactionRunner = <T>(work: TransactionWork<T>, options?: TransactionOptions) => Promise<T>;

/** How a transaction reads, where the database lets transactions run side by side (PostgreSQL). */
export interface TransactionOptions {
  /**
   * Its first statement locks the one row it decides about, which every other writer of that row locks or updates
   * too. It then runs at READ COMMITTED: each later statement reads what was committed before it, so a transaction
   * that waited for the lock goes on with the row as the other left it, where REPEATABLE READ would abort it and run
   * it all again. SQLite's transactions run one at a time and need neither.
   */
  locksItsRowFirst?: boolean;
}

/** What a transaction runs: database statements only, one after another. */
export type TransactionWork<T> = (tx: AppDatabase) => T | Promise<T>;

const runners = new WeakMap<AppDatabase, TransactionRunner>();
const statementRunners = new WeakMap<AppDatabase, TransactionRunner>();
const transactionHandles = new WeakSet<AppDatabase>();
/** The transaction the current asynchronous call chain runs in, if any. */
const current = new AsyncLocalStorage<AppDatabase>();
/** The write of one statement the current call chain makes, if any, and how many statements it has sent. */
const oneStatement = new AsyncLocalStorage<{ sent: number }>();

/** Makes `runner` the way `inWriteTransaction` writes through `db`; done once, when the database is opened. */
export function registerTransactionRunner(db: AppDatabase, runner: TransactionRunner): void {
  runners.set(db, runner);
}

/**
 * Makes `runner` the way `inOneStatement` writes through `db`: on PostgreSQL, where a statement sent outside a
 * transaction is committed by itself, the statement alone, without a BEGIN and a COMMIT around it.
 */
export function registerSingleStatementRunner(db: AppDatabase, runner: TransactionRunner): void {
  statementRunners.set(db, runner);
}

/** Runs `work` as the write of one statement of the current call chain (see `inOneStatement`). */
export function asOneStatement<T>(work: () => Promise<T>): Promise<T> {
  return oneStatement.run({ sent: 0 }, work);
}

/** The write of one statement the current call chain makes, if any: its count of statements sent. */
export function oneStatementWrite(): { sent: number } | undefined {
  return oneStatement.getStore();
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

/** The open transaction a write through `db` joins: `db` itself when it is a transaction's handle, or the call chain's. */
function transactionToJoin(db: AppDatabase): AppDatabase | undefined {
  return transactionHandles.has(db) ? db : current.getStore();
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
export async function inWriteTransaction<T>(
  db: AppDatabase,
  work: TransactionWork<T>,
  options?: TransactionOptions,
): Promise<T> {
  const open = transactionToJoin(db);
  if (open) return work(open);
  // Inside a write of one statement, that statement is the transaction.
  if (oneStatement.getStore()) return work(db);
  const runner = runners.get(db);
  if (!runner) throw new Error('this database handle has no transaction runner (open it with openDatabase)');
  return runner(work, options);
}

/**
 * Runs `work`, which sends exactly one statement and may send it twice to the same effect, as one write. Where the
 * database commits a statement sent outside a transaction by itself (PostgreSQL), it is sent so, without the BEGIN
 * and COMMIT that would be two of its three round trips; and as such a statement whose connection is lost may have
 * committed or not, it is sent again, which its caller has promised is safe. Elsewhere (SQLite), and inside a
 * transaction, it is a write like any other.
 */
export async function inOneStatement<T>(db: AppDatabase, work: TransactionWork<T>): Promise<T> {
  const open = transactionToJoin(db);
  if (open) return work(open);
  const runner = statementRunners.get(db);
  return runner ? runner(work) : inWriteTransaction(db, work);
}
