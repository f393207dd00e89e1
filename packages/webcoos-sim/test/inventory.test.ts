import { describe, expect, it } from 'vitest';
import { SMALL, STILLS, api, startSim } from './helpers.js';

interface InventoryDoc {
  type: string;
  name: string;
  meta: { fields: { name: string; type: string; label: string }[] };
  values: (string | number | null)[][];
}

async function inventories(sim: Awaited<ReturnType<typeof startSim>>, id: string): Promise<InventoryDoc[]> {
  const r = await api(sim, `/services/${id}/inventory/`);
  if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
  return (r.json as { results: InventoryDoc[] }).results;
}

/** Rows as objects, each column found by name. */
const rows = (inv: InventoryDoc | undefined) =>
  (inv?.values ?? []).map((v) => Object.fromEntries((inv?.meta.fields ?? []).map((f, i) => [f.name, v[i]])));

describe('GET /services/{slug or uuid}/inventory/', () => {
  it('answers daily, weekly and monthly inventories whose columns are not in pywebcoos order', async () => {
    const sim = await startSim(SMALL);
    const all = await inventories(sim, STILLS);
    expect(all.map((i) => [i.type, i.name])).toEqual([
      ['inventory', 'daily'],
      ['inventory', 'weekly'],
      ['inventory', 'monthly'],
    ]);
    const names = all[0]?.meta.fields.map((f) => f.name);
    expect(new Set(names)).toEqual(
      new Set(['starting', 'has_data', 'ending', 'count', 'size', 'data_starting', 'data_ending']),
    );
    expect(names).not.toEqual(['starting', 'has_data', 'ending', 'count', 'size', 'data_starting', 'data_ending']);
    expect(all[0]?.meta.fields.find((f) => f.name === 'has_data')).toEqual({
      name: 'has_data',
      type: 'bool',
      label: 'Has Data?',
    });
  });

  it('counts and sizes each day exactly as the elements are, empty days included', async () => {
    const sim = await startSim({
      archive: { from: '2024-06-01', to: '2024-06-05', emptyDays: ['2024-06-02'] },
      stillBytes: 1000,
      stillsPerDay: (_asset, day) => (day === '2024-06-03' ? 500 : 40),
      sizeOf: (e) => 1000 + (e.starting.charCodeAt(15) % 7),
    });
    const daily = rows((await inventories(sim, STILLS))[0]);
    expect(daily.map((r) => r['starting'])).toEqual([
      '2024-06-01 00:00:00+00:00',
      '2024-06-02 00:00:00+00:00',
      '2024-06-03 00:00:00+00:00',
      '2024-06-04 00:00:00+00:00',
    ]);
    for (const r of daily) {
      const day = String(r['starting']).slice(0, 10);
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
      const truth = sim.elements(STILLS, `${day}T00:00:00Z`, next, { sha256: false });
      expect(r['count'], day).toBe(truth.length);
      expect(r['size'], day).toBe(truth.reduce((s, e) => s + e.sizeBytes, 0));
      expect(r['has_data']).toBe(truth.length > 0 ? 1 : 0);
      expect(r['ending']).toBe(`${next.slice(0, 10)} 00:00:00+00:00`);
      expect(r['data_starting']).toBe(
        truth[0] ? `${truth[0].starting.slice(0, 10)} ${truth[0].starting.slice(11, 19)}+00:00` : null,
      );
    }
    expect(daily.map((r) => r['count'])).toEqual([40, 0, 500, 40]);
    const monthly = rows((await inventories(sim, STILLS))[2]);
    expect(monthly).toEqual([
      expect.objectContaining({
        starting: '2024-06-01 00:00:00+00:00',
        ending: '2024-06-30 00:00:00+00:00',
        count: 580,
      }),
    ]);
  });

  it('finds a service by uuid, takes a column order, and answers 404 for an unknown service', async () => {
    const sim = await startSim({ ...SMALL, inventoryColumns: ['starting', 'has_data', 'ending', 'count', 'size'] });
    const uuid = sim.services().find((s) => s.slug === STILLS)?.uuid ?? '';
    const daily = (await inventories(sim, uuid))[0];
    expect(daily?.meta.fields.map((f) => f.name)).toEqual(['starting', 'has_data', 'ending', 'count', 'size']);
    expect(daily?.values[0]).toEqual(['2024-06-01 00:00:00+00:00', 1, '2024-06-02 00:00:00+00:00', 30, 60_000]);
    const unknown = await api(sim, '/services/nowhere-s3/inventory/');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ detail: 'Not found.' });
    const stream = await inventories(sim, 'currituck_hampton_inn-streams');
    expect(stream.every((i) => i.values.length === 0)).toBe(true);
  });

  it('counts inserted elements, and a day outside the archive that received some', async () => {
    const sim = await startSim(SMALL);
    sim.insertElements(STILLS, ['2024-06-01T23:59:30Z', '2024-06-05T12:00:00Z']);
    const daily = rows((await inventories(sim, STILLS))[0]);
    expect(daily.map((r) => [String(r['starting']).slice(0, 10), r['count']])).toEqual([
      ['2024-06-01', 31],
      ['2024-06-02', 30],
      ['2024-06-03', 0],
      ['2024-06-04', 0],
      ['2024-06-05', 1],
    ]);
  });
});
