import { OrderSpecError, OrderTooLargeError, parseOrderSpec as parseWith, SourceRegistry } from '@onc-orders/jobs';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createDataProductsSource,
  createOncService,
  expandDataProducts as expandOrder,
  parseOncSettings,
  type DataProductsSpec,
} from '../src/index.js';

// A source that is never asked to call ONC: only its spec schema is used here.
const idleRedis = new Redis({ lazyConnect: true });
const source = createDataProductsSource(
  createOncService(parseOncSettings({ ONC_BASE_URL: 'http://127.0.0.1:9' }), {
    redis: idleRedis,
    queuePrefix: 'unused',
    logger: pino({ level: 'silent' }),
  }),
);
const sources = new SourceRegistry([source]);
afterAll(async () => {
  await source.close?.();
  idleRedis.disconnect();
});

/** The spec as the core accepts it for this source, refused with OrderSpecError naming each field. */
function parseOrderSpec(input: unknown): DataProductsSpec {
  return parseWith(sources, input).spec as DataProductsSpec;
}

const base = { dataProductCode: 'TSSD', extension: 'csv', deviceCategoryCode: 'CTD' };

describe('expanding an order spec into data products', () => {
  it('is the cartesian product of listed codes and split windows, in a stable order', () => {
    const spec = parseOrderSpec({
      filters: {
        ...base,
        locationCode: ['BACAX', 'CRIP.C1'],
        dateFrom: '2016-07-01',
        dateTo: '2016-07-03T12:00:00.000Z',
      },
      split: 'P1D',
    });
    const products = expandOrder(spec, 100);
    expect(products).toHaveLength(6);
    expect(products.map((p) => `${p['locationCode']} ${p['dateFrom']} ${p['dateTo']}`)).toEqual([
      'BACAX 2016-07-01T00:00:00.000Z 2016-07-02T00:00:00.000Z',
      'BACAX 2016-07-02T00:00:00.000Z 2016-07-03T00:00:00.000Z',
      'BACAX 2016-07-03T00:00:00.000Z 2016-07-03T12:00:00.000Z',
      'CRIP.C1 2016-07-01T00:00:00.000Z 2016-07-02T00:00:00.000Z',
      'CRIP.C1 2016-07-02T00:00:00.000Z 2016-07-03T00:00:00.000Z',
      'CRIP.C1 2016-07-03T00:00:00.000Z 2016-07-03T12:00:00.000Z',
    ]);
  });

  it('applies the defaults: metadata file and deleteFile on', () => {
    const spec = parseOrderSpec({ filters: { ...base, locationCode: 'BACAX' } });
    expect(spec).toMatchObject({ includeMetadataFile: true, deleteFile: true });
    expect(expandOrder(spec, 1)).toEqual([{ ...base, locationCode: 'BACAX' }]);
  });

  it('refuses more products than the cap without building them all', () => {
    const spec = parseOrderSpec({
      filters: { ...base, locationCode: 'BACAX', dateFrom: '2000-01-01', dateTo: '2020-01-01' },
      split: 'PT1M',
    });
    const started = Date.now();
    expect(() => expandOrder(spec, 10_000)).toThrow(OrderTooLargeError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('names every bad field, with ONC rules applied to each product', () => {
    const attempt = () =>
      expandOrder(
        parseOrderSpec({
          filters: { ...base, locationCode: 'BACAX', dateFrom: '2016-07-05', dateTo: '2016-07-01', locatonCode: 'X' },
        }),
        10,
      );
    expect(attempt).toThrow(OrderSpecError);
    try {
      attempt();
    } catch (error) {
      const fields = (error as OrderSpecError).issues.map((issue) => issue.field);
      expect(fields.some((field) => field.startsWith('filters.locatonCode'))).toBe(true);
      expect(fields.some((field) => field.includes('date'))).toBe(true);
    }
    expect(() => parseOrderSpec({ filters: base, split: 'one day' })).toThrow(/split/);
    expect(() => parseOrderSpec({ filters: { extension: 'csv' } })).toThrow(/filters\.dataProductCode/);
  });
});
