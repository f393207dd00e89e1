import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { anyNumber, anyString, call, containing, CTD_REQUEST, errorsOf, startSim } from './helpers.js';

describe('request', () => {
  it('answers a generated product with dpRequestId and string estimates, on both URL forms', async () => {
    const sim = await startSim();
    for (const form of ['path', 'query'] as const) {
      const r = await call(sim, 'request', CTD_REQUEST, { form });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      const body = r.json as Record<string, unknown>;
      expect(typeof body['dpRequestId']).toBe('number');
      expect(body['estimatedFileSize']).toBe('8192'); // 1 run × 2 files × 4096 bytes
      expect(body['estimatedProcessingTime']).toBe('1');
      expect(body['disclaimer']).toEqual(anyString);
      expect(body['citations']).toEqual([expect.objectContaining({ doi: anyString })]);
      expect(body['messages']).toEqual([]);
      expect(body['queryURL']).not.toContain('token');
    }
    const ids = sim.requests().map((r) => r.dpRequestId);
    expect(ids).toEqual([3000001, 3000002]);
  });

  it('writes estimates with units or as prose when told to', async () => {
    const sim = await startSim({ behaviour: { estimates: 'units', fileSizeBytes: 75_500, runningMs: 179_000 } });
    let body = (await call(sim, 'request', CTD_REQUEST)).json as Record<string, unknown>;
    expect(body['estimatedFileSize']).toBe('151 kB');
    expect(body['estimatedProcessingTime']).toBe('3 min');
    sim.setBehaviour({ estimates: 'prose' });
    body = (await call(sim, 'request', CTD_REQUEST)).json as Record<string, unknown>;
    expect(body['estimatedFileSize']).toBe('no estimated file size avalible.');
    expect(body['estimatedProcessingTime']).toBe('No processing time estimates found for this type of data.');
  });

  it('surfaces warning messages', async () => {
    const sim = await startSim({ behaviour: { requestMessages: ['Data gaps in the requested range'] } });
    const body = (await call(sim, 'request', CTD_REQUEST)).json as Record<string, unknown>;
    expect(body['messages']).toEqual(['Data gaps in the requested range']);
  });

  it('answers archived products with numFiles, fileSize, compressedFileSize and downloadTimes', async () => {
    const sim = await startSim();
    const r = await call(sim, 'request', { ...CTD_REQUEST, dataProductCode: 'LF', extension: 'txt' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      compressedFileSize: anyNumber,
      downloadTimes: { '10Mbps': anyNumber, '50Mbps': anyNumber, '150Mbps': anyNumber },
      dpRequestId: anyNumber,
      fileSize: 8192,
      numFiles: 2,
    });
  });

  it('accepts every documented search type', async () => {
    const sim = await startSim();
    const base = { dataProductCode: 'TSSD', extension: 'csv', dateFrom: '2019-06-20', dateTo: '2019-06-21' };
    const searches: Record<string, string>[] = [
      { locationCode: 'BACAX', deviceCategoryCode: 'CTD' },
      { locationCode: 'BACAX', deviceCategoryCode: 'CTD', propertyCode: 'salinity' },
      { locationCode: 'BACAX', propertyCode: 'salinity' },
      { deviceCode: 'SBECTD19p6813' },
      { deviceCode: 'SBECTD19p6813', propertyCode: 'salinity' },
    ];
    for (const s of searches)
      expect((await call(sim, 'request', { ...base, ...s })).status, JSON.stringify(s)).toBe(200);
  });

  it('resolves durations relative to the other end', async () => {
    const sim = await startSim();
    const status = async (filters: Record<string, string>) => {
      const id = ((await call(sim, 'request', filters)).json as { dpRequestId: number }).dpRequestId;
      const s = (await call(sim, 'status', { dpRequestId: id })).json as {
        newSearches: { dateFrom: string; dateTo: string }[];
      };
      return s.newSearches[0];
    };
    expect(await status({ ...CTD_REQUEST, dateFrom: '-P1DT1H', dateTo: '2019-06-21T00:00:00.000Z' })).toMatchObject({
      dateFrom: '2019-06-19T23:00:00.000Z',
      dateTo: '2019-06-21T00:00:00.000Z',
    });
    expect(await status({ ...CTD_REQUEST, dateFrom: '2019-06-20', dateTo: 'PT12H30M' })).toMatchObject({
      dateFrom: '2019-06-20T00:00:00.000Z',
      dateTo: '2019-06-20T12:30:00.000Z',
    });
  });

  describe('errors', () => {
    const cases: [string, Record<string, string>, number, unknown][] = [
      ['unknown parameter', { ...CTD_REQUEST, sensor: 'x' }, 129, 'sensor'],
      ['missing dataProductCode', { ...CTD_REQUEST, dataProductCode: '' }, 128, 'dataProductCode'],
      ['dateFrom without dateTo', { ...CTD_REQUEST, dateTo: '' }, 128, 'dateFrom/dateTo'],
      [
        'locationCode alone',
        { ...CTD_REQUEST, deviceCategoryCode: '' },
        128,
        containing('possible parameter combinations'),
      ],
      ['location and device together', { ...CTD_REQUEST, deviceCode: 'SBECTD19p6813' }, 128, containing('deviceCode')],
      ['unparseable date', { ...CTD_REQUEST, dateFrom: '2019/06/20' }, 127, 'dateFrom'],
      ['impossible date', { ...CTD_REQUEST, dateFrom: '2019-02-30' }, 127, 'dateFrom'],
      ['both ends durations', { ...CTD_REQUEST, dateFrom: '-P1D', dateTo: 'PT1H' }, 127, 'dateFrom/dateTo'],
      ['start after end', { ...CTD_REQUEST, dateFrom: '2019-06-22' }, 23, 'dateFrom/dateTo'],
      ['start equals end', { ...CTD_REQUEST, dateTo: '2019-06-20T00:00:00.000Z' }, 127, 'dateFrom/dateTo'],
      ['start in the future', { ...CTD_REQUEST, dateFrom: '2099-01-01', dateTo: '2099-01-02' }, 25, 'dateFrom/dateTo'],
      ['unknown location', { ...CTD_REQUEST, locationCode: 'bacax' }, 127, 'locationCode'],
      ['unknown product', { ...CTD_REQUEST, dataProductCode: 'XYZ123' }, 127, 'dataProductCode'],
      ['extension in the wrong case', { ...CTD_REQUEST, extension: 'CSV' }, 39, 'dataProductCode/extension'],
      [
        'product not made for the category',
        { ...CTD_REQUEST, deviceCategoryCode: 'ADCP2MHZ' },
        71,
        'deviceCategoryCode',
      ],
      [
        'product not made for the property',
        { ...CTD_REQUEST, deviceCategoryCode: '', propertyCode: 'salinity', dataProductCode: 'AD', extension: 'wav' },
        71,
        'propertyCode',
      ],
      ['no data in range', { ...CTD_REQUEST, dateFrom: '2010-01-01', dateTo: '2010-01-02' }, 33, 'dateFrom/dateTo'],
      [
        'device without data in range',
        { ...CTD_REQUEST, locationCode: '', deviceCategoryCode: '', deviceCode: 'SBECTD16p6002' },
        33,
        'deviceCode',
      ],
      [
        'restricted data',
        { ...CTD_REQUEST, locationCode: 'SIMRST', dateFrom: '2021-01-01', dateTo: '2021-01-02' },
        71,
        'dateTo',
      ],
    ];
    it.each(cases)('%s → 400 with error %i', async (_name, filters, errorCode, parameter) => {
      const sim = await startSim();
      const r = await call(sim, 'request', Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')));
      expect(r.status).toBe(400);
      expect(errorsOf(r)).toContainEqual({ errorCode, errorMessage: anyString, parameter });
      expect(sim.requests()).toEqual([]);
    });

    it('reports every unknown parameter name at once', async () => {
      const sim = await startSim();
      const r = await call(sim, 'request', { ...CTD_REQUEST, foo: '1', Extension: 'csv' });
      expect(errorsOf(r).map((e) => [e.errorCode, e.parameter])).toEqual([
        [129, 'foo'],
        [129, 'Extension'],
      ]);
    });

    it('answers 401 for a missing or unknown token', async () => {
      const sim = await startSim({ tokens: ['good'] });
      const missing = await call(sim, 'request', CTD_REQUEST, { token: null });
      expect(missing.status).toBe(401);
      expect(errorsOf(missing)).toEqual([{ errorCode: 128, errorMessage: 'Missing parameter', parameter: 'token' }]);
      const wrong = await call(sim, 'request', CTD_REQUEST, { token: 'bad' });
      expect(wrong.status).toBe(401);
      expect(errorsOf(wrong)).toEqual([
        { errorCode: 127, errorMessage: 'Invalid parameter value', parameter: 'token' },
      ]);
    });

    it('checks "in the future" against the simulator clock', async () => {
      const clock = new ManualClock(Date.parse('2019-06-20T06:00:00.000Z'));
      const sim = await startSim({ clock });
      expect((await call(sim, 'request', { ...CTD_REQUEST, dateFrom: '2019-06-20T12:00:00.000Z' })).status).toBe(400);
      clock.advance(7 * 3600_000);
      expect((await call(sim, 'request', { ...CTD_REQUEST, dateFrom: '2019-06-20T12:00:00.000Z' })).status).toBe(200);
    });
  });

  it('rejects unknown methods and non-GET verbs', async () => {
    const sim = await startSim();
    expect((await call(sim, 'Request', CTD_REQUEST, { form: 'query' })).status).toBe(400);
    expect((await call(sim, 'Request', CTD_REQUEST)).status).toBe(404);
    expect((await call(sim, 'request', CTD_REQUEST, { httpMethod: 'POST' })).status).toBe(405);
    const noMethod = await fetch(`${sim.serviceUrl}?token=${sim.token}`);
    expect(noMethod.status).toBe(400);
  });
});
