import { rawRows, rawRun } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteBatcher, type WriteBatcher } from '../src/index.js';
import { updateIfStepCurrent } from '../src/db/update-if-step-current.js';
import { seedOrder } from './support/seed-order.js';
import { openTestState, type TestState } from './support/test-state.js';

/** A step's write of its state alone (db/update-if-step-current.ts), on the dialect TEST_DATABASE names. */
describe("a step's columns written while its product is where the step found it", () => {
  let state: TestState;
  let writes: WriteBatcher;
  const found = { id: 1, status: 'preparing' as const, step: 2, generation: 0 };
  const stateOf = async () =>
    rawRows<{ state: string | null; note: string | null }>(state.database, 'SELECT state, note FROM products');

  beforeEach(async () => {
    state = await openTestState('step-current');
    writes = createWriteBatcher(state.database);
    await seedOrder(state.database.db, { status: 'running' }, [
      { id: 1, status: 'preparing', step: 2, state: '"before"' },
    ]);
  });
  afterEach(() => state.close());

  it('writes them, and says so, while the status, step and generation are as found', async () => {
    const written = await writes.writeOne((tx) =>
      updateIfStepCurrent(tx, found, { state: '"polled"', note: 'running', updatedAt: 5 }),
    );
    expect(written).toBe(true);
    expect(await stateOf()).toEqual([{ state: '"polled"', note: 'running' }]);
  });

  it.each([
    ['cancelled meanwhile', "UPDATE products SET status = 'cancelled'"],
    ['moved to its next step', 'UPDATE products SET step = 3'],
    ['restarted (a new generation)', 'UPDATE products SET generation = 1'],
  ])('writes nothing once the product was %s', async (_, change) => {
    await rawRun(state.database, change);
    const written = await writes.writeOne((tx) => updateIfStepCurrent(tx, found, { state: '"stale"' }));
    expect(written).toBe(false);
    expect(await stateOf()).toEqual([{ state: '"before"', note: null }]);
  });
});
