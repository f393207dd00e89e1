import { listOrders, type OrderCheckReport } from '@onc-orders/jobs';
import { startOncSimulator, type OncSimulator } from '@onc-orders/onc-sim';
import { ctdAtBarkleyCanyon } from '@onc-orders/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/schemas/error-body-schema.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('POST /orders/check', () => {
  let api: TestApi | undefined;
  let sim: OncSimulator | undefined;
  afterEach(async () => {
    await api?.close();
    await sim?.close();
    api = undefined;
    sim = undefined;
  });

  async function start(): Promise<TestApi> {
    sim = await startOncSimulator();
    api = await startTestApi({ sourceEnv: { ONC_BASE_URL: sim.url, ONC_TOKEN: sim.token } });
    return api;
  }

  const check = (target: TestApi, spec: unknown) =>
    target.app.inject({ method: 'POST', url: '/orders/check', payload: spec as Record<string, unknown> });

  it("answers each combination's verdict and the order's size, and orders and stores nothing", async () => {
    const target = await start();
    const answer = await check(target, {
      filters: { ...ctdAtBarkleyCanyon, deviceCategoryCode: ['CTD', 'NOSUCHCATEGORY'], dateTo: '2016-07-28' },
      split: 'P1D',
    });
    expect(answer.statusCode).toBe(200);
    const report = answer.json<OrderCheckReport>();
    expect(report).toMatchObject({ source: 'onc-data-products', products: 6, checked: true });
    expect(report.combinations.map((combination) => [combination.verdict, combination.products])).toEqual([
      ['accepted', [0, 1, 2]],
      ['refused', [3, 4, 5]],
    ]);
    expect(report.combinations[1]?.error?.message).toContain('filters.deviceCategoryCode');
    expect((await listOrders(target.database.db, target.sources, { limit: 10 })).total).toBe(0);
    expect(sim?.calls().filter((call) => call.method === 'request')).toHaveLength(0);
  });

  it('checks archive orders against the location’s device categories', async () => {
    const target = await start();
    const answer = await check(target, {
      source: 'onc-archive-files',
      filters: {
        locationCode: 'BACAX',
        deviceCategoryCode: ['HYDROPHONE', 'hydrophone'],
        dateFrom: '2016-07-25',
        dateTo: '2016-07-26',
      },
    });
    const report = answer.json<OrderCheckReport>();
    expect(report.combinations.map((combination) => combination.verdict)).toEqual(['accepted', 'refused']);
    expect(report.combinations[1]?.error?.message).toMatch(
      /filters\.deviceCategoryCode: ONC has no hydrophone at BACAX; it has .*HYDROPHONE/,
    );
  });

  it('refuses a bad spec with 400 naming the field, as POST /orders does', async () => {
    const target = await start();
    const answer = await check(target, { source: 'onc-archive-files', filters: { deviceCode: 'X', dateTo: '2016' } });
    expect(answer.statusCode).toBe(400);
    const body = answer.json<ErrorBody>();
    expect(JSON.stringify(body)).toContain('filters.dateFrom');
  });

  it('says the check could not be made when discovery is unreachable', async () => {
    const target = await start();
    await sim?.close();
    const report = (await check(target, { filters: ctdAtBarkleyCanyon })).json<OrderCheckReport>();
    expect(report.checked).toBe(false);
    expect(report.note).toMatch(/could not be asked/);
    expect(report.combinations.map((combination) => combination.verdict)).toEqual(['unchecked']);
    sim = undefined;
  });
});
