import {
  deleteKeysWithPrefix,
  makeTempDir,
  rawRows,
  rawRun,
  redisUrlForTests,
  uniquePrefix,
} from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createQueues,
  createWriteBatcher,
  Failpoints,
  pipelineConfig,
  PipelineMetrics,
  schema,
  SettlesInFlight,
  SourceRegistry,
  type PipelineContext,
  type WriteBatcher,
} from '../src/index.js';
import { inWriteTransaction } from '../src/db/write-transaction.js';
import { settleProduct } from '../src/progress/settle.js';
import { seedOrder } from './support/seed-order.js';
import { openTestState, type TestState } from './support/test-state.js';

/** A promise and the means to settle it from outside, so a test decides when an attempt ends. */
function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('settles of one product in flight in one process', () => {
  it('spare the attempts that come while one that ends the product is running', async () => {
    const settles = new SettlesInFlight();
    const first = gate<boolean>();
    let attempts = 0;
    const attempt = () => {
      attempts += 1;
      return attempts === 1 ? first.promise : Promise.resolve(true);
    };
    const all = Promise.all([settles.settle(1, attempt), settles.settle(1, attempt), settles.settle(1, attempt)]);
    first.open(true);
    await all;
    expect(attempts).toBe(1);
    // Once it has finished, nothing is remembered: a later settle runs its own attempt.
    await settles.settle(1, attempt);
    expect(attempts).toBe(2);
  });

  it('run their own when the one running found a file open or failed, and keep products apart', async () => {
    const settles = new SettlesInFlight();
    const found = gate<boolean>();
    const broke = gate<boolean>();
    const ran: string[] = [];
    const attempt = (label: string, result: Promise<boolean>) => () => {
      ran.push(label);
      return result;
    };
    const openFile = settles.settle(1, attempt('a', found.promise));
    const afterOpen = settles.settle(1, attempt('b', Promise.resolve(true)));
    const failing = settles.settle(2, attempt('c', broke.promise));
    const afterFailure = settles.settle(2, attempt('d', Promise.resolve(true)));
    found.open(false);
    broke.fail(new Error('the database went away'));
    await expect(failing).rejects.toThrow(/went away/);
    await Promise.all([openFile, afterOpen, afterFailure]);
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

/** The core's settle on a real state store of the dialect TEST_DATABASE names, with real queues on Redis. */
describe('a product whose files end together', () => {
  let state: TestState;
  let redis: Redis;
  let redisUrl: string;
  let prefix: string;
  let removeDir: () => Promise<void>;
  let ctx: PipelineContext;
  let transactions: number;

  beforeEach(async () => {
    state = await openTestState('settle');
    const dir = await makeTempDir('settle-downloads');
    removeDir = dir.remove;
    redisUrl = await redisUrlForTests();
    prefix = uniquePrefix('settle');
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const writes = createWriteBatcher(state.database);
    transactions = 0;
    const counted: WriteBatcher = {
      write: (work, options) => {
        transactions += 1;
        return writes.write(work, options);
      },
      writeOne: (work) => writes.writeOne(work),
    };
    const config = pipelineConfig({ downloadDir: dir.path, queuePrefix: prefix });
    ctx = {
      db: state.database.db,
      writes: counted,
      queues: createQueues(redis, { prefix, maxAttempts: config.maxAttempts, services: [] }),
      sources: new SourceRegistry([]),
      config,
      logger: pino({ level: 'silent' }),
      failpoints: new Failpoints(''),
      metrics: new PipelineMetrics({ processMetrics: false }),
      settles: new SettlesInFlight(),
    };
    await seedOrder(
      state.database.db,
      { status: 'running' },
      [{ id: 1, status: 'downloading' }],
      ['a', 'b', 'c'].map((ref) => ({ productId: 1, ref, status: 'complete' as const })),
    );
  });

  afterEach(async () => {
    // The database and the folder go first: whatever failed in the set-up, they are not left behind.
    await state.close();
    await removeDir();
    await ctx.queues.close();
    redis.disconnect();
    await deleteKeysWithPrefix(redisUrl, prefix);
  });

  it('ends it once, in one transaction, and queues its order finalize once', async () => {
    await Promise.all([settleProduct(ctx, 1), settleProduct(ctx, 1), settleProduct(ctx, 1)]);

    expect(transactions).toBe(1);
    expect(await rawRows(state.database, 'SELECT status FROM products WHERE id = 1')).toEqual([{ status: 'complete' }]);
    expect(
      await rawRows(
        state.database,
        "SELECT from_status, to_status FROM events WHERE entity = 'product' AND entity_id = '1' AND kind = 'transition'",
      ),
    ).toEqual([{ from_status: 'downloading', to_status: 'complete' }]);
    const queued = await ctx.queues.control.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(queued.map((job) => job.data)).toEqual([expect.objectContaining({ kind: 'finalize', orderId: 'o1' })]);
  });

  it('is not taken for ended while it is back in preparation (a re-order): each settle then looks for itself', async () => {
    await rawRun(state.database, "UPDATE products SET status = 'preparing' WHERE id = 1");
    await Promise.all([settleProduct(ctx, 1), settleProduct(ctx, 1)]);
    expect(transactions).toBe(2);
    expect(await rawRows(state.database, 'SELECT status FROM products WHERE id = 1')).toEqual([
      { status: 'preparing' },
    ]);
  });

  it('is left downloading while a file is still open, and ended by the settle of that file', async () => {
    await inWriteTransaction(state.database.db, (tx) =>
      tx.insert(schema.files).values({ orderId: 'o1', productId: 1, ref: 'd', status: 'downloading' }),
    );
    await Promise.all([settleProduct(ctx, 1), settleProduct(ctx, 1)]);
    expect(await rawRows(state.database, 'SELECT status FROM products WHERE id = 1')).toEqual([
      { status: 'downloading' },
    ]);

    await rawRun(state.database, "UPDATE files SET status = 'failed', last_error = 'gone' WHERE ref = 'd'");
    await settleProduct(ctx, 1);
    expect(await rawRows(state.database, 'SELECT status, error_message FROM products WHERE id = 1')).toEqual([
      { status: 'failed', error_message: 'file d: gone' },
    ]);
  });
});
