import { describe, expect, it } from 'vitest';
import { SMALL, STILLS, api, elementsQuery, followPages, startSim } from './helpers.js';

const WINDOW = {
  service: STILLS,
  starting_after: '2024-06-01T00:00:00Z',
  starting_before: '2024-06-02T00:00:00Z',
  ordering: 'starting',
  page_size: 7,
};

async function dailyCount(sim: Awaited<ReturnType<typeof startSim>>, day: string): Promise<unknown> {
  const r = await api(sim, `/services/${STILLS}/inventory/`);
  const daily = (r.json as { results: { name: string; meta: { fields: { name: string }[] }; values: unknown[][] }[] })
    .results[0];
  const col = (name: string) => daily?.meta.fields.findIndex((f) => f.name === name) ?? -1;
  return daily?.values.find((v) => String(v[col('starting')]).startsWith(day))?.[col('count')];
}

describe('elements inserted in the middle of a listing', () => {
  it('shift page-number paging: a client that just follows next gets duplicates and misses the new ones', async () => {
    const sim = await startSim({ ...SMALL, insertDuringListing: { service: STILLS, afterPage: 2, count: 3 } });
    const before = sim.elements(STILLS, WINDOW.starting_after, WINDOW.starting_before, { sha256: false });
    expect(before).toHaveLength(30);

    const pages = await followPages(sim, elementsQuery(WINDOW));
    expect(pages.map((p) => p.pagination.count)).toEqual([30, 30, 33, 33, 33]);
    const seen = pages.flatMap((p) => p.results.map((e) => e.uuid));
    expect(seen).toHaveLength(33);
    const unique = new Set(seen);
    expect(unique.size).toBe(30); // three repeated from page 2 …
    const after = sim.elements(STILLS, WINDOW.starting_after, WINDOW.starting_before, { sha256: false });
    expect(after).toHaveLength(33);
    const inserted = after.filter((e) => e.inserted);
    expect(inserted).toHaveLength(3);
    for (const e of inserted) expect(unique.has(e.uuid)).toBe(false); // … and the three new ones never seen
    for (const e of inserted) expect(e.name).toMatch(/^currituck_hampton_inn-2024-06-01T\d\d:\d\d:30Z\.jpg$/);

    // The inventory already counts them, so comparing counts tells the client to list the window again.
    expect(await dailyCount(sim, '2024-06-01')).toBe(33);
    const again = await followPages(sim, elementsQuery(WINDOW));
    const relisted = new Set(again.flatMap((p) => p.results.map((e) => e.uuid)));
    expect(relisted).toEqual(new Set(after.map((e) => e.uuid)));
    expect(again.every((p) => p.pagination.count === 33)).toBe(true); // the rule fired once only
  });

  it('lands new elements ahead of later pages in newest-first order too, and reports them through the handle', async () => {
    const sim = await startSim(SMALL);
    const handle = sim.insertAfterPage({ service: STILLS, afterPage: 1, count: 2, times: Infinity });
    const { ordering: _ordering, ...newestFirst } = WINDOW;
    const pages = await followPages(sim, elementsQuery(newestFirst));
    const seen = pages.flatMap((p) => p.results.map((e) => e.uuid));
    expect(seen.length - new Set(seen).size).toBe(2);
    expect(handle.inserted()).toHaveLength(2);
    expect(handle.inserted().every((e) => e.inserted && e.sha256?.length === 64)).toBe(true);
    expect(handle.remaining()).toBe(Infinity);
    await followPages(sim, elementsQuery(newestFirst));
    expect(handle.inserted()).toHaveLength(4);
    handle.remove();
    await followPages(sim, elementsQuery(newestFirst));
    expect(sim.elements(STILLS, WINDOW.starting_after, WINDOW.starting_before, { sha256: false })).toHaveLength(34);
  });

  it('only fires for the service it names', async () => {
    const sim = await startSim(SMALL);
    const handle = sim.insertAfterPage({ service: 'oakisland_west-one-minute-stills-s3', afterPage: 1 });
    await followPages(sim, elementsQuery(WINDOW));
    expect(handle.remaining()).toBe(1);
    const anyService = sim.insertAfterPage({ afterPage: 1, count: 1 });
    const stream = await api(sim, elementsQuery({ ...WINDOW, service: 'currituck_hampton_inn-streams' }));
    expect(stream.status).toBe(200);
    expect(anyService.remaining()).toBe(1); // a stream's listing has nothing to arrive late
    await followPages(sim, elementsQuery({ ...WINDOW, service: 'oakisland_west-one-minute-stills-s3' }));
    expect(anyService.inserted().map((e) => e.service)).toEqual(['oakisland_west-one-minute-stills-s3']);
    expect(() => sim.insertAfterPage({ service: 'nowhere', afterPage: 1 })).toThrow(RangeError);
    expect(() => sim.insertAfterPage({ afterPage: 0 })).toThrow(RangeError);
  });
});

describe('insertElements', () => {
  it('adds elements at given instants that list, serve and hash like the others', async () => {
    const sim = await startSim(SMALL);
    const [added] = sim.insertElements(STILLS, ['2024-06-01T16:20:15Z']);
    expect(added).toMatchObject({ starting: '2024-06-01T16:20:15Z', inserted: true, sizeBytes: 2_000 });
    expect(added?.name).toBe('currituck_hampton_inn-2024-06-01T16:20:15Z.jpg');
    const listed = (await followPages(sim, elementsQuery(WINDOW))).flatMap((p) => p.results.map((e) => e.uuid));
    expect(listed).toContain(added?.uuid);
    const res = await fetch(added?.url ?? '');
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sim.mediaSha256(added?.url ?? '')).toBe(added?.sha256);
    expect(bytes.equals(sim.mediaContent(added?.url ?? '') ?? Buffer.alloc(0))).toBe(true);
  });

  it('refuses an instant that is taken, or a stream', async () => {
    const sim = await startSim(SMALL);
    const taken = sim.elements(STILLS, undefined, undefined, { sha256: false })[0]?.starting ?? '';
    expect(() => sim.insertElements(STILLS, [taken])).toThrow(/already has an element/);
    expect(() => sim.insertElements('currituck_hampton_inn-streams', ['2024-06-01T12:00:00Z'])).toThrow(/stream/);
    expect(() => sim.insertElements(STILLS, ['not a time'])).toThrow(RangeError);
  });
});
