import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import { ARCHIVE_NOW, api, errorsOf, startSim } from './helpers.js';

const sim = () => startSim({ clock: new ManualClock(ARCHIVE_NOW) });
type Row = Record<string, unknown>;
const rows = (r: { status: number; json: unknown; text: string }): Row[] => {
  if (r.status !== 200) throw new Error(`discovery answered ${r.status}: ${r.text}`);
  return r.json as Row[];
};
const codes = (errors: { errorCode: number; parameter: string }[]) => errors.map((e) => [e.errorCode, e.parameter]);

describe('discovery services', () => {
  it('locations: the documented fields, filters by code, name, category, product and dates', async () => {
    const s = await sim();
    const [fgpd] = rows(
      await api(s, 'locations', { locationCode: 'FGPD', dateFrom: '2005-09-17', dateTo: '2024-01-01' }),
    );
    expect(fgpd).toEqual({
      deployments: 1,
      locationName: 'Folger Deep',
      depth: 96.569761,
      bbox: {
        maxDepth: 96.569761,
        maxLat: 48.813795,
        maxLon: -125.280572,
        minDepth: 96.569761,
        minLat: 48.813795,
        minLon: -125.280572,
      },
      description: expect.stringContaining('Folger Passage') as unknown,
      hasDeviceData: true,
      lon: -125.280572,
      locationCode: 'FGPD',
      hasPropertyData: false,
      lat: 48.813795,
      dataSearchURL: 'https://data.oceannetworks.ca/DataSearch?location=FGPD',
    });
    const names = async (params: Record<string, string>) =>
      rows(await api(s, 'locations', params)).map((l) => l['locationCode']);
    expect(await names({ locationName: 'barkley' })).toEqual(['BACY', 'BACAX']);
    expect(await names({ deviceCategoryCode: 'HYDROPHONE' })).toEqual(['BACAX', 'FGPD']);
    expect(await names({ deviceCategoryCode: 'CTD', dateFrom: '2014-06-01', dateTo: '2014-07-01' })).toEqual([
      'BACAX',
      'BIIP',
    ]);
    expect(await names({ dataProductCode: 'TSSD', propertyCode: 'pressure' })).toEqual(
      ['BACAX', 'CRIP.C1', 'BIIP', 'SIMRST', 'NCBC'].sort((a, b) => order(a) - order(b)),
    );
    expect(await names({ locationCode: 'FGP', includeChildren: 'true' })).toEqual(['FGP', 'FGPD', 'NCBC']);
    const bacax = rows(
      await api(s, 'locations', {
        locationCode: 'BACAX',
        deviceCategoryCode: 'CTD',
        dateFrom: '2015-09-17',
        dateTo: '2015-09-18',
      }),
    );
    expect(bacax[0]?.['deployments']).toBe(2); // the CTD swap that day
  });

  it('locations/tree: nested nodes, children null for leaves, pruned by filters', async () => {
    const s = await sim();
    const [tree] = rows(await api(s, 'locations/tree', { locationCode: 'FGP' }));
    expect(tree).toEqual({
      locationName: 'Folger Passage',
      children: [
        {
          locationName: 'Folger Deep',
          children: null,
          description: expect.any(String) as unknown,
          hasDeviceData: true,
          locationCode: 'FGPD',
          hasPropertyData: false,
        },
        {
          locationName: 'Folger Passage Bottom Pressure Site',
          children: null,
          description: '',
          hasDeviceData: true,
          locationCode: 'NCBC',
          hasPropertyData: true,
        },
      ],
      description: '',
      hasDeviceData: false,
      locationCode: 'FGP',
      hasPropertyData: false,
    });
    const cams = rows(await api(s, 'locations/tree', { deviceCategoryCode: 'VIDEOCAM' }));
    expect(cams.map((n) => n['locationCode'])).toEqual(['NC']);
    expect((cams[0]?.['children'] as Row[]).map((n) => n['locationCode'])).toEqual(['RISS']);
    expect((await api(s, 'locations/tree', { locationCode: 'FGP', dateTo: '1900-01-01' })).status).toBe(404);
  });

  it('devices: the documented fields and filters', async () => {
    const s = await sim();
    expect(
      rows(await api(s, 'devices', { deviceCode: 'BPR-Folger-59', dateFrom: '2005-09-17', dateTo: '2020-09-17' })),
    ).toEqual([
      {
        cvTerm: {
          device: [
            {
              uri: expect.stringMatching(/^http:\/\/vocab\.nerc\.ac\.uk\//) as unknown,
              vocabulary: 'SeaVoX Device Catalogue',
            },
          ],
        },
        dataRating: [{ dateFrom: '2007-01-01T00:00:00.000Z', dateTo: null, samplePeriod: 1, sampleSize: 1 }],
        deviceCategoryCode: 'BPR',
        deviceCode: 'BPR-Folger-59',
        deviceId: 21503,
        deviceLink: 'https://data.oceannetworks.ca/DeviceListing?DeviceId=21503',
        deviceName: 'NRCan Bottom Pressure Recorder 59',
        hasDeviceData: true,
      },
    ]);
    const ctds = rows(await api(s, 'devices', { locationCode: 'BACAX', deviceCategoryCode: 'CTD' })).map(
      (d) => d['deviceCode'],
    );
    expect(ctds).toEqual(['SBECTD16p6002', 'SBECTD19p6813']);
    const oxygen = rows(await api(s, 'devices', { propertyCode: 'oxygen' })).map((d) => d['deviceCode']);
    expect(oxygen).toEqual(['AandOpt0581']);
  });

  it('deployments: begin, end, position and citation, from the same devices', async () => {
    const s = await sim();
    const [first, second] = rows(
      await api(s, 'deployments', {
        locationCode: 'BACAX',
        deviceCategoryCode: 'CTD',
        dateFrom: '2015-09-17',
        dateTo: '2015-09-17T13:00:00.000Z',
      }),
    );
    expect(second).toBeUndefined();
    expect(first).toEqual({
      begin: '2014-05-09T15:50:42.000Z',
      citation: {
        citation: expect.stringContaining(
          'Barkley Canyon Axis Conductivity Temperature Depth Deployed 2014-05-09',
        ) as unknown,
        doi: '10.80242/sim-22503',
        landingPageUrl: 'https://doi.org/10.80242/sim-22503',
        queryPid: null,
      },
      depth: 982,
      deviceCategoryCode: 'CTD',
      deviceCode: 'SBECTD16p6002',
      end: '2015-09-17T12:59:52.000Z',
      hasDeviceData: true,
      heading: null,
      lat: 48.316583,
      locationCode: 'BACAX',
      lon: -126.050796,
      pitch: null,
      roll: null,
    });
    const adcp = rows(await api(s, 'deployments', { deviceCode: 'RDIADCP2MHZ8006' }));
    expect(adcp[0]).toMatchObject({ end: null, heading: 12.5, pitch: 1.2, roll: -0.4 });
  });

  it('deviceCategories and properties: the documented fields and filters', async () => {
    const s = await sim();
    const [ctd] = rows(
      await api(s, 'deviceCategories', {
        deviceCategoryCode: 'CTD',
        deviceCategoryName: 'Conductivity',
        description: 'Temperature',
      }),
    );
    expect(ctd).toEqual({
      cvTerm: { deviceCategory: [{ uri: expect.any(String) as unknown, vocabulary: 'SeaDataNet device categories' }] },
      description: 'Conductivity Temperature (and Depth Sensor)',
      deviceCategoryCode: 'CTD',
      deviceCategoryName: 'Conductivity Temperature Depth',
      hasDeviceData: true,
      longDescription: expect.stringContaining('conductivity') as unknown,
    });
    expect(
      (await api(s, 'deviceCategories', { deviceCategoryCode: 'CTD', description: 'TemperatureXXX' })).status,
    ).toBe(404);
    const atRiss = rows(await api(s, 'deviceCategories', { locationCode: 'RISS' })).map((c) => c['deviceCategoryCode']);
    expect(atRiss).toEqual(['VIDEOCAM']);

    const [conductivity] = rows(
      await api(s, 'properties', { propertyCode: 'conductivity', locationCode: 'BACAX', deviceCategoryCode: 'CTD' }),
    );
    expect(conductivity).toEqual({
      cvTerm: { property: [], uom: [{ uri: expect.any(String) as unknown, vocabulary: 'BODC data storage units' }] },
      description: 'Conductivity: siemens per metre',
      hasDeviceData: true,
      hasPropertyData: true,
      propertyCode: 'conductivity',
      propertyName: 'Conductivity',
      uom: 'S/m',
    });
    expect((await api(s, 'properties', { propertyCode: 'conductivity', locationCode: 'FGPD' })).status).toBe(404);
    const atNcbc = rows(await api(s, 'properties', { locationCode: 'NCBC' })).map((p) => p['propertyCode']);
    expect(atNcbc).toEqual(['seawatertemperature', 'pressure']);
  });

  it('dataProducts: one row per product and extension, with the options that apply to that extension', async () => {
    const s = await sim();
    const tssd = rows(await api(s, 'dataProducts', { dataProductCode: 'TSSD' }));
    expect(tssd.map((p) => p['extension'])).toEqual(['csv', 'json', 'mat', 'txt']);
    const csv = tssd[0] as Row;
    expect(csv).toMatchObject({
      dataProductCode: 'TSSD',
      dataProductName: 'Time Series Scalar Data',
      hasDeviceData: true,
      hasPropertyData: true,
      helpDocument: expect.stringMatching(/^https:\/\//) as unknown,
    });
    const options = csv['dataProductOptions'] as Row[];
    expect(options.map((o) => o['option'])).toEqual([
      'qualityControl',
      'resample',
      'average',
      'minMax',
      'minMaxAvg',
      'dataGaps',
    ]);
    expect(options[0]).toEqual({
      allowableRange: null,
      allowableValues: ['0', '1'],
      defaultValue: '1',
      documentation: [expect.stringMatching(/^https:\/\//) as unknown],
      option: 'qualityControl',
      suboptions: null,
    });
    expect(options[1]?.['allowableValues']).toEqual(['none', 'average', 'minMax', 'minMaxAvg']);
    expect(options[2]?.['allowableRange']).toEqual({
      lowerBound: '1',
      upperBound: '86400',
      onlyIntegers: true,
      unitOfMeasure: 's',
    });
    const json = (tssd[1]?.['dataProductOptions'] as Row[]).map((o) => o['option']);
    expect(json).toContain('jsonOutputEncoding');

    const hsd = rows(await api(s, 'dataProducts', { dataProductCode: 'HSD', extension: 'png' }));
    const lower = (hsd[0]?.['dataProductOptions'] as Row[]).find((o) => o['option'] === 'lowerColourLimit');
    expect(lower).toMatchObject({
      allowableRange: { lowerBound: '-160.0', upperBound: '140.0', onlyIntegers: false, unitOfMeasure: 'dB' },
      allowableValues: ['-1000'],
      defaultValue: '-1000',
    });
    const mat = rows(await api(s, 'dataProducts', { dataProductCode: 'HSD', extension: 'mat' }));
    expect((mat[0]?.['dataProductOptions'] as Row[]).map((o) => o['option'])).not.toContain('lowerColourLimit');
    expect(rows(await api(s, 'dataProducts', { dataProductName: 'scalar' })).map((p) => p['dataProductCode'])).toEqual([
      'TSSD',
      'TSSD',
      'TSSD',
      'TSSD',
      'TSSP',
      'TSSP',
    ]);
  });

  it('names options with their dpo_ prefix, and writes booleans as strings, when told to', async () => {
    const s = await startSim({
      clock: new ManualClock(ARCHIVE_NOW),
      discovery: { optionNames: 'dpo_', stringBooleans: true },
    });
    const [csv] = rows(await api(s, 'dataProducts', { dataProductCode: 'TSSD', extension: 'csv' }));
    expect((csv?.['dataProductOptions'] as Row[])[0]?.['option']).toBe('dpo_qualityControl');
    expect(csv).toMatchObject({ hasDeviceData: 'true', hasPropertyData: 'true' });
    expect((csv?.['dataProductOptions'] as Row[])[2]?.['allowableRange']).toMatchObject({ onlyIntegers: true });
    const [fgpd] = rows(await api(s, 'locations', { locationCode: 'FGPD' }));
    expect(fgpd).toMatchObject({ hasDeviceData: 'true', hasPropertyData: 'false' });
    const [tree] = rows(await api(s, 'locations/tree', { locationCode: 'FGP' }));
    expect((tree?.['children'] as Row[])[0]).toMatchObject({ hasDeviceData: 'true' });
    s.configure({ discovery: { stringBooleans: false } });
    expect(rows(await api(s, 'devices', { deviceCode: 'BPR-Folger-59' }))[0]?.['hasDeviceData']).toBe(true);
  });

  it('answers "nothing found" with 404, except deployments (400/127); codes and extensions match exactly', async () => {
    const s = await sim();
    const statuses = async (calls: [string, Record<string, string>][]) =>
      Promise.all(calls.map(async ([path, p]) => (await api(s, path, p)).status));
    expect(
      await statuses([
        ['locations', { locationCode: 'FGPD', dateTo: '1900-01-01' }],
        ['devices', { deviceCode: 'BPR-Folger-59', dateTo: '1900-01-01' }],
        ['dataProducts', { dataProductCode: 'HSD', extension: 'txt' }],
        ['dataProducts', { dataProductCode: 'TSSD', extension: 'CSV' }],
        ['deviceCategories', { locationCode: 'SIMRST', propertyCode: 'oxygen' }],
        ['properties', { locationCode: 'RISS' }],
      ]),
    ).toEqual([404, 404, 404, 404, 404, 404]);
    const none = await api(s, 'deployments', {
      locationCode: 'BACAX',
      deviceCategoryCode: 'CTD',
      dateTo: '1900-01-01',
    });
    expect(none.status).toBe(400);
    expect(codes(errorsOf(none))).toEqual([[127, 'dateFrom/dateTo']]);
  });

  it.each([
    ['locations', { locationCode: 'XYZ123' }, [[127, 'locationCode']]],
    ['locations', { locationCode: 'bacax' }, [[127, 'locationCode']]],
    ['locations', { locationCodes: 'FGPD' }, [[129, 'locationCodes']]],
    ['locations', { locationCode: 'FGPD', dateFrom: '2020-01-01', dateTo: '2019-01-01' }, [[23, 'dateFrom/dateTo']]],
    ['locations', { locationCode: 'FGPD', dateFrom: '2050-01-01' }, [[25, 'dateFrom/dateTo']]],
    ['locations', { includeChildren: 'maybe' }, [[127, 'includeChildren']]],
    ['locations/tree', { locationCode: 'XYZ123' }, [[127, 'locationCode']]],
    ['devices', { deviceCode: 'XYZ123' }, [[127, 'deviceCode']]],
    ['devices', { deviceCodes: 'BPR-Folger-59' }, [[129, 'deviceCodes']]],
    ['devices', { deviceCode: 'BPR-Folger-59', dateFrom: '2050-01-01' }, [[25, 'dateFrom/dateTo']]],
    ['deviceCategories', { deviceCategoryCode: 'XYZ123' }, [[127, 'deviceCategoryCode']]],
    ['deviceCategories', { deviceCategoryCodes: 'CTD' }, [[129, 'deviceCategoryCodes']]],
    ['properties', { propertyCode: 'XYZ123' }, [[127, 'propertyCode']]],
    ['properties', { propertyCodes: 'conductivity' }, [[129, 'propertyCodes']]],
    ['dataProducts', { dataProductCode: 'XYZ123' }, [[127, 'dataProductCode']]],
    ['dataProducts', { dataProductCodes: 'HSD' }, [[129, 'dataProductCodes']]],
    ['dataProducts', { dateFrom: '2019-01-01' }, [[129, 'dateFrom']]],
    ['deployments', { locationCode: 'XYZ123', deviceCategoryCode: 'CTD' }, [[127, 'locationCode']]],
    ['deployments', { locationCodes: 'BACAX', deviceCategoryCode: 'CTD' }, [[129, 'locationCodes']]],
    ['deployments', { locationCode: 'BACAX', dateFrom: '2020-01-01', dateTo: '2019-01-01' }, [[23, 'dateFrom/dateTo']]],
    [
      'devices',
      { deviceCode: 'XYZ', locationCode: 'ABC', sort: 'x', dateFrom: 'soon' },
      [
        [129, 'sort'],
        [127, 'locationCode'],
        [127, 'deviceCode'],
        [127, 'dateFrom'],
      ],
    ],
  ] as const)('%s %j → 400 %j', async (path, params, expected) => {
    const s = await sim();
    const r = await api(s, path, params);
    expect(r.status).toBe(400);
    expect(codes(errorsOf(r))).toEqual(expected);
  });

  it('answers 401 on a missing or wrong token, accepts the older method=get, and refuses other methods', async () => {
    const s = await startSim({ tokens: ['good'] });
    expect((await api(s, 'locations', {}, { token: null })).json).toEqual({
      errors: [{ errorCode: 128, errorMessage: 'Missing parameter', parameter: 'token' }],
    });
    expect((await api(s, 'dataProducts', {}, { token: 'bad' })).status).toBe(401);
    expect((await api(s, 'locations', { method: 'get' }, { token: 'good' })).status).toBe(200);
    expect(codes(errorsOf(await api(s, 'locations', { method: 'list' }, { token: 'good' })))).toEqual([
      [127, 'method'],
    ]);
  });

  it('records discovery calls, counts them in stats, and lets faults target them', async () => {
    const s = await sim();
    s.injectFault({
      methods: ['dataProducts'],
      times: 2,
      action: { kind: 'status', status: 503, body: { message: 'down' } },
    });
    s.injectFault({ methods: ['deployments'], action: { kind: 'delay', ms: 250 } });
    expect((await api(s, 'dataProducts', { dataProductCode: 'TSSD' })).status).toBe(503);
    expect((await api(s, 'dataProducts', { dataProductCode: 'TSSD' })).status).toBe(503);
    expect((await api(s, 'dataProducts', { dataProductCode: 'TSSD' })).status).toBe(200);
    const started = Date.now();
    await Promise.all([api(s, 'deployments', { deviceCode: 'BPR-Folger-59' }), api(s, 'locations', {})]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    s.injectFault({ methods: ['locations'], action: { kind: 'reset' } });
    await expect(api(s, 'locations', {})).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.calls().map((c) => [c.service, c.method, c.status, c.fault])).toEqual([
      ['discovery', 'dataProducts', 503, 'status'],
      ['discovery', 'dataProducts', 503, 'status'],
      ['discovery', 'dataProducts', 200, null],
      ['discovery', 'deployments', 200, 'delay'],
      ['discovery', 'locations', 200, null],
      ['discovery', 'locations', null, 'reset'],
    ]);
    expect(s.stats().peakInFlightByMethod).toMatchObject({ dataProducts: 1, deployments: 1, locations: 1 });
    expect(s.stats().peakInFlight).toBe(2);
  });
});

/** The default catalogue's order of locations (answers keep catalogue order). */
const ORDER = ['NEP', 'BACY', 'BACAX', 'FGP', 'FGPD', 'NCBC', 'SAL', 'CRIP', 'CRIP.C1', 'BIIP', 'NC', 'RISS', 'SIMRST'];
const order = (code: string) => ORDER.indexOf(code);
