import { AsyncResource } from 'node:async_hooks';
import DataLoader from 'dataloader';
import type { AppDatabase } from './database.js';

/**
 * A read of one row (or one fact) by key that can also be made for many keys in one statement. Each round trip to
 * PostgreSQL wakes both the worker and a server process, and on a busy worker dozens of jobs ask the same question
 * of different rows in one turn of the event loop: asked together, they cost one round trip instead of dozens.
 */
export interface KeyedRead<K, V> {
  /** Names the read's batches: one per database handle and name. */
  name: string;
  /** The read for one key, as every database and every transaction can make it. */
  one(db: AppDatabase, key: K): Promise<V>;
  /** The read for many keys in one statement, the answers in the keys' order (PostgreSQL's pool only). */
  many(db: AppDatabase, keys: readonly K[]): Promise<V[]>;
}

/** The handles whose reads go out together, with their batches by read. */
const batching = new WeakMap<AppDatabase, Map<string, DataLoader<unknown, unknown>>>();

/** A batch's statement is sent outside any call chain's write of one statement or transaction, as its own read. */
const outsideEveryCall = AsyncResource.bind((send: () => void) => send());

/** Up to this many keys go in one statement: a longer list of parameters only costs the server more to plan. */
const maxBatchSize = 200;

/**
 * Makes the reads through `db` (PostgreSQL's pool, not a transaction) go out together: the keys asked for while the
 * event loop handles one round of I/O are read in one statement just after it, as fresh as if each was read alone.
 */
export function batchReadsOn(db: AppDatabase): void {
  batching.set(db, new Map());
}

/** Reads `key`: with the other keys asked for in this turn where `db` batches its reads, alone elsewhere. */
export function readByKey<K, V>(db: AppDatabase, read: KeyedRead<K, V>, key: K): Promise<V> {
  const batches = batching.get(db);
  if (!batches) return read.one(db, key);
  let loader = batches.get(read.name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>((keys) => read.many(db, keys), {
      // Every read asks the database again: a cached answer would be a stale one.
      cache: false,
      maxBatchSize,
      batchScheduleFn: (send) => setImmediate(outsideEveryCall, send),
    });
    batches.set(read.name, loader);
  }
  return loader.load(key);
}

/** A batch's answers in its keys' order, from rows in any order; a key with no row gets `missing`. */
export function inKeyOrder<K, R, V = R | undefined>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  present: (row: R) => V = (row) => row as unknown as V,
  missing?: V,
): V[] {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => {
    const row = byKey.get(key);
    return row === undefined ? (missing as V) : present(row);
  });
}
