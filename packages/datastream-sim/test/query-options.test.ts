import { describe, expect, it } from 'vitest';
import { OBSERVATION_FIELDS_FOR_TEST } from './fields.js';
import { get, getUrl, startSim, type Page } from './helpers.js';

describe('query options', () => {
  it('returns every field by default, in the documented order, and $select fields in the order asked', async () => {
    const sim = await startSim();
    const full = (await get(sim, 'Observations', { $top: 3 })).json as Page;
    expect(Object.keys(full.value[0] ?? {})).toEqual(OBSERVATION_FIELDS_FOR_TEST);
    const selected = (
      await get(sim, 'Observations', { $select: 'ResultValue, CharacteristicName,Id,ResultValue', $top: 3 })
    ).json as Page;
    expect(selected.value.map((r) => Object.keys(r))).toEqual([
      ['ResultValue', 'CharacteristicName', 'Id'],
      ['ResultValue', 'CharacteristicName', 'Id'],
      ['ResultValue', 'CharacteristicName', 'Id'],
    ]);
    expect(selected.value.map((r) => r['Id'])).toEqual(full.value.map((r) => r['Id']));
    expect(selected.value[0]?.['ResultValue']).toBe(full.value[0]?.['ResultValue']);
    expect(Object.keys(sim.rows('Records')[0] ?? {})).toContain('MonitoringLocationName');
    expect(Object.keys(sim.rows('Records')[0] ?? {})).not.toContain('LocationId');
  });

  it('refuses an unknown $select field with a 400 naming it', async () => {
    const sim = await startSim();
    const answer = await get(sim, 'Observations', { $select: 'Id,Colour' });
    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toMatch(
      /^\$select: unknown field 'Colour'; \/Observations selects Id, LocationId/,
    );
    // A Records-only field on Observations, and an Observations-only field on Records.
    expect((await get(sim, 'Observations', { $select: 'DatasetName' })).status).toBe(400);
    expect((await get(sim, 'Records', { $select: 'LocationId' })).status).toBe(400);
    expect((await get(sim, 'Records', { $select: 'Id,,DOI' })).status).toBe(400);
    expect((await get(sim, 'Metadata', { $select: 'DOI,TemporalExtent,Citation' })).status).toBe(200);
  });

  it('takes $top from 1 to 10000 and refuses the rest', async () => {
    const sim = await startSim();
    expect(((await get(sim, 'Observations', { $top: 1 })).json as Page).value).toHaveLength(1);
    expect((await get(sim, 'Observations', { $top: 10_000 })).status).toBe(200);
    for (const top of ['10001', '0', '-1', '2.5', 'ten', '']) {
      const answer = await get(sim, 'Observations', { $top: top });
      expect(answer.status, top).toBe(400);
      expect((answer.json as { message: string }).message, top).toMatch(/\$top must be/);
    }
    expect(((await get(sim, 'Observations', { $top: 10_001 })).json as { message: string }).message).toBe(
      '$top must be at most 10000, got 10001',
    );
  });

  it('refuses malformed skip tokens, unsupported and repeated options', async () => {
    const sim = await startSim();
    for (const token of ['1234', 'Id:', 'Id:abc', 'Key:12']) {
      expect((await get(sim, 'Observations', { $skiptoken: token })).status, token).toBe(400);
    }
    const orderby = await get(sim, 'Observations', { $orderby: 'Id' });
    expect(orderby.status).toBe(400);
    expect((orderby.json as { message: string }).message).toMatch(/\$orderby is not supported/);
    const twice = await getUrl(sim, `${sim.url}/Observations?$top=5&$top=6`);
    expect(twice.status).toBe(400);
    expect((twice.json as { message: string }).message).toMatch(/\$top is given 2 times/);
    // Parameters that are not query options are ignored.
    expect((await get(sim, 'Observations', { cachebuster: '1' })).status).toBe(200);
  });

  it('answers $count=true with the count as a string in value', async () => {
    const sim = await startSim();
    const filter = "CharacteristicName eq 'pH'";
    const answer = await get(sim, 'Observations', { $count: 'true', $filter: filter, $top: 5 });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ value: String(sim.rows('Observations', { filter }).length) });
    expect((await get(sim, 'Locations', { $count: 'true' })).json).toEqual({ value: String(sim.locationIds().length) });
    expect((await get(sim, 'Metadata', { $count: 'true' })).json).toEqual({ value: '3' });
    expect(((await get(sim, 'Observations', { $count: 'false', $top: 2 })).json as Page).value).toHaveLength(2);
    expect((await get(sim, 'Observations', { $count: 'yes' })).status).toBe(400);
  });

  it('estimates large counts within the documented accuracy when asked to', async () => {
    const sim = await startSim({ countEstimateAbove: 10, observationsPerLocation: [30_000, 30_000], locations: 8 });
    const exact = sim.count('Observations');
    expect(exact).toBe(240_000);
    const estimate = Number(((await get(sim, 'Observations', { $count: 'true' })).json as { value: string }).value);
    expect(estimate).not.toBe(exact);
    expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.000005);
  });

  it('sends nulls, or leaves null fields out with omitNulls', async () => {
    const sim = await startSim();
    const withNulls = ((await get(sim, 'Observations', { $top: 50 })).json as Page).value;
    expect(withNulls.some((r) => Object.values(r).includes(null))).toBe(true);
    sim.configure({ omitNulls: true });
    const without = ((await get(sim, 'Observations', { $top: 50 })).json as Page).value;
    expect(without.every((r) => !Object.values(r).includes(null))).toBe(true);
    expect(without.map((r) => r['Id'])).toEqual(withNulls.map((r) => r['Id']));
    expect(without).toEqual(sim.rows('Observations').slice(0, 50));
  });
});
