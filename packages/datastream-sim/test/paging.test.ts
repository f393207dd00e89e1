import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../src/index.js';
import { get, getUrl, pullAll, startSim, type Page } from './helpers.js';

describe('paging', () => {
  it('follows next links to exactly the rows sim.rows says, for every resource', async () => {
    const sim = await startSim();
    for (const resource of RESOURCES) {
      const top = resource === 'Metadata' ? 2 : resource === 'Locations' ? 3 : 250;
      const { rows, pages } = await pullAll(sim, resource, { $top: top });
      const expected = sim.rows(resource);
      expect(rows, resource).toEqual(expected);
      expect(pages, resource).toBe(Math.max(1, Math.ceil(expected.length / top)));
      expect(rows.length, resource).toBe(sim.count(resource));
    }
    expect(sim.rows('Observations').length).toBeGreaterThan(8 * 40);
  });

  it('pages a filtered, selected pull per location, as the official clients partition it', async () => {
    const sim = await startSim();
    const filter = "CharacteristicName in ('pH', 'Temperature, water')";
    const select = 'Id,LocationId,CharacteristicName,ResultValue,ResultComment';
    const partitions = sim.locationIds(filter);
    expect(partitions.length).toBeGreaterThan(3);
    const all = [];
    for (const id of partitions) {
      const { rows } = await pullAll(sim, 'Observations', {
        $select: select,
        $filter: `LocationId eq ${id} and (${filter})`,
        $top: 37,
      });
      expect(rows.every((r) => r['LocationId'] === id)).toBe(true);
      all.push(...rows);
    }
    const expected = sim.rows('Observations', { filter, select: select.split(',') });
    expect(all.map((r) => r['Id']).sort((a, b) => Number(a) - Number(b))).toEqual(expected.map((r) => r['Id']));
    expect(new Set(all.map((r) => r['CharacteristicName']))).toEqual(new Set(['pH', 'Temperature, water']));
  });

  it('sends the next link in the body and a Link header, absolute on the API origin, and none on the last page', async () => {
    const sim = await startSim();
    const first = await get(sim, 'Observations', { $select: 'Id,DOI', $filter: 'ActivityStartYear ge 2005', $top: 5 });
    const page = first.json as Page;
    const link = page['@odata.nextLink'] ?? '';
    expect(link.startsWith(`${sim.url}/Observations?`)).toBe(true);
    expect(first.headers.get('link')).toBe(`<${link}>; rel="next"`);
    const lastId = page.value[4]?.['Id'];
    expect(link).toContain(`$skiptoken=Id:${String(lastId)}`);
    expect(new URL(link).searchParams.get('$filter')).toBe('ActivityStartYear ge 2005');
    expect(new URL(link).searchParams.get('$select')).toBe('Id,DOI');
    expect(new URL(link).searchParams.get('$top')).toBe('5');
    expect(Object.keys(page).sort()).toEqual(['@odata.nextLink', 'value']);

    const total = sim.count('Locations');
    const last = await get(sim, 'Locations', { $top: total });
    expect((last.json as Page).value).toHaveLength(total);
    expect((last.json as Page)['@odata.nextLink']).toBeUndefined();
    expect(last.headers.get('link')).toBeNull();
    // Exactly one page short: the next page exists and is the last.
    const almost = await get(sim, 'Locations', { $top: total - 1 });
    const rest = await getUrl(sim, (almost.json as Page)['@odata.nextLink'] ?? '');
    expect((rest.json as Page).value).toHaveLength(1);
    expect((rest.json as Page)['@odata.nextLink']).toBeUndefined();
  });

  it('uses $top 10 by default and repeats $top in the link only when given', async () => {
    const sim = await startSim();
    const page = (await get(sim, 'Observations')).json as Page;
    expect(page.value).toHaveLength(10);
    expect(new URL(page['@odata.nextLink'] ?? '').searchParams.has('$top')).toBe(false);
  });

  it('puts the link only in the body or only in the header when told, and a header-only pull still ends right', async () => {
    const sim = await startSim({ nextLinkIn: 'header' });
    const headerOnly = await get(sim, 'Locations', { $top: 2 });
    expect((headerOnly.json as Page)['@odata.nextLink']).toBeUndefined();
    expect(headerOnly.headers.get('link')).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/v1\/odata\/v4\/Locations\?\$skiptoken=Id:\d+&\$top=2>; rel="next"$/,
    );
    expect((await pullAll(sim, 'Locations', { $top: 2 })).rows).toEqual(sim.rows('Locations'));

    sim.configure({ nextLinkIn: 'body' });
    const bodyOnly = await get(sim, 'Locations', { $top: 2 });
    expect((bodyOnly.json as Page)['@odata.nextLink']).toMatch(/\$skiptoken=Id:\d+/);
    expect(bodyOnly.headers.get('link')).toBeNull();
  });

  it('can point next links at another origin, for testing that a client refuses them', async () => {
    const sim = await startSim({ nextLinkOrigin: 'https://api.datastream.org' });
    const page = (await get(sim, 'Locations', { $top: 1 })).json as Page;
    expect(page['@odata.nextLink']).toMatch(
      /^https:\/\/api\.datastream\.org\/v1\/odata\/v4\/Locations\?\$skiptoken=Id:\d+&\$top=1$/,
    );
  });

  it('keeps Ids ascending and a cursor stable: a skip token answers the same rows every time', async () => {
    const sim = await startSim();
    const { rows } = await pullAll(sim, 'Observations', { $select: 'Id', $top: 1000 });
    const ids = rows.map((r) => r['Id'] as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const middle = ids[Math.floor(ids.length / 2)] ?? 0;
    const a = await get(sim, 'Observations', { $skiptoken: `Id:${middle}`, $top: 20 });
    const b = await get(sim, 'Observations', { $skiptoken: `Id:${middle}`, $top: 20 });
    expect(a.text).toBe(b.text);
    expect((a.json as Page).value[0]?.['Id']).toBe(ids[Math.floor(ids.length / 2) + 1]);
    // A skip token between two Ids (Ids have gaps) starts at the next one.
    const gap = ids.findIndex((id, i) => (ids[i + 1] ?? id) - id > 1);
    expect(gap).toBeGreaterThanOrEqual(0);
    const between = await get(sim, 'Observations', { $skiptoken: `Id:${(ids[gap] ?? 0) + 1}`, $top: 1 });
    expect((between.json as Page).value[0]?.['Id']).toBe(ids[gap + 1]);
  });

  it('pages Metadata by its UUID Id', async () => {
    const sim = await startSim({ datasets: 5, locations: 6 });
    const { rows, links } = await pullAll(sim, 'Metadata', { $select: 'Id,DOI', $top: 2 });
    expect(rows.map((r) => r['DOI'])).toEqual(sim.dois());
    expect(rows).toHaveLength(5);
    const ids = rows.map((r) => String(r['Id']));
    expect(ids).toEqual([...ids].sort());
    expect(links[0]).toContain(`$skiptoken=Id:${ids[1]}`);
  });
});
