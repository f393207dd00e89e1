import { rawRows, rawRun } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettlesInFlight, type PipelineContext } from '../src/index.js';
import { settleProduct } from '../src/progress/settle.js';
import { openCoreContext, type CoreContext } from './support/core-context.js';
import { seedOrder } from './support/seed-order.js';
import type { TestState } from './support/test-state.js';

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
  let core: CoreContext;
  let ctx: PipelineContext;
  let state: TestState;

  beforeEach(async () => {
    core = await openCoreContext('settle');
    ({ ctx, state } = core);
    await seedOrder(
      state.database.db,
      { status: 'running' },
      [{ id: 1, status: 'downloading' }],
      ['a', 'b', 'c'].map((ref) => ({ productId: 1, ref, status: 'complete' as const })),
    );
  });
  afterEach(() => core.close());

  it('ends it once, in one transaction, and queues its order finalize once', async () => {
    await Promise.all([settleProduct(ctx, 1), settleProduct(ctx, 1), settleProduct(ctx, 1)]);

    expect(core.writesAsked.transactions).toBe(1);
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
    expect(core.writesAsked.transactions).toBe(2);
    expect(await rawRows(state.database, 'SELECT status FROM products WHERE id = 1')).toEqual([
      { status: 'preparing' },
    ]);
  });

  it('is left downloading while a file is still open, and ended by the settle of that file', async () => {
    await rawRun(
      state.database,
      "INSERT INTO files (order_id, product_id, ref, status) VALUES ('o1', 1, 'd', 'downloading')",
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
