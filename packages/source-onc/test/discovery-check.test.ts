import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { checkOrder, getOrderEvents } from '@onc-orders/jobs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startPipelineHarness, type PipelineHarness } from './support/pipeline-harness.js';

describe("ONC orders checked against ONC's discovery service before anything is ordered", () => {
  let harness: PipelineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('fails a wrong-case extension and a misspelt option at once, naming the field and the allowed values, with no request sent', async () => {
    harness = await startPipelineHarness();
    await harness.startWorkers();
    const order = await harness.waitForOrder(
      await harness.submit({
        filters: { ...ctdAtBarkleyCanyon, deviceCategoryCode: ['CTD', 'OXYSENSOR'], extension: 'CSV' },
        split: 'PT12H',
      }),
    );
    expect(order.status).toBe('failed');
    expect(order.products).toHaveLength(4);
    for (const product of order.products) {
      expect(product.status).toBe('failed');
      expect(product.error?.parameter).toBe('extension');
      expect(product.error?.message).toMatch(/filters\.extension: .*csv.*not "CSV"/);
    }

    const misspelt = await harness.waitForOrder(
      await harness.submit({ filters: { ...ctdAtBarkleyCanyon, dpo_qualityControll: 1 } }),
    );
    expect(misspelt.status).toBe('failed');
    expect(misspelt.products[0]?.error?.parameter).toBe('dpo_qualityControll');
    expect(misspelt.products[0]?.error?.message).toContain('dpo_qualityControl');

    const calls = harness.sim.calls();
    expect(calls.filter((call) => call.method === 'request')).toHaveLength(0);
    // Two combinations (CTD, OXYSENSOR) of four windows, then one: each asked about once with its extension.
    const asked = calls.filter((call) => call.method === 'dataProducts' && call.params['extension'] !== undefined);
    expect(asked).toHaveLength(3);
    const history = await getOrderEvents(harness.database.db, order.id);
    expect(
      history.some((event) => event.kind === 'discovery-check' && /accepted 0 of 2/.test(event.reason ?? '')),
    ).toBe(true);
  });

  it('accepts good options and an option value out of range is refused with the range', async () => {
    harness = await startPipelineHarness();
    const deps = { sources: harness.ctx.sources, maxProductsPerOrder: 100, logger: pino({ level: 'silent' }) };
    const good = await checkOrder(deps, {
      filters: { ...ctdAtBarkleyCanyon, dpo_qualityControl: 1, dpo_resample: 'average', dpo_average: 60 },
    });
    expect(good).toMatchObject({ checked: true, products: 1, combinations: [{ verdict: 'accepted' }] });
    const outOfRange = await checkOrder(deps, {
      filters: { ...ctdAtBarkleyCanyon, dpo_resample: 'average', dpo_average: 0.5 },
    });
    expect(outOfRange.combinations[0]?.verdict).toBe('refused');
    expect(outOfRange.combinations[0]?.error?.message).toMatch(/dpo_average: must be a whole number in 1\.\.86400 s/);
    // A check orders nothing.
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(0);
  });

  it('goes on unchecked when discovery is unreachable, and says so in the history', async () => {
    harness = await startPipelineHarness();
    harness.sim.injectFault({
      methods: ['dataProducts'],
      times: 100,
      action: { kind: 'status', status: 503, body: { message: 'down for maintenance' } },
    });
    await harness.startWorkers();
    const order = await harness.waitForOrder(await harness.submit({ filters: ctdAtBarkleyCanyon }));
    expect(order.status).toBe('completed');
    const history = await getOrderEvents(harness.database.db, order.id);
    const skipped = history.find((event) => event.kind === 'discovery-skipped');
    expect(skipped?.reason).toMatch(/could not be asked.*skipped/);
    expect(harness.sim.calls().filter((call) => call.method === 'request')).toHaveLength(1);
  });
});
