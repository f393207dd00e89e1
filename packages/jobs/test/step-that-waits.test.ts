import { rawRows, rawRun } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProductRow } from '../src/db/schema.js';
import { findProduct } from '../src/db/repository.js';
import { applyPrepareOutcome } from '../src/progress/apply-prepare-outcome.js';
import { openCoreContext, type CoreContext } from './support/core-context.js';
import { seedOrder } from './support/seed-order.js';
import { stepSource as source } from './support/step-source.js';

/** A step's 'wait' outcome committed by the core (progress/apply-prepare-outcome.ts), on either store. */
describe('a step that waits on its service', () => {
  let core: CoreContext;
  let found: ProductRow;
  const products = () =>
    rawRows<{ status: string; state: string; note: string | null }>(
      core.state.database,
      'SELECT status, state, note FROM products',
    );

  beforeEach(async () => {
    core = await openCoreContext('step-waits');
    await seedOrder(core.ctx.db, { status: 'running' }, [{ id: 1, status: 'preparing', step: 1, state: '"before"' }]);
    const product = await findProduct(core.ctx.db, 1);
    if (!product) throw new Error('the product was not seeded');
    found = product;
  });
  afterEach(() => core.close());

  it('writes its state and note in one statement, with no transaction', async () => {
    const outcome = { kind: 'wait', state: 'polled', waitMs: 5, reason: 'still working', note: 'at 40%' } as const;
    await expect(applyPrepareOutcome(core.ctx, source, found, outcome)).resolves.toEqual({ waitMs: 5 });
    expect(core.writesAsked).toEqual({ transactions: 0, single: 1 });
    expect(await products()).toEqual([{ status: 'preparing', state: '"polled"', note: 'at 40%' }]);
  });

  it('leaves a product cancelled meanwhile to the transaction: the state is kept and the service told to stop', async () => {
    await rawRun(core.state.database, "UPDATE products SET status = 'cancelled'");
    const outcome = { kind: 'wait', state: 'polled', waitMs: 5, reason: 'still working' } as const;
    await expect(applyPrepareOutcome(core.ctx, source, found, outcome)).resolves.toBeUndefined();
    expect(core.writesAsked).toEqual({ transactions: 1, single: 1 });
    expect(await products()).toEqual([{ status: 'cancelled', state: '"polled"', note: null }]);
    const queued = await core.ctx.queues.control.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(queued.map((job) => job.data)).toEqual([expect.objectContaining({ kind: 'cancelRemote', productId: 1 })]);
  });

  it('records the events it carries in the transaction', async () => {
    const events = [{ kind: 'step', reason: 'ONC started processing' }];
    const outcome = { kind: 'wait', state: 'running', waitMs: 5, reason: 'started', events } as const;
    await expect(applyPrepareOutcome(core.ctx, source, found, outcome)).resolves.toEqual({ waitMs: 5 });
    expect(core.writesAsked).toEqual({ transactions: 1, single: 0 });
    expect(
      await rawRows(core.state.database, "SELECT kind, reason FROM events WHERE entity = 'product' AND kind = 'step'"),
    ).toEqual([{ kind: 'step', reason: 'ONC started processing' }]);
    expect(await products()).toEqual([{ status: 'preparing', state: '"running"', note: null }]);
  });
});
