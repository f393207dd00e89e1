import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASET_SHAPE, type Row } from '../src/index.js';
import { get, pullAll, startSim, type Page } from './helpers.js';

const DOI_PATTERN = /^10\.(25976|81029)\/[a-z0-9]{4}-[a-z0-9]{2}[0-9]{2}$/; // the OpenAPI file's
const TIME_PATTERN = /^(2[0-3]|[01][0-9]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?$/;
const ZONE_PATTERN = /^(Z|[+-](0[0-9]|1[0-9]|2[0-4]):[0-5][0-9])$/;

describe('generated data', () => {
  it('is the same after a restart with the same seed, and different with another', async () => {
    const options = { seed: 11, datasets: 2, locations: 5, observationsPerLocation: [20, 80] as [number, number] };
    const first = await startSim(options);
    const before = {
      metadata: (await pullAll(first, 'Metadata')).rows,
      locations: (await pullAll(first, 'Locations', { $top: 100 })).rows,
      records: (await pullAll(first, 'Records', { $top: 500 })).rows,
    };
    await first.close();
    const second = await startSim(options);
    expect((await pullAll(second, 'Metadata')).rows).toEqual(before.metadata);
    expect((await pullAll(second, 'Locations', { $top: 100 })).rows).toEqual(before.locations);
    expect((await pullAll(second, 'Records', { $top: 500 })).rows).toEqual(before.records);
    const other = await startSim({ ...options, seed: 12 });
    expect(other.rows('Records')).not.toEqual(before.records);
    expect(other.dois()).not.toEqual(second.dois());
  });

  it('looks like DataStream data: vocabularies, formats, nulls, and strings a CSV writer must quote', async () => {
    const sim = await startSim({ locations: 16, datasets: 4 });
    const observations = sim.rows('Observations');
    const characteristics = new Set(observations.map((r) => r['CharacteristicName']));
    expect(characteristics).toContain('pH');
    expect(characteristics).toContain('Temperature, water');
    expect(characteristics.size).toBeGreaterThan(5);
    for (const r of observations) {
      expect(r['DOI']).toMatch(DOI_PATTERN);
      expect(r['ActivityStartDate']).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(r['ActivityStartTime']).toMatch(TIME_PATTERN);
      expect(r['ActivityStartTimeZone']).toMatch(ZONE_PATTERN);
      expect(typeof r['Id']).toBe('number');
      expect(typeof r['LocationId']).toBe('number');
      if (r['ResultValue'] !== null) expect(typeof r['ResultValue']).toBe('number');
      if (r['ResultDetectionCondition'] === 'Not Detected') {
        expect(r['ResultValue']).toBeNull();
        expect(typeof r['ResultDetectionQuantitationLimitMeasure']).toBe('number');
      }
    }
    expect(observations.some((r) => r['ResultValue'] === null)).toBe(true);
    expect(observations.some((r) => r['ActivityEndDate'] === null)).toBe(true);
    const texts = [...observations, ...sim.rows('Locations'), ...sim.rows('Metadata')].flatMap((r) =>
      Object.values(r).filter((v): v is string => typeof v === 'string'),
    );
    expect(texts.some((t) => t.includes(','))).toBe(true);
    expect(texts.some((t) => t.includes('"'))).toBe(true);
    expect(texts.some((t) => t.includes('\n'))).toBe(true);
    expect(texts.some((t) => t.includes('\r\n'))).toBe(true);
    expect(texts.some((t) => /[^\p{ASCII}]/u.test(t))).toBe(true);
    expect(observations.some((r) => typeof r['ResultComment'] === 'string' && /[",\n]/.test(r['ResultComment']))).toBe(
      true,
    );
  });

  it('gives every dataset a citation, licence, version and a TemporalExtent bounding its observations', async () => {
    const sim = await startSim({ datasets: 4, locations: 10 });
    const observations = sim.rows('Observations');
    for (const doi of sim.dois()) {
      const meta = sim.metadata(doi) as Row;
      expect(meta['DOI']).toBe(doi);
      expect(meta['Citation']).toContain(`https://doi.org/${doi}`);
      expect(meta['Licence']).toEqual(expect.any(String));
      expect(meta['Version']).toMatch(/^\d+\.\d+\.\d+$/);
      expect(meta['Id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const dates = observations
        .filter((r) => r['DOI'] === doi)
        .map((r) => String(r['ActivityStartDate']))
        .sort();
      expect(meta['TemporalExtent']).toEqual([dates[0], dates[dates.length - 1]]);
      const years = new Set(dates.map((d) => Number(d.slice(0, 4))));
      for (const year of years)
        expect(sim.rows('Metadata', { filter: `ActivityStartYear eq ${year}`, select: ['DOI'] })).toContainEqual({
          DOI: doi,
        });
    }
    expect(sim.metadata('10.25976/none-zz00')).toBeUndefined();
  });

  it('joins each Record with its dataset and location', async () => {
    const sim = await startSim();
    const locationOf = new Map(sim.rows('Observations').map((r) => [r['Id'], r['LocationId']]));
    const locations = new Map(sim.rows('Locations').map((l) => [l['Id'], l]));
    const records = sim.rows('Records');
    expect(records.length).toBe(locationOf.size);
    for (const r of records.slice(0, 200)) {
      const loc = locations.get(locationOf.get(r['Id'])) as Row;
      expect(r['MonitoringLocationID']).toBe(loc['ID']);
      expect(r['MonitoringLocationName']).toBe(loc['Name']);
      expect(r['MonitoringLocationLatitude']).toBe(loc['Latitude']);
      expect(r['DatasetName']).toBe(sim.metadata(String(r['DOI']))?.['DatasetName']);
    }
  });

  it('holds hundreds of thousands of observations by default and serves any page quickly', async () => {
    const started = Date.now();
    const sim = await startSim({ ...DEFAULT_DATASET_SHAPE, observationsPerLocation: [5000, 15000] });
    const startup = Date.now() - started;
    const summary = sim.summary();
    expect(summary).toMatchObject({ datasets: 5, locations: 40, seed: 1 });
    expect(summary.observations).toBeGreaterThan(200_000);
    expect(summary.observations).toBeLessThan(600_000);
    expect(startup).toBeLessThan(15_000);
    const [first, last] = summary.observationIds ?? [0, 0];
    const deep = Math.floor((first + last) / 2);
    const timings: number[] = [];
    const queries: Record<string, string | number>[] = [
      { $top: 1000 },
      { $top: 1000, $skiptoken: `Id:${deep}` },
      {
        $top: 1000,
        $filter: `LocationId eq ${summary.locationIds[20]} and CharacteristicName eq 'pH'`,
        $skiptoken: `Id:${deep}`,
      },
    ];
    for (const params of queries) {
      const t = Date.now();
      const answer = await get(sim, 'Observations', params);
      timings.push(Date.now() - t);
      expect(answer.status).toBe(200);
      expect((answer.json as Page).value.length).toBeGreaterThan(0);
    }
    // Generous bounds for a loaded 2-core machine; a full rescan per page would be far slower on the deep pages.
    expect(Math.max(...timings)).toBeLessThan(5_000);
  });
});
