import { rawRows, rawRun } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOrderEvents } from '../src/index.js';
import type { ProductRow } from '../src/db/schema.js';
import { findProduct } from '../src/db/repository.js';
import { applyPrepareOutcome } from '../src/progress/apply-prepare-outcome.js';
import { openCoreContext, type CoreContext } from './support/core-context.js';
import { seedOrder } from './support/seed-order.js';
import { stepSource as source } from './support/step-source.js';

/**
 * A step's outcomes that move a product on (the next step, its downloads), committed by the core
 * (progress/apply-prepare-outcome.ts) on either store: written where the step found the product, without reading it
 * again first, and decided by the transaction's read when the product moved meanwhile.
 */
describe('a step that moves its product on', () => {
  let core: CoreContext;
  let found: ProductRow;
  const products = () =>
    rawRows<{ status: string; step: number; state: string }>(
      core.state.database,
      'SELECT status, step, state FROM products',
    );
  const queued = async () =>
    (await core.ctx.queues.control.getJobs(['waiting', 'prioritized', 'delayed'])).map((job) => job.data);
  const history = async () =>
    (await getOrderEvents(core.ctx.db, 'o1')).map((event) => [event.kind, event.from, event.to, event.reason]);

  /** A first step's outcome: the service accepted the request. */
  const accepted = { kind: 'continue', state: 'requested', reason: 'the service took the request' } as const;

  const seed = async (status: 'pending' | 'preparing') => {
    await seedOrder(core.ctx.db, { status: 'running' }, [{ id: 1, status, step: 1, state: '"before"' }]);
    const product = await findProduct(core.ctx.db, 1);
    if (!product) throw new Error('the product was not seeded');
    found = product;
  };

  beforeEach(async () => {
    core = await openCoreContext('step-goes-on', ['test-service']);
  });
  afterEach(() => core.close());

  it("moves a product's first step on in one statement, with no transaction, and queues the next step", async () => {
    await seed('pending');
    await expect(applyPrepareOutcome(core.ctx, source, found, accepted)).resolves.toBeUndefined();
    expect(core.writesAsked).toEqual({ transactions: 0, single: 1 });
    expect(await products()).toEqual([{ status: 'preparing', step: 2, state: '"requested"' }]);
    expect(await history()).toEqual([['transition', 'pending', 'preparing', 'the service took the request']]);
    expect(await queued()).toEqual([expect.objectContaining({ kind: 'prepare', productId: 1, step: 2 })]);
  });

  it('goes on with the next step when its write had committed unheard and, sent again, found the product moved', async () => {
    await seed('pending');
    // Where the first sending left it: what a statement sent again after its connection was lost finds.
    await rawRun(core.state.database, `UPDATE products SET status = 'preparing', step = 2, state = '"requested"'`);
    await expect(applyPrepareOutcome(core.ctx, source, found, accepted)).resolves.toBeUndefined();
    expect(core.writesAsked).toEqual({ transactions: 1, single: 1 });
    expect(await products()).toEqual([{ status: 'preparing', step: 2, state: '"requested"' }]);
    expect(await history()).toEqual([]);
    expect(await queued()).toEqual([expect.objectContaining({ kind: 'prepare', productId: 1, step: 2 })]);
  });

  it('leaves a product another step moved alone, and queues nothing', async () => {
    await seed('pending');
    await rawRun(core.state.database, `UPDATE products SET status = 'preparing', step = 2, state = '"other"'`);
    await expect(applyPrepareOutcome(core.ctx, source, found, accepted)).resolves.toBeUndefined();
    expect(core.writesAsked).toEqual({ transactions: 1, single: 1 });
    expect(await products()).toEqual([{ status: 'preparing', step: 2, state: '"other"' }]);
    expect(await history()).toEqual([]);
    expect(await queued()).toEqual([]);
  });

  it('records a later step as a step entry, in one transaction', async () => {
    await seed('preparing');
    const outcome = { kind: 'continue', state: 'running', reason: 'the service started' } as const;
    await expect(applyPrepareOutcome(core.ctx, source, found, outcome)).resolves.toBeUndefined();
    expect(core.writesAsked).toEqual({ transactions: 1, single: 0 });
    expect(await products()).toEqual([{ status: 'preparing', step: 2, state: '"running"' }]);
    expect(await history()).toEqual([['step', null, null, 'the service started']]);
  });

  it("saves a listing's files with the move to downloading, and queues their downloads", async () => {
    await seed('preparing');
    const files = [
      { ref: 'a.txt', meta: { name: 'a.txt' } },
      { ref: 'b.txt', meta: { name: 'b.txt' } },
    ];
    const outcome = { kind: 'files', state: 'listed', files, reason: 'two files' } as const;
    await expect(applyPrepareOutcome(core.ctx, source, found, outcome)).resolves.toBeUndefined();
    expect(core.writesAsked).toEqual({ transactions: 1, single: 0 });
    expect(await products()).toEqual([{ status: 'downloading', step: 1, state: '"listed"' }]);
    expect(await rawRows(core.state.database, 'SELECT ref, status FROM files ORDER BY ref')).toEqual([
      { ref: 'a.txt', status: 'pending' },
      { ref: 'b.txt', status: 'pending' },
    ]);
    expect(await history()).toEqual([['transition', 'preparing', 'downloading', 'two files']]);
    const downloads = await core.ctx.queues.downloadsOf('test-service').getJobs(['waiting']);
    expect(downloads.map((job) => job.data.kind)).toEqual(['download', 'download']);
  });

  it('keeps what a listing said for a product cancelled meanwhile, and lists no files', async () => {
    await seed('preparing');
    await rawRun(core.state.database, "UPDATE products SET status = 'cancelled'");
    const files = [{ ref: 'a.txt', meta: {} }];
    const outcome = { kind: 'files', state: 'listed', files, reason: 'one' } as const;
    await expect(applyPrepareOutcome(core.ctx, source, found, outcome)).resolves.toBeUndefined();
    expect(await products()).toEqual([{ status: 'cancelled', step: 1, state: '"listed"' }]);
    expect(await rawRows(core.state.database, 'SELECT ref FROM files')).toEqual([]);
    expect(await core.ctx.queues.downloadsOf('test-service').getJobs(['waiting'])).toEqual([]);
  });
});
