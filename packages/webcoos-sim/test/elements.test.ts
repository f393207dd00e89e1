import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SMALL, STILLS, VIDEOS, api, elementsQuery, followPages, getPage, startSim } from './helpers.js';

const DAY1 = { starting_after: '2024-06-01T00:00:00Z', starting_before: '2024-06-02T00:00:00Z' };

describe('GET /elements/ windows', () => {
  it('includes starting_after and excludes starting_before', async () => {
    const sim = await startSim(SMALL);
    const truth = sim.elements(STILLS, '2024-06-01T00:00:00Z', '2024-06-02T00:00:00Z', { sha256: false });
    expect(truth).toHaveLength(30);
    const first = truth[0];
    const last = truth.at(-1);
    if (!first || !last) throw new Error('no elements');
    const exactly = await getPage(
      sim,
      elementsQuery({
        service: STILLS,
        starting_after: first.starting,
        starting_before: last.starting,
        ordering: 'starting',
      }),
    );
    expect(exactly.pagination.count).toBe(29);
    expect(exactly.results[0]?.uuid).toBe(first.uuid); // the lower bound is inclusive
    expect(exactly.results.map((e) => e.uuid)).not.toContain(last.uuid); // the upper bound is exclusive
    const single = await getPage(
      sim,
      elementsQuery({ service: STILLS, starting_after: last.starting, starting_before: '2024-06-02T00:00:00Z' }),
    );
    expect(single.results.map((e) => e.uuid)).toEqual([last.uuid]);
  });

  it('reads offsets and plain dates as Django does, and refuses a "+" that was not percent-encoded', async () => {
    const sim = await startSim(SMALL);
    const count = async (after: string, before: string) =>
      (await getPage(sim, elementsQuery({ service: STILLS, starting_after: after, starting_before: before })))
        .pagination.count;
    expect(await count('2024-06-01', '2024-06-02')).toBe(30);
    expect(await count('2024-05-31T20:00:00-04:00', '2024-06-01T20:00:00-04:00')).toBe(30);
    const raw = await api(sim, `/elements/?service=${STILLS}&starting_after=2024-06-01T00:00:00+00:00`);
    expect(raw.status).toBe(400);
    expect(raw.json).toEqual({ starting_after: ['Enter a valid date/time.'] });
    const bad = await api(sim, elementsQuery({ service: STILLS, starting_before: 'yesterday' }));
    expect(bad.json).toEqual({ starting_before: ['Enter a valid date/time.'] });
  });

  it('answers 400 for an unknown service, as a choice filter does', async () => {
    const sim = await startSim(SMALL);
    const r = await api(sim, elementsQuery({ service: 'nowhere-s3' }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ service: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('finds a service by uuid as well as by slug, and lists nothing for a stream', async () => {
    const sim = await startSim(SMALL);
    const uuid = sim.services().find((s) => s.slug === STILLS)?.uuid ?? '';
    expect((await getPage(sim, elementsQuery({ service: uuid, ...DAY1 }))).pagination.count).toBe(30);
    expect((await getPage(sim, elementsQuery({ service: 'currituck_hampton_inn-streams' }))).pagination.count).toBe(0);
  });
});

describe('GET /elements/ paging', () => {
  it('pages by number with absolute next links, and following them yields exactly the ground truth', async () => {
    const sim = await startSim(SMALL);
    const first = await getPage(sim, elementsQuery({ service: STILLS, ...DAY1, ordering: 'starting', page_size: 7 }));
    expect(first.pagination).toEqual({
      next: `${sim.url}/elements/?ordering=starting&page=2&page_size=7&service=${STILLS}&starting_after=2024-06-01T00%3A00%3A00Z&starting_before=2024-06-02T00%3A00%3A00Z`,
      previous: null,
      count: 30,
      page: 1,
      total_pages: 5,
      previous_page: null,
      next_page: 2,
      start_index: 1,
      end_index: 7,
    });
    const pages = await followPages(
      sim,
      elementsQuery({ service: STILLS, ...DAY1, ordering: 'starting', page_size: 7 }),
    );
    expect(pages.map((p) => [p.pagination.page, p.pagination.start_index, p.pagination.end_index])).toEqual([
      [1, 1, 7],
      [2, 8, 14],
      [3, 15, 21],
      [4, 22, 28],
      [5, 29, 30],
    ]);
    expect(pages[1]?.pagination.previous).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/webcoos\/api\/v1\/elements\/\?ordering=/,
    );
    expect(pages[1]?.pagination.previous).not.toContain('page=');
    expect(pages[4]?.pagination.next).toBeNull();
    const listed = pages.flatMap((p) => p.results.map((e) => e.uuid));
    const truth = sim.elements(STILLS, DAY1.starting_after, DAY1.starting_before, { sha256: false });
    expect(listed).toEqual(truth.map((e) => e.uuid));
  });

  it('lists newest first without ordering, cuts page_size to the maximum and ignores a zero one', async () => {
    const sim = await startSim({ ...SMALL, maxPageSize: 10, elementsPageSize: 4 });
    const truth = sim.elements(STILLS, undefined, undefined, { sha256: false });
    const page = await getPage(sim, elementsQuery({ service: STILLS, page_size: 500 }));
    expect(page.results).toHaveLength(10);
    expect(page.results[0]?.uuid).toBe(truth.at(-1)?.uuid);
    expect(page.pagination.total_pages).toBe(6);
    expect((await getPage(sim, elementsQuery({ service: STILLS }))).results).toHaveLength(4);
    expect((await getPage(sim, elementsQuery({ service: STILLS, page_size: 0 }))).results).toHaveLength(4);
    expect((await getPage(sim, elementsQuery({ service: STILLS, page_size: 'x' }))).results).toHaveLength(4);
    const past = await api(sim, elementsQuery({ service: STILLS, page: 16 }));
    expect(past.status).toBe(404);
    expect(past.json).toEqual({ detail: 'Invalid page.' });
  });

  it('answers an empty window with one empty page', async () => {
    const sim = await startSim({
      ...SMALL,
      archive: { from: '2024-06-01', to: '2024-06-03', emptyDays: ['2024-06-02'] },
    });
    const empty = await getPage(
      sim,
      elementsQuery({ service: STILLS, starting_after: '2024-06-02', starting_before: '2024-06-03' }),
    );
    expect(empty.results).toEqual([]);
    expect(empty.pagination).toMatchObject({
      count: 0,
      page: 1,
      total_pages: 1,
      start_index: 0,
      end_index: 0,
      next: null,
    });
  });
});

describe('element documents', () => {
  it('carry uuid, temporal extents, the file URL (colons in the name), thumbnails, size and duration', async () => {
    const sim = await startSim(SMALL);
    const video = (await getPage(sim, elementsQuery({ service: VIDEOS, ...DAY1, ordering: 'starting' }))).results[0];
    const truth = sim.elements(VIDEOS, DAY1.starting_after, DAY1.starting_before)[0];
    expect(video?.uuid).toBe(truth?.uuid);
    expect(video?.data.extents.temporal.min).toBe(truth?.starting);
    expect(video?.data.extents.temporal.max).toBe(truth?.ending);
    expect(truth?.name).toMatch(/^currituck_hampton_inn-2024-06-01T\d\d:\d0:00Z\.mp4$/);
    expect(video?.data.properties.url).toBe(truth?.url);
    expect(video?.data.properties.url).toContain(`${sim.mediaUrl}/webcoos/sources/webcoos/groups/noaa/assets/`);
    expect(video?.data.properties.url.endsWith(`/2024/06/01/${truth?.name}`)).toBe(true);
    expect(video?.data.properties['size']).toBe(50_000);
    expect(video?.data.properties['duration']).toBe(truth?.durationSeconds);
    expect(truth?.durationSeconds).toBeGreaterThanOrEqual(597);
    expect(video?.data.properties.thumbnails.base['lqip']).toMatch(/^data:image\/jpeg;base64,/);
    expect(video?.data.properties.thumbnails.base['rect_medium']).toMatch(/\.rect_medium\.jpg$/);
    const still = (await getPage(sim, elementsQuery({ service: STILLS, ...DAY1 }))).results[0];
    expect(still?.data.properties['duration']).toBeUndefined();
    expect(still?.data.extents.temporal.max).toBe(still?.data.extents.temporal.min);
  });

  it('can spell size and duration differently, and write colons as %3A', async () => {
    const sim = await startSim({
      ...SMALL,
      elementFieldNames: { size: 'bytes', duration: 'length', durationFormat: 'iso' },
      encodeColonsInUrls: true,
    });
    const video = (await getPage(sim, elementsQuery({ service: VIDEOS, ...DAY1 }))).results[0];
    expect(video?.data.properties['bytes']).toBe(50_000);
    expect(video?.data.properties['size']).toBeUndefined();
    expect(video?.data.properties['length']).toMatch(/^PT9M5\dS$/);
    expect(video?.data.properties.url).toMatch(/T\d\d%3A\d0%3A00Z\.mp4$/);
    const res = await fetch(video?.data.properties.url ?? '');
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

describe('mediaPublicUrl', () => {
  it('writes another media base into every URL, and the media host still serves the path', async () => {
    const sim = await startSim({ ...SMALL, mediaPublicUrl: 'http://media.example:9000/' });
    expect(sim.mediaPublicUrl).toBe('http://media.example:9000');
    const e = (await getPage(sim, elementsQuery({ service: STILLS, ...DAY1 }))).results[0];
    expect(e?.data.properties.url.startsWith('http://media.example:9000/webcoos/sources/')).toBe(true);
    expect(e?.data.properties.thumbnails.base['rect_small']?.startsWith('http://media.example:9000/')).toBe(true);
    const path = new URL(e?.data.properties.url ?? '').pathname;
    const res = await fetch(`${sim.mediaUrl}${path}`);
    expect(res.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('hex'),
    ).toBe(sim.mediaSha256(e?.data.properties.url ?? ''));
    await expect(startSim({ mediaPublicUrl: 'ftp://x' })).rejects.toThrow(RangeError);
  });
});

describe('the default archive', () => {
  it('has 332..1,308 one-minute stills a day, varying by day, a tenth as many 10-minute stills and videos, and a day with nothing', async () => {
    const sim = await startSim({ stillBytes: 1, videoBytes: 1 });
    const perDay = new Map<string, number>();
    for (const e of sim.elements(STILLS, undefined, undefined, { sha256: false }))
      perDay.set(e.starting.slice(0, 10), (perDay.get(e.starting.slice(0, 10)) ?? 0) + 1);
    expect([...perDay.keys()]).toEqual([
      '2024-06-01',
      '2024-06-02',
      '2024-06-04',
      '2024-06-05',
      '2024-06-06',
      '2024-06-07',
    ]);
    for (const n of perDay.values()) expect(n >= 332 && n <= 1308).toBe(true);
    expect(new Set(perDay.values()).size).toBeGreaterThan(2);
    const day = ['2024-06-01T00:00:00Z', '2024-06-02T00:00:00Z'] as const;
    const stills = sim.elements(STILLS, ...day, { sha256: false }).length;
    const tens = sim.elements('currituck_hampton_inn-10-minute-stills-s3', ...day, { sha256: false }).length;
    expect(Math.abs(tens - stills / 10)).toBeLessThanOrEqual(1);
    expect(sim.elements(VIDEOS, ...day, { sha256: false }).length).toBe(tens);
  });

  it('sizes stills about 300 KB and videos about 60 MB', async () => {
    const sim = await startSim({ archive: { from: '2024-06-01', to: '2024-06-02' } });
    const stills = sim.elements(STILLS, undefined, undefined, { sha256: false }).map((e) => e.sizeBytes);
    const videos = sim.elements(VIDEOS, undefined, undefined, { sha256: false }).map((e) => e.sizeBytes);
    expect(Math.min(...stills)).toBeGreaterThanOrEqual(222_000);
    expect(Math.max(...stills)).toBeLessThanOrEqual(365_000);
    expect(Math.min(...videos)).toBeGreaterThanOrEqual(55_000_000);
    expect(Math.max(...videos)).toBeLessThanOrEqual(70_000_000);
  });

  it('takes a size function over stillBytes and videoBytes', async () => {
    const sim = await startSim({ ...SMALL, sizeOf: (e) => (e.kind === 'video' ? 123 : e.name.length) });
    const still = sim.elements(STILLS, undefined, undefined, { sha256: false })[0];
    expect(still?.sizeBytes).toBe(still?.name.length);
    expect(sim.elements(VIDEOS, undefined, undefined, { sha256: false })[0]?.sizeBytes).toBe(123);
  });
});
