import { describe, expect, it } from 'vitest';
import { dataStreamSpecSchema } from '../src/datastream-spec.js';
import { firstPageUrl, nextLinkProblem, partitionFilter, withTop } from '../src/partition-query.js';
import { yearsOf } from '../src/list-partitions.js';

const base = 'https://api.datastream.org/v1/odata/v4';

describe('a partition query', () => {
  it("keeps the order's filter whole inside parentheses and encodes every value", () => {
    const spec = dataStreamSpecSchema.parse({
      source: 'datastream',
      filter: "CharacteristicName eq 'pH' or CharacteristicName eq 'Temperature, water'",
      select: ['Id', 'ResultValue'],
    });
    const params = { locationId: 12, year: 2019, doi: null };
    expect(partitionFilter(spec.filter, params)).toBe(
      "LocationId eq 12 and ActivityStartYear eq 2019 and (CharacteristicName eq 'pH' or CharacteristicName eq 'Temperature, water')",
    );
    const url = new URL(firstPageUrl(base, spec, params, 10_000));
    expect(url.pathname).toBe('/v1/odata/v4/Observations');
    expect(url.searchParams.get('$filter')).toBe(partitionFilter(spec.filter, params));
    expect(url.searchParams.get('$top')).toBe('10000');
    expect(url.searchParams.get('$select')).toBe('Id,ResultValue');
    expect(url.search).not.toMatch(/[ '()]/);
  });

  it('asks for another $top on a committed link, keeping the rest', () => {
    const link = `${base}/Observations?$filter=LocationId%20eq%201&$skiptoken=Id:99&$top=10000`;
    const lowered = new URL(withTop(link, 5_000));
    expect(lowered.searchParams.get('$top')).toBe('5000');
    expect(lowered.searchParams.get('$skiptoken')).toBe('Id:99');
    expect(lowered.searchParams.get('$filter')).toBe('LocationId eq 1');
    expect(withTop(link, 10_000)).toBe(link);
  });

  it('refuses a next link that leaves the origin or repeats the page', () => {
    const current = `${base}/Observations?$skiptoken=Id:1&$top=10`;
    expect(nextLinkProblem(`${base}/Observations?$skiptoken=Id:2&$top=10`, current, base)).toBeUndefined();
    expect(nextLinkProblem('https://evil.example/v1/odata/v4/Observations', current, base)).toMatch(
      /leaves its origin https:\/\/api.datastream.org/,
    );
    expect(nextLinkProblem(current, current, base)).toMatch(/repeats the page just read/);
    expect(nextLinkProblem('not a url', current, base)).toMatch(/not a URL/);
  });

  it("reads a dataset's years from its TemporalExtent", () => {
    expect(yearsOf(['2016-05-02', '2019-10-30'])).toEqual([2016, 2017, 2018, 2019]);
    expect(yearsOf('2020-01-01/2020-12-31')).toEqual([2020]);
    expect(yearsOf(null)).toEqual([]);
  });
});

describe('the DataStream spec', () => {
  it('applies the defaults', () => {
    const spec = dataStreamSpecSchema.parse({ source: 'datastream' });
    expect(spec).toMatchObject({ resource: 'Observations', format: 'csv' });
  });

  it('names each bad field', () => {
    const result = dataStreamSpecSchema.safeParse({
      source: 'datastream',
      resource: 'Locations',
      filter: "Colour eq 'red'",
      select: ['Id', 'Nope', 'Id'],
      partitionBy: 'location',
      format: 'xml',
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [];
    expect(issues).toEqual(expect.arrayContaining([['format', expect.stringMatching(/csv|jsonl/)]]));
    const valid = dataStreamSpecSchema.safeParse({
      source: 'datastream',
      resource: 'Locations',
      filter: "Colour eq 'red'",
      select: ['Id', 'Nope', 'Id'],
      partitionBy: 'location',
    });
    const named = valid.error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [];
    expect(named).toEqual(
      expect.arrayContaining([
        ['filter', expect.stringMatching(/unknown field 'Colour' at position 1/)],
        ['select.1', expect.stringMatching(/Locations has no field 'Nope'/)],
        ['select.2', "'Id' is selected twice"],
        ['partitionBy', 'Locations is pulled whole: partitionBy must be none'],
      ]),
    );
  });
});
