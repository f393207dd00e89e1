import { describe, expect, it } from 'vitest';
import { validateFilters } from '@onc-orders/onc-client';

const now = new Date('2024-05-01T00:00:00.000Z');
const base = { dataProductCode: 'TSSD', extension: 'csv', dateFrom: '2016-07-25', dateTo: '2016-07-29' };

function fieldsOf(filters: Record<string, unknown>): string[] {
  const result = validateFilters(filters, { now });
  return result.ok ? [] : result.issues.map((issue) => issue.field);
}

describe('validateFilters', () => {
  it.each([
    { locationCode: 'BACAX', deviceCategoryCode: 'ADCP2MHZ' },
    { locationCode: 'BACAX', deviceCategoryCode: 'CTD', propertyCode: 'salinity' },
    { locationCode: 'BACAX', propertyCode: 'salinity' },
    { deviceCode: 'AandOpt0581' },
    { deviceCode: 'AandOpt0581', propertyCode: 'oxygen' },
  ])('accepts the search type %j', (search) => {
    expect(validateFilters({ ...base, ...search }, { now })).toEqual({ ok: true, filters: { ...base, ...search } });
  });

  it.each([
    [{}],
    [{ locationCode: 'BACAX' }],
    [{ deviceCategoryCode: 'CTD' }],
    [{ propertyCode: 'salinity' }],
    [{ deviceCode: 'X', locationCode: 'BACAX' }],
    [{ deviceCode: 'X', deviceCategoryCode: 'CTD' }],
  ])('refuses the search type %j naming every search filter', (search) => {
    expect(fieldsOf({ ...base, ...search })).toEqual(['locationCode/deviceCategoryCode/deviceCode/propertyCode']);
  });

  it('accepts data product options and no dates at all', () => {
    const filters = {
      dataProductCode: 'TSSD',
      extension: 'csv',
      deviceCode: 'X',
      dpo_qualityControl: '1',
      dpo_resample: 'none',
    };
    expect(validateFilters(filters, { now })).toEqual({ ok: true, filters });
  });

  it('reports every issue at once, each naming its field', () => {
    const result = validateFilters(
      { extension: ' csv', locationCode: 'BACAX', colour: 'blue', dpo_: 'x', dateFrom: '2016-13-01', token: 'secret' },
      { now },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.field).sort()).toEqual(
      [
        'extension',
        'colour',
        'dpo_',
        'token',
        'dataProductCode',
        'locationCode/deviceCategoryCode/deviceCode/propertyCode',
        'dateTo',
      ].sort(),
    );
    expect(JSON.stringify(result.issues)).not.toContain('secret');
  });

  it('names the missing end of a date pair', () => {
    expect(fieldsOf({ ...base, deviceCode: 'X', dateTo: undefined })).toEqual(['dateTo']);
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: undefined })).toEqual(['dateFrom']);
  });

  it('checks the dates themselves', () => {
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: 'last week' })).toEqual(['dateFrom']);
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: '-P1D', dateTo: 'PT1H' })).toEqual(['dateFrom/dateTo']);
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: '2016-07-29', dateTo: '2016-07-29' })).toEqual([
      'dateFrom/dateTo',
    ]);
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: '-P1DT1H', dateTo: '2016-07-29T00:00:00.000Z' })).toEqual([]);
  });

  it('refuses a dateFrom in the future', () => {
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: '2024-06-01', dateTo: '2024-07-01' })).toEqual(['dateFrom']);
    expect(fieldsOf({ ...base, deviceCode: 'X', dateFrom: '2024-04-01', dateTo: '2024-07-01' })).toEqual([]);
  });

  it('turns numbers and booleans into strings and refuses other types', () => {
    const result = validateFilters({ ...base, deviceCode: 'X', dpo_average: 600, dpo_flag: true }, { now });
    expect(result).toMatchObject({ ok: true, filters: { dpo_average: '600', dpo_flag: 'true' } });
    expect(fieldsOf({ ...base, deviceCode: 'X', dpo_average: null, dpo_list: ['a'] })).toEqual([
      'dpo_average',
      'dpo_list',
    ]);
  });

  it('refuses empty values and the reserved names', () => {
    expect(fieldsOf({ ...base, deviceCode: '', method: 'request' })).toEqual(['deviceCode', 'method']);
  });
});
