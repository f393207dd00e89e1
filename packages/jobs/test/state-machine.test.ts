import { rawRows, rawRun } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOrderEvents, IllegalTransitionError, type OpenedDatabase } from '../src/index.js';
import { seedOrder } from './support/seed-order.js';
import { openTestState, type TestState } from './support/test-state.js';
import { claimLease, releaseLease } from '../src/state/leases.js';
import { transitionFile, transitionOrder, transitionProduct } from '../src/state/transition.js';

describe('the transition functions', () => {
  let state: TestState;
  let database: OpenedDatabase;
  beforeEach(async () => {
    state = await openTestState('state');
    database = state.database;
    await seedOrder(
      database.db,
      { status: 'queued' },
      [{ id: 1, status: 'pending' }],
      [{ id: 1, productId: 1, ref: 'file-1', status: 'pending' }],
    );
  });
  afterEach(() => state.close());

  it('makes a legal change, with the other columns, and records it with its reason', async () => {
    const result = await transitionProduct(database.db, 1, 'preparing', {
      reason: 'the service said yes',
      patch: { note: 'accepted as 42' },
    });
    expect(result).toEqual({ changed: true, from: 'pending' });
    const events = await getOrderEvents(database.db, 'o1');
    expect(events).toEqual([
      expect.objectContaining({
        entity: 'product',
        entityId: '1',
        from: 'pending',
        to: 'preparing',
        reason: 'the service said yes',
      }),
    ]);
    expect(await rawRows(database, 'SELECT note FROM products WHERE id = 1')).toEqual([{ note: 'accepted as 42' }]);
  });

  it('refuses an illegal change and writes nothing', async () => {
    await expect(transitionFile(database.db, 1, 'pending', { reason: 'no-op' })).resolves.toBeDefined();
    await transitionFile(database.db, 1, 'complete', { reason: 'verified' });
    await expect(transitionFile(database.db, 1, 'downloading', { reason: 'again?' })).rejects.toThrow(
      IllegalTransitionError,
    );
    await expect(transitionOrder(database.db, 'o1', 'completed', { reason: 'too soon' })).rejects.toThrow(
      /queued to completed/,
    );
    expect((await getOrderEvents(database.db, 'o1')).map((event) => event.to)).toEqual(['complete']);
  });

  it('treats the same status as a no-op and respects onlyFrom, so a retried or racing job changes nothing', async () => {
    await transitionProduct(database.db, 1, 'cancelled', { reason: 'user cancelled' });
    const late = await transitionProduct(database.db, 1, 'preparing', { reason: 'late answer', onlyFrom: ['pending'] });
    expect(late).toEqual({ changed: false, from: 'cancelled' });
    expect((await transitionProduct(database.db, 1, 'cancelled', { reason: 'again' })).changed).toBe(false);
    expect(await getOrderEvents(database.db, 'o1')).toHaveLength(1);
  });

  it("moves a product at a step only while it is at that step of that generation, and a gone one doesn't throw", async () => {
    await rawRun(database, 'UPDATE products SET step = 2, generation = 1 WHERE id = 1');
    const move = (step: number, generation: number, id = 1) =>
      transitionProduct(database.db, id, 'preparing', {
        reason: `step ${step} of generation ${generation}`,
        onlyFrom: ['pending'],
        atStep: { step, generation },
        patch: { step: step + 1 },
      });
    expect(await move(1, 1)).toEqual({ changed: false, from: 'pending' });
    expect(await move(2, 0)).toEqual({ changed: false, from: 'pending' });
    expect(await move(2, 1, 999)).toEqual({ changed: false, from: 'preparing' });
    expect(await getOrderEvents(database.db, 'o1')).toEqual([]);
    expect(await move(2, 1)).toEqual({ changed: true, from: 'pending' });
    expect(await rawRows(database, 'SELECT status, step FROM products WHERE id = 1')).toEqual([
      { status: 'preparing', step: 3 },
    ]);
    expect((await getOrderEvents(database.db, 'o1')).map((event) => [event.from, event.to, event.reason])).toEqual([
      ['pending', 'preparing', 'step 2 of generation 1'],
    ]);
    // At the step asked for, the change is checked as any other.
    const atStep = { step: 3, generation: 1 };
    expect(await transitionProduct(database.db, 1, 'complete', { reason: 'all written', atStep })).toEqual({
      changed: true,
      from: 'preparing',
    });
    await expect(transitionProduct(database.db, 1, 'downloading', { reason: 'again?', atStep })).rejects.toThrow(
      IllegalTransitionError,
    );
  });

  it('lets one of many racing transitions of a row move it, and records that one change once', async () => {
    const racers = Array.from({ length: 8 }, (_, i) =>
      transitionFile(database.db, 1, 'downloading', {
        reason: `racer ${i}`,
        onlyFrom: ['pending'],
        patch: { attempts: i },
      }),
    );
    const results = await Promise.all(racers);
    expect(results.filter((result) => result.changed)).toHaveLength(1);
    expect(results.filter((result) => !result.changed).map((result) => result.from)).toEqual(
      Array.from({ length: 7 }, () => 'downloading'),
    );
    const winner = results.findIndex((result) => result.changed);
    const events = await getOrderEvents(database.db, 'o1');
    expect(events.map((event) => [event.from, event.to, event.reason])).toEqual([
      ['pending', 'downloading', `racer ${winner}`],
    ]);
    expect(await rawRows(database, 'SELECT status, attempts FROM files WHERE id = 1')).toEqual([
      { status: 'downloading', attempts: winner },
    ]);
  });

  it('leases a row to one job run at a time, and lets an expired lease be taken over', async () => {
    expect(await claimLease(database.db, 'files', 1, 'job-a', 60_000)).toBe(true);
    expect(await claimLease(database.db, 'files', 1, 'job-b', 60_000)).toBe(false);
    expect(await claimLease(database.db, 'files', 1, 'job-a', 60_000)).toBe(true);
    await releaseLease(database.db, 'files', 1, 'job-b');
    expect(await claimLease(database.db, 'files', 1, 'job-b', 60_000)).toBe(false);
    await releaseLease(database.db, 'files', 1, 'job-a');
    expect(await claimLease(database.db, 'files', 1, 'job-b', -1)).toBe(true);
    // job-b's lease is already past its end: as good as released.
    expect(await claimLease(database.db, 'files', 1, 'job-c', 60_000)).toBe(true);
  });

  it('names a missing row', async () => {
    await expect(transitionProduct(database.db, 999, 'preparing', { reason: 'x' })).rejects.toThrow(/product 999/);
  });
});
