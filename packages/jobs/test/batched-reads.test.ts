import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findFileWithOwners,
  findOrder,
  findProductWithOrder,
  hasOpenFiles,
  hasOpenProducts,
} from '../src/db/repository.js';
import type { AppDatabase } from '../src/db/database.js';
import { inWriteTransaction, schema } from '../src/index.js';
import { claimLease, releaseLease } from '../src/state/leases.js';
import { openPostgresWithOrder, type PostgresWithOrder } from './support/postgres-with-order.js';

/** `read` for each key: all at once, or one after another as a transaction's statements must go. */
async function forEach<K, V>(keys: K[], read: (key: K) => Promise<V>, together: boolean): Promise<V[]> {
  if (together) return Promise.all(keys.map(read));
  const answers: V[] = [];
  for (const key of keys) answers.push(await read(key));
  return answers;
}

/** Every read the batched path serves, for keys that exist and keys that do not (a key asked twice among them). */
async function readEverything(db: AppDatabase, together: boolean) {
  const reads = {
    fileRows: () => forEach([1, 2, 3, 99], (id) => findFileWithOwners(db, id), together),
    openFiles: () => forEach([1, 2, 99], (id) => hasOpenFiles(db, id), together),
    openProducts: () => forEach(['o1', 'o2', 'none'], (id) => hasOpenProducts(db, id), together),
    orders: () => forEach(['o1', 'o2', 'none'], (id) => findOrder(db, id), together),
    products: () => forEach([1, 2, 1, 99], (id) => findProductWithOrder(db, id), together),
  };
  const answers: Record<string, unknown> = {};
  await forEach(
    Object.entries(reads),
    async ([name, read]) => {
      answers[name] = await read();
    },
    together,
  );
  return answers as { [K in keyof typeof reads]: Awaited<ReturnType<(typeof reads)[K]>> };
}

/** The reads every job makes, asked together on PostgreSQL's pool (db/batched-reads.ts). */
describe('reads batched on PostgreSQL', () => {
  let opened: PostgresWithOrder;
  let statements: string[];
  beforeEach(async () => {
    opened = await openPostgresWithOrder({ poolMax: 4, status: 'running' });
    await inWriteTransaction(opened.database.db, async (tx) => {
      await tx
        .insert(schema.orders)
        .values({ id: 'o2', status: 'completed', spec: '{}', submittedSpec: '{}', productCount: 1 });
      await tx.insert(schema.products).values([
        { id: 1, orderId: 'o1', ordinal: 0, params: '{}', status: 'downloading' },
        { id: 2, orderId: 'o2', ordinal: 0, params: '{}', status: 'complete' },
      ]);
      await tx.insert(schema.files).values([
        { id: 1, orderId: 'o1', productId: 1, ref: 'a', status: 'pending' },
        { id: 2, orderId: 'o1', productId: 1, ref: 'b', status: 'complete' },
        { id: 3, orderId: 'o2', productId: 2, ref: 'c', status: 'complete' },
      ]);
    });
    // Each statement the core's handle sends through its pool, seen on its way to the real server.
    statements = [];
    const pool = opened.database.pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as string | { text: string };
      statements.push(typeof config === 'string' ? config : config.text);
      return query(...args);
    };
  });
  afterEach(() => opened.close());

  it('answer as the reads of one key do, in one statement per kind of read', async () => {
    const batched = await readEverything(opened.database.db, true);
    const sent = statements.length;
    // Inside a transaction each read goes alone (a transaction's statements are sent one after another).
    const alone = await inWriteTransaction(opened.database.db, (tx) => readEverything(tx, false));

    expect(batched).toEqual(alone);
    expect(batched.fileRows.map((row) => row && [row.file.ref, row.product.id, row.order.id])).toEqual([
      ['a', 1, 'o1'],
      ['b', 1, 'o1'],
      ['c', 2, 'o2'],
      undefined,
    ]);
    expect(batched.openFiles).toEqual([true, false, false]);
    expect(batched.openProducts).toEqual([true, false, false]);
    expect(batched.orders.map((order) => order?.status)).toEqual(['running', 'completed', undefined]);
    expect(batched.products.map((found) => found?.product.status)).toEqual([
      'downloading',
      'complete',
      'downloading',
      undefined,
    ]);
    // 17 reads of five kinds.
    expect(sent).toBe(5);
  });

  it('read a lease holder fresh, together with the others asked for in the same turn', async () => {
    const db = opened.database.db;
    await claimLease(db, 'files', 1, 'job-a', 60_000);
    await claimLease(db, 'files', 2, 'job-b', 60_000);
    statements.length = 0;
    // job-a releases its own lease; job-c holds none of them, so nothing is written for it.
    await Promise.all([releaseLease(db, 'files', 1, 'job-a'), releaseLease(db, 'files', 2, 'job-c')]);
    const reads = statements.filter((text) => /^\s*select/i.test(text));
    expect(reads).toHaveLength(1);
    const owners = await db.select({ id: schema.files.id, owner: schema.files.leaseOwner }).from(schema.files);
    expect(owners.sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, owner: null },
      { id: 2, owner: 'job-b' },
      { id: 3, owner: null },
    ]);
  });
});
