import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/schemas/error-body-schema.js';
import { oneProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('sources the deployment is not configured for', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('starts without ONC settings, says so on /healthz, and refuses ONC orders naming the missing setting', async () => {
    // No ONC_TOKEN and ONC's own address: the ONC source cannot be used, and nothing else is needed to start.
    api = await startTestApi({ sourceEnv: {} });
    const health = await api.app.inject({ method: 'GET', url: '/healthz' });
    const sources = health.json<{
      sources: { enabled: string[]; disabled: Array<{ name: string; missing: string }> };
    }>().sources;
    expect(sources.enabled).toEqual([]);
    expect(sources.disabled.map((source) => source.name)).toEqual([
      'onc-data-products',
      'onc-archive-files',
      'webcoos',
      'datastream',
    ]);
    expect(sources.disabled.find((source) => source.name === 'onc-data-products')?.missing).toContain('ONC_TOKEN');

    const refused = await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() });
    expect(refused.statusCode).toBe(400);
    const body = refused.json<ErrorBody>();
    expect(body.issues?.map((issue) => issue.field)).toEqual(['source']);
    expect(body.issues?.[0]?.message).toContain('set ONC_TOKEN');
    expect((await api.app.inject({ method: 'GET', url: '/orders' })).json<{ total: number }>().total).toBe(0);
  });

  it('refuses WebCOOS orders without WEBCOOS_TOKEN, checking the spec itself only once WebCOOS is configured', async () => {
    const spec = {
      source: 'webcoos',
      asset: 'currituck_hampton_inn',
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-05-01',
    };
    api = await startTestApi();
    const refused = await api.app.inject({ method: 'POST', url: '/orders', payload: spec });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().issues).toEqual([
      { field: 'source', message: expect.stringContaining('WEBCOOS_TOKEN') as unknown },
    ]);
    await api.close();
    api = await startTestApi({ sourceEnv: { WEBCOOS_BASE_URL: 'http://127.0.0.1:9/webcoos/api/v1' } });
    const checked = await api.app.inject({ method: 'POST', url: '/orders', payload: spec });
    expect(checked.statusCode).toBe(400);
    expect(checked.json<ErrorBody>().issues).toEqual([{ field: 'dateTo', message: 'must be after dateFrom' }]);
  });

  it('refuses an order for a source it does not know, naming the ones it serves', async () => {
    api = await startTestApi();
    const refused = await api.app.inject({
      method: 'POST',
      url: '/orders',
      payload: { ...oneProductSpec(), source: 'no-such-source' },
    });
    expect(refused.statusCode).toBe(400);
    const issues = refused.json<ErrorBody>().issues;
    expect(issues?.map((issue) => issue.field)).toEqual(['source']);
    expect(issues?.[0]?.message).toContain('this deployment serves: onc-data-products');
  });
});
