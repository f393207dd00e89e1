import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { ARCHIVE_NOW, api, errorsOf, startSim } from './helpers.js';

const LOCATION = {
  locationCode: 'FGPD',
  deviceCategoryCode: 'HYDROPHONE',
  dateFrom: '2024-06-01',
  dateTo: '2024-06-01T01:00:00Z',
};
const sim = () => startSim({ clock: new ManualClock(ARCHIVE_NOW) });
const codes = (errors: { errorCode: number; parameter: string }[]) => errors.map((e) => [e.errorCode, e.parameter]);

describe('archive errors', () => {
  it.each([
    ['unknown location', 'archivefile/location', { ...LOCATION, locationCode: 'XYZ123' }, [[127, 'locationCode']]],
    [
      'location in the wrong case',
      'archivefile/location',
      { ...LOCATION, locationCode: 'fgpd' },
      [[127, 'locationCode']],
    ],
    [
      'unknown category',
      'archivefile/location',
      { ...LOCATION, deviceCategoryCode: 'HYDRO' },
      [[127, 'deviceCategoryCode']],
    ],
    ['unknown device', 'archivefile/device', { deviceCode: 'XYZ123' }, [[127, 'deviceCode']]],
    [
      'unknown parameter name',
      'archivefile/location',
      { ...LOCATION, locationCodes: 'FGPD' },
      [[129, 'locationCodes']],
    ],
    [
      'location filters on the device listing',
      'archivefile/device',
      { deviceCode: 'ICLISTENHF1234', locationCode: 'FGPD' },
      [[129, 'locationCode']],
    ],
    ['missing category', 'archivefile/location', { locationCode: 'FGPD' }, [[128, 'deviceCategoryCode']]],
    [
      'missing both location parameters',
      'archivefile/location',
      { dateFrom: '2010-01-01' },
      [
        [128, 'locationCode'],
        [128, 'deviceCategoryCode'],
      ],
    ],
    ['missing device', 'archivefile/device', {}, [[128, 'deviceCode']]],
    [
      'unparseable date',
      'archivefile/device',
      { deviceCode: 'ICLISTENHF1234', dateFrom: '2024/06/01' },
      [[127, 'dateFrom']],
    ],
    [
      'start after end',
      'archivefile/device',
      { deviceCode: 'ICLISTENHF1234', dateFrom: '2024-06-02', dateTo: '2024-06-01' },
      [[23, 'dateFrom/dateTo']],
    ],
    [
      'bad archived date',
      'archivefile/device',
      { deviceCode: 'ICLISTENHF1234', dateArchivedTo: 'soon' },
      [[127, 'dateArchivedTo']],
    ],
    ['bad rowLimit', 'archivefile/device', { deviceCode: 'ICLISTENHF1234', rowLimit: '0' }, [[127, 'rowLimit']]],
    ['bad page', 'archivefile/device', { deviceCode: 'ICLISTENHF1234', page: 'two' }, [[127, 'page']]],
    ['bad getLatest', 'archivefile/device', { deviceCode: 'ICLISTENHF1234', getLatest: 'yes' }, [[127, 'getLatest']]],
    [
      'bad returnOptions',
      'archivefile/device',
      { deviceCode: 'ICLISTENHF1234', returnOptions: 'some' },
      [[127, 'returnOptions']],
    ],
    [
      'unknown data product',
      'archivefile/device',
      { deviceCode: 'ICLISTENHF1234', dataProductCode: 'XYZ' },
      [[127, 'dataProductCode']],
    ],
    ['missing file name', 'archivefile/download', {}, [[128, 'filename']]],
    ['unknown archive file', 'archivefile/download', { filename: 'FAKEFILE.XYZ' }, [[96, 'filename']]],
    [
      'a name off the file grid',
      'archivefile/download',
      { filename: 'ICLISTENHF1234_20240601T000100.000Z.wav' },
      [[96, 'filename']],
    ],
    [
      'a name before the deployment',
      'archivefile/download',
      { filename: 'ICLISTENHF1234_20200601T000000.000Z.wav' },
      [[96, 'filename']],
    ],
    [
      'a file not recorded yet',
      'archivefile/download',
      { filename: 'ICLISTENHF1234_20240602T000000.000Z.wav' },
      [[96, 'filename']],
    ],
  ] as const)('%s → 400', async (_name, path, params, expected) => {
    const s = await sim();
    const r = await api(s, path, params);
    expect(r.status).toBe(400);
    expect(codes(errorsOf(r))).toEqual(expected);
    expect(errorsOf(r).every((e) => typeof e.errorMessage === 'string' && e.errorMessage.length > 0)).toBe(true);
  });

  it('reports everything that is wrong in one body', async () => {
    const s = await sim();
    const r = await api(s, 'archivefile/location', {
      locationCode: 'XYZ123',
      dateFrom: 'yesterday',
      rowLimit: '-5',
      extension: 'wav',
      sort: 'name',
    });
    expect(r.status).toBe(400);
    expect(codes(errorsOf(r))).toEqual([
      [129, 'extension'],
      [129, 'sort'],
      [128, 'deviceCategoryCode'],
      [127, 'locationCode'],
      [127, 'dateFrom'],
      [127, 'rowLimit'],
    ]);
  });

  it('answers 401 with 128 for a missing token and 127 for a wrong one, on every archive call and form', async () => {
    const s = await startSim({ tokens: ['good'], clock: new ManualClock(ARCHIVE_NOW) });
    const calls: [string, Record<string, string>][] = [
      ['archivefile/location', LOCATION],
      ['archivefile/device', { deviceCode: 'ICLISTENHF1234' }],
      ['archivefile/download', { filename: 'ICLISTENHF1234_20240601T000000.000Z.wav' }],
      ['archivefiles', { method: 'getListByDevice', deviceCode: 'ICLISTENHF1234' }],
      ['archivefiles', { method: 'getFile', filename: 'ICLISTENHF1234_20240601T000000.000Z.wav' }],
    ];
    for (const [path, params] of calls) {
      const missing = await api(s, path, params, { token: null });
      expect(missing.status, path).toBe(401);
      expect(missing.json).toEqual({
        errors: [{ errorCode: 128, errorMessage: 'Missing parameter', parameter: 'token' }],
      });
      const wrong = await api(s, path, params, { token: 'bad' });
      expect(wrong.status, path).toBe(401);
      expect(wrong.json).toEqual({
        errors: [{ errorCode: 127, errorMessage: 'Invalid parameter value', parameter: 'token' }],
      });
      expect((await api(s, path, params, { token: 'good' })).status, path).toBe(200);
    }
  });

  it('refuses a missing or unknown method on the older form, and unknown paths', async () => {
    const s = await sim();
    const missing = await api(s, 'archivefiles', { deviceCode: 'ICLISTENHF1234' });
    expect(codes(errorsOf(missing))).toEqual([[128, 'method']]);
    const unknown = await api(s, 'archivefiles', { method: 'getlistbydevice', deviceCode: 'ICLISTENHF1234' });
    expect(codes(errorsOf(unknown))).toEqual([[127, 'method']]);
    expect(s.calls().at(-1)?.method).toBe('getlistbydevice');
    expect((await api(s, 'archivefile/list', {})).status).toBe(404);
    expect((await api(s, 'archivefile/device', { deviceCode: 'ICLISTENHF1234' }, { httpMethod: 'POST' })).status).toBe(
      405,
    );
  });
});
