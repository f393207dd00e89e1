import { listOrders } from '@onc-orders/jobs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/schemas/error-body-schema.js';
import { oneProductSpec } from './support/order-specs.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/** Refusals of hostile or broken input: each names the field at fault, and nothing is written. */
describe('hostile input to POST /orders', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi({ maxProductsPerOrder: 10_000 });
  });
  afterEach(async () => {
    await api.close();
  });

  const post = (payload: string | Buffer) =>
    api.app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload });
  const withLocation = (locationCode: unknown) =>
    JSON.stringify({ ...oneProductSpec(), filters: { ...oneProductSpec().filters, locationCode } });
  const refusal = async (payload: string | Buffer) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect((await listOrders(api.database.db, api.sources, { limit: 1 })).total).toBe(0);
    return response.json<ErrorBody>();
  };
  const fields = (body: ErrorBody) => body.issues?.map((issue) => issue.field);

  it('refuses invalid UTF-8 instead of sending U+FFFD to ONC, naming the field it is in', async () => {
    const text = withLocation('BACAX@');
    const at = Buffer.from(text).indexOf('@');
    const bytes = Buffer.from(text);
    bytes[at] = 0xff; // never valid in UTF-8
    const body = await refusal(bytes);
    expect(body.error).toBe('invalid order');
    expect(body.issues).toEqual([{ field: 'filters.locationCode', message: 'is not valid UTF-8' }]);
  });

  it.each([
    ['a NUL byte', 'BA\u0000CAX'],
    ['a newline', 'BACAX\n'],
    ['a space', 'BA CAX'],
    ['100,000 characters', 'B'.repeat(100_000)],
  ])('refuses a code with %s', async (_name, code) => {
    const body = await refusal(withLocation(code));
    expect(fields(body)).toEqual(['filters.locationCode']);
  });

  it('refuses a bad code inside a list by its position', async () => {
    const body = await refusal(withLocation(['BACAX', 'NC\u000789']));
    expect(fields(body)).toEqual(['filters.locationCode.1']);
  });

  it('refuses control characters in an option value and an overlong one', async () => {
    const spec = oneProductSpec();
    const body = await refusal(
      JSON.stringify({
        ...spec,
        filters: { ...spec.filters, dpo_qualityControl: '1\r\n', dpo_resample: 'x'.repeat(201) },
      }),
    );
    expect(fields(body)?.sort()).toEqual(['filters.dpo_qualityControl', 'filters.dpo_resample']);
  });

  it('refuses __proto__ and constructor.prototype keys, naming where they are', async () => {
    const spec = oneProductSpec();
    const proto = await refusal(
      `{"label":"x","filters":{"__proto__":{"isAdmin":true},"dataProductCode":"TSSD","extension":"csv"}}`,
    );
    expect(proto.error).toBe('invalid order');
    expect(proto.issues).toEqual([{ field: 'filters.__proto__', message: 'is a forbidden key' }]);
    const constructor = await refusal(JSON.stringify({ ...spec, constructor: { prototype: { polluted: true } } }));
    expect(fields(constructor)).toEqual(['constructor']);
  });

  it('says what is wrong with a body that is not JSON', async () => {
    const body = await refusal('{"filters":');
    expect(body.issues?.[0]?.field).toBe('(body)');
    expect(body.issues?.[0]?.message).toMatch(/^is not valid JSON/);
  });

  it('reports the real size of a huge split, not the cap plus one', async () => {
    const spec = oneProductSpec();
    const dateFrom = '2014-01-01';
    const dateTo = '2024-01-01';
    const body = await refusal(
      JSON.stringify({ ...spec, filters: { ...spec.filters, dateFrom, dateTo }, split: 'PT1S' }),
    );
    const seconds = (Date.parse(dateTo) - Date.parse(dateFrom)) / 1000;
    expect(body.productCount).toBe(seconds);
    expect(body.error).toContain('315,532,800 products');
  });

  it('counts calendar splits exactly too', async () => {
    const spec = oneProductSpec();
    const body = await refusal(
      JSON.stringify({
        ...spec,
        filters: { ...spec.filters, locationCode: ['BACAX', 'NC89'], dateFrom: '2000-01-31', dateTo: '3000-01-01' },
        split: 'P1M',
      }),
    );
    // Two locations × one window per month for a thousand years.
    expect(body.productCount).toBe(2 * 12 * 1000);
  });
});
