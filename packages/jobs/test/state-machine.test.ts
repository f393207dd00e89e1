import { join } from 'node:path';
import { makeTempDir } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOrderEvents, IllegalTransitionError, openDatabase, schema, type OpenedDatabase } from '../src/index.js';
import { claimLease, releaseLease } from '../src/state/leases.js';
import { transitionFile, transitionOrder, transitionProduct } from '../src/state/transition.js';

describe('the transition functions', () => {
  let database: OpenedDatabase;
  let removeDir: () => Promise<void>;
  beforeEach(async () => {
    const dir = await makeTempDir('state');
    removeDir = dir.remove;
    database = openDatabase(join(dir.path, 'state.sqlite'));
    const { db } = database;
    db.insert(schema.orders)
      .values({ id: 'o1', status: 'queued', spec: '{}', submittedSpec: '{}', productCount: 1 })
      .run();
    db.insert(schema.products).values({ id: 1, orderId: 'o1', ordinal: 0, params: '{}', status: 'pending' }).run();
    db.insert(schema.files).values({ id: 1, orderId: 'o1', productId: 1, ref: 'file-1', status: 'pending' }).run();
  });
  afterEach(async () => {
    database.close();
    await removeDir();
  });

  it('makes a legal change, with the other columns, and records it with its reason', () => {
    const result = transitionProduct(database.db, 1, 'preparing', {
      reason: 'the service said yes',
      patch: { note: 'accepted as 42' },
    });
    expect(result).toEqual({ changed: true, from: 'pending' });
    const events = getOrderEvents(database.db, 'o1');
    expect(events).toEqual([
      expect.objectContaining({
        entity: 'product',
        entityId: '1',
        from: 'pending',
        to: 'preparing',
        reason: 'the service said yes',
      }),
    ]);
    expect(database.sqlite.prepare('SELECT note FROM products WHERE id = 1').get()).toEqual({ note: 'accepted as 42' });
  });

  it('refuses an illegal change and writes nothing', () => {
    expect(() => transitionFile(database.db, 1, 'pending', { reason: 'no-op' })).not.toThrow();
    transitionFile(database.db, 1, 'complete', { reason: 'verified' });
    expect(() => transitionFile(database.db, 1, 'downloading', { reason: 'again?' })).toThrow(IllegalTransitionError);
    expect(() => transitionOrder(database.db, 'o1', 'completed', { reason: 'too soon' })).toThrow(
      /queued to completed/,
    );
    expect(getOrderEvents(database.db, 'o1').map((event) => event.to)).toEqual(['complete']);
  });

  it('treats the same status as a no-op and respects onlyFrom, so a retried or racing job changes nothing', () => {
    transitionProduct(database.db, 1, 'cancelled', { reason: 'user cancelled' });
    const late = transitionProduct(database.db, 1, 'preparing', { reason: 'late answer', onlyFrom: ['pending'] });
    expect(late).toEqual({ changed: false, from: 'cancelled' });
    expect(transitionProduct(database.db, 1, 'cancelled', { reason: 'again' }).changed).toBe(false);
    expect(getOrderEvents(database.db, 'o1')).toHaveLength(1);
  });

  it('leases a row to one job run at a time, and lets an expired lease be taken over', () => {
    expect(claimLease(database.db, 'files', 1, 'job-a', 60_000)).toBe(true);
    expect(claimLease(database.db, 'files', 1, 'job-b', 60_000)).toBe(false);
    expect(claimLease(database.db, 'files', 1, 'job-a', 60_000)).toBe(true);
    releaseLease(database.db, 'files', 1, 'job-b');
    expect(claimLease(database.db, 'files', 1, 'job-b', 60_000)).toBe(false);
    releaseLease(database.db, 'files', 1, 'job-a');
    expect(claimLease(database.db, 'files', 1, 'job-b', -1)).toBe(true);
    // job-b's lease is already past its end: as good as released.
    expect(claimLease(database.db, 'files', 1, 'job-c', 60_000)).toBe(true);
  });

  it('names a missing row', () => {
    expect(() => transitionProduct(database.db, 999, 'preparing', { reason: 'x' })).toThrow(/product 999/);
  });
});
