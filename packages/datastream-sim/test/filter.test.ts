import { describe, expect, it } from 'vitest';
import type { Row } from '../src/index.js';
import { get, pullAll, startSim, type Page } from './helpers.js';

const yearOf = (r: Row): number => Number(String(r['ActivityStartDate']).slice(0, 4));

describe('$filter', () => {
  it('applies each comparison operator, checked against the rows themselves', async () => {
    const sim = await startSim();
    const all = sim.rows('Observations');
    const years = [...new Set(all.map(yearOf))].sort();
    const mid = years[Math.floor(years.length / 2)] ?? 2010;
    const cases: [string, (r: Row) => boolean][] = [
      ["CharacteristicName eq 'pH'", (r) => r['CharacteristicName'] === 'pH'],
      ["CharacteristicName ne 'pH'", (r) => r['CharacteristicName'] !== 'pH'],
      [`ActivityStartYear lt ${mid}`, (r) => yearOf(r) < mid],
      [`ActivityStartYear gt ${mid}`, (r) => yearOf(r) > mid],
      [`ActivityStartYear lte ${mid}`, (r) => yearOf(r) <= mid],
      [`ActivityStartYear gte ${mid}`, (r) => yearOf(r) >= mid],
      [`ActivityStartYear le ${mid}`, (r) => yearOf(r) <= mid],
      [`ActivityStartYear ge ${mid}`, (r) => yearOf(r) >= mid],
      [`ActivityStartYear eq '${mid}'`, (r) => yearOf(r) === mid],
      [
        "CharacteristicName in ('Temperature, water', 'pH')",
        (r) => ['Temperature, water', 'pH'].includes(String(r['CharacteristicName'])),
      ],
      ["ActivityGroupType eq 'Sample'", (r) => String(r['ActivityType']).startsWith('Sample')],
    ];
    for (const [filter, predicate] of cases) {
      const expected = all.filter(predicate);
      expect(expected.length, filter).toBeGreaterThan(0);
      expect(expected.length, filter).toBeLessThan(all.length);
      expect(sim.rows('Observations', { filter }), filter).toEqual(expected);
      const { rows } = await pullAll(sim, 'Observations', { $filter: filter, $top: 10_000 });
      expect(rows, filter).toEqual(expected);
    }
  });

  it('binds and tighter than or, and parentheses override it', async () => {
    const sim = await startSim();
    const all = sim.rows('Observations');
    const [locA, locB] = sim.locationIds();
    const isA = (r: Row) => r['LocationId'] === locA;
    const isB = (r: Row) => r['LocationId'] === locB;
    const isPh = (r: Row) => r['CharacteristicName'] === 'pH';
    const loose = `LocationId eq ${locA} or LocationId eq ${locB} and CharacteristicName eq 'pH'`;
    const grouped = `(LocationId eq ${locA} or LocationId eq ${locB}) and CharacteristicName eq 'pH'`;
    const looseRows = (await pullAll(sim, 'Observations', { $filter: loose, $top: 10_000 })).rows;
    const groupedRows = (await pullAll(sim, 'Observations', { $filter: grouped, $top: 10_000 })).rows;
    expect(looseRows).toEqual(all.filter((r) => isA(r) || (isB(r) && isPh(r))));
    expect(groupedRows).toEqual(all.filter((r) => (isA(r) || isB(r)) && isPh(r)));
    expect(looseRows.length).toBeGreaterThan(groupedRows.length);
  });

  it('serves sparse filters (merging group lists) and dense ones (scanning) alike', async () => {
    const sim = await startSim({ locations: 40, datasets: 4, observationsPerLocation: [20, 120] });
    const ids = sim.locationIds();
    const filters = [
      `LocationId eq ${ids[3]} and CharacteristicName in ('pH', 'Temperature, water')`, // far below 1/16 of rows
      `LocationId in (${ids.slice(0, 30).join(', ')})`, // most rows
      "ActivityMediaName eq 'Surface Water' or ActivityStartYear lt 2010",
    ];
    for (const filter of filters) {
      const { rows } = await pullAll(sim, 'Records', { $filter: filter, $top: 17 });
      expect(rows, filter).toEqual(sim.rows('Records', { filter }));
      expect(rows.length, filter).toBeGreaterThan(0);
    }
  });

  it('filters Locations and Metadata through their observations, and by their own fields', async () => {
    const sim = await startSim({ datasets: 4, locations: 12 });
    const observations = sim.rows('Observations');
    const withLead = new Set(
      observations.filter((r) => r['CharacteristicName'] === 'Escherichia coli').map((r) => r['LocationId']),
    );
    expect(sim.locationIds("CharacteristicName eq 'Escherichia coli'")).toEqual(
      [...withLead].sort((a, b) => Number(a) - Number(b)),
    );
    const located = (
      await pullAll(sim, 'Locations', { $select: 'Id', $filter: "CharacteristicName eq 'Escherichia coli'" })
    ).rows;
    expect(located.map((r) => r['Id'])).toEqual(sim.locationIds("CharacteristicName eq 'Escherichia coli'"));

    const [doi] = sim.dois();
    const suffix = (doi ?? '').slice(-9);
    const meta = await get(sim, 'Metadata', {
      $select: 'DOI,DatasetName,Licence,Citation,Version',
      $filter: `endswith(DOI, '${suffix}')`,
    });
    expect((meta.json as Page).value).toEqual([
      {
        DOI: doi,
        DatasetName: sim.metadata(doi ?? '')?.['DatasetName'],
        Licence: sim.metadata(doi ?? '')?.['Licence'],
        Citation: sim.metadata(doi ?? '')?.['Citation'],
        Version: sim.metadata(doi ?? '')?.['Version'],
      },
    ]);

    const locations = sim.rows('Locations');
    const hubRows = sim.rows('Locations', {
      filter: "RegionId in ('hub.atlantic', 'hub.pacific', 'hub.lakewinnipeg')",
    });
    const notCanada = sim.rows('Locations', { filter: "RegionId ne 'admin.2.ca'" });
    expect(sim.rows('Locations', { filter: "RegionId eq 'admin.2.ca'" })).toEqual(locations);
    expect(notCanada).toEqual([]);
    expect(hubRows.length).toBeLessThanOrEqual(locations.length);

    const box = 'LatitudeNormalized gt 49 and LatitudeNormalized lt 56';
    expect(sim.rows('Locations', { filter: box })).toEqual(
      locations.filter((l) => Number(l['LatitudeNormalized']) > 49 && Number(l['LatitudeNormalized']) < 56),
    );
    // Quoted numbers, as the documents write a bounding box.
    expect(sim.rows('Locations', { filter: "LatitudeNormalized gt '49' and LatitudeNormalized lt '56'" })).toEqual(
      sim.rows('Locations', { filter: box }),
    );
  });

  it("reads '' as a quote inside a string", async () => {
    const sim = await startSim({ locations: 30, datasets: 3, observationsPerLocation: [1, 5] });
    const names = sim.rows('Locations').map((l) => String(l['Name']));
    const withQuote = names.find((n) => n.includes("'"));
    expect(withQuote).toBeDefined();
    const filter = `Name eq '${(withQuote ?? '').replace(/'/g, "''")}'`;
    const rows = (await get(sim, 'Locations', { $filter: filter })).json as Page;
    expect(rows.value.map((r) => r['Name'])).toEqual(names.filter((n) => n === withQuote).slice(0, 10));
  });

  it('refuses bad filters with a 400 that names the problem', async () => {
    const sim = await startSim();
    const cases: [string, RegExp][] = [
      ["Colour eq 'red'", /unknown field 'Colour'/],
      ['ResultValue gt 5', /unknown field 'ResultValue'.*Observations filters on DOI, LocationId/],
      ["CharacteristicName eq 'pH", /not closed/],
      ["CharacteristicName = 'pH'", /unexpected character '='/],
      ['CharacteristicName eq', /expected a value after 'CharacteristicName eq'/],
      ["(CharacteristicName eq 'pH'", /expected '\)' to close the '\(' at position 1/],
      ["CharacteristicName eq 'pH')", /unexpected '\)'/],
      ["CharacteristicName like 'pH'", /expected an operator.*found 'like'/],
      ["CharacteristicName eq 'pH' AND DOI eq 'x'", /unexpected 'AND'/],
      ["LocationId eq 'abc'", /LocationId is a number; 'abc'/],
      ['LocationId eq 5undefined', /'5u…' at position 15 is not a number/],
      ["startswith(DOI, '10')", /unknown function 'startswith'/],
      ["not CharacteristicName eq 'pH'", /'not'.*not supported/],
      ['LocationId in ()', /expected a value/],
      ["endswith(LocationId, '5')", /endswith needs a text field/],
    ];
    for (const [filter, message] of cases) {
      const answer = await get(sim, 'Observations', { $filter: filter });
      expect(answer.status, filter).toBe(400);
      expect((answer.json as { message: string }).message, filter).toMatch(message);
    }
    // Name filters Locations but not Observations; Records does not filter on coordinates.
    expect((await get(sim, 'Locations', { $filter: "Name eq 'x'" })).status).toBe(200);
    expect((await get(sim, 'Observations', { $filter: "Name eq 'x'" })).status).toBe(400);
    expect((await get(sim, 'Records', { $filter: 'LatitudeNormalized gt 49' })).status).toBe(400);
  });

  it('treats an empty $filter as none (the Python client sends one when partitioning without a filter)', async () => {
    const sim = await startSim();
    const { rows } = await pullAll(sim, 'Locations', { $select: 'Id', $filter: '', $top: 10_000 });
    expect(rows.map((r) => r['Id'])).toEqual(sim.locationIds());
  });
});
