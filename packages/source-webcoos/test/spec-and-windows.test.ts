import { OrderSpecError, OrderTooLargeError } from '@onc-orders/jobs';
import { describe, expect, it } from 'vitest';
import { expandWindows, webcoosSpecSchema } from '../src/index.js';

const base = {
  source: 'webcoos',
  asset: 'currituck_hampton_inn',
  product: 'one-minute-stills',
  dateFrom: '2024-06-01T00:00:00Z',
  dateTo: '2024-06-08T00:00:00Z',
};

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  const parsed = webcoosSpecSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('a WebCOOS spec', () => {
  it('defaults split to P1D and makes one product per asset and day', () => {
    const spec = webcoosSpecSchema.parse({ ...base, asset: ['currituck_hampton_inn', 'northinlet'] });
    expect(spec.split).toBe('P1D');
    const windows = expandWindows(spec, 100);
    expect(windows).toHaveLength(14);
    expect(windows[0]).toEqual({
      asset: 'currituck_hampton_inn',
      product: 'one-minute-stills',
      from: '2024-06-01T00:00:00Z',
      to: '2024-06-02T00:00:00Z',
    });
    expect(windows[7]?.asset).toBe('northinlet');
    expect(windows.at(-1)?.to).toBe('2024-06-08T00:00:00Z');
  });

  it('cuts the last window at dateTo', () => {
    const spec = webcoosSpecSchema.parse({
      ...base,
      dateFrom: '2024-06-01',
      dateTo: '2024-06-02T15:00:00Z',
      split: 'PT6H',
    });
    const windows = expandWindows(spec, 100);
    expect(windows.map((w) => w.to)).toEqual([
      '2024-06-01T06:00:00Z',
      '2024-06-01T12:00:00Z',
      '2024-06-01T18:00:00Z',
      '2024-06-02T00:00:00Z',
      '2024-06-02T06:00:00Z',
      '2024-06-02T12:00:00Z',
      '2024-06-02T15:00:00Z',
    ]);
  });

  it('names each bad field', () => {
    expect(issuesOf({ ...base, split: '1 day' })).toEqual([expect.objectContaining({ path: 'split' })]);
    expect(issuesOf({ ...base, dateTo: '2024-05-01T00:00:00Z' })).toEqual([
      { path: 'dateTo', message: 'must be after dateFrom' },
    ]);
    expect(issuesOf({ ...base, dateFrom: '2024-02-30' })).toEqual([expect.objectContaining({ path: 'dateFrom' })]);
    expect(issuesOf({ ...base, dateFrom: '2024-06-01T00:00:00' })).toEqual([
      expect.objectContaining({ path: 'dateFrom' }),
    ]);
    expect(issuesOf({ ...base, asset: ['a', 'a'] })).toEqual([{ path: 'asset', message: 'lists an asset twice' }]);
    expect(issuesOf({ ...base, asset: '../etc' })).toEqual([expect.objectContaining({ path: 'asset' })]);
    expect(issuesOf({ ...base, product: '' })).toEqual([expect.objectContaining({ path: 'product' })]);
    expect(issuesOf({ ...base, token: 'x' })).toEqual([expect.objectContaining({ path: '' })]);
  });

  it('refuses an order of more windows than allowed before building them', () => {
    const spec = webcoosSpecSchema.parse({ ...base, dateFrom: '2014-01-01', dateTo: '2024-01-01', split: 'PT1S' });
    expect(() => expandWindows(spec, 10_000)).toThrow(OrderTooLargeError);
  });

  it('refuses a split that does not move', () => {
    const spec = webcoosSpecSchema.parse({ ...base, split: 'PT0S' });
    expect(() => expandWindows(spec, 100)).toThrow(OrderSpecError);
  });
});
