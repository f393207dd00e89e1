import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSETS } from '../src/index.js';
import { SMALL, api, followPages, getPage, startSim } from './helpers.js';

interface ServiceDoc {
  uuid: string;
  data: {
    type: string;
    common: { slug: string; label: string };
    properties: Record<string, unknown>;
  };
  elements: {
    count: number;
    size: number | null;
    first_starting: string | null;
    last_starting: string | null;
    first_ending: string | null;
    last_ending: string | null;
  };
}
interface ProductDoc {
  data: { common: { slug: string; label: string } };
  services: ServiceDoc[];
}
interface AssetDoc {
  uuid: string;
  data: {
    common: { slug: string; label: string; access_level: string };
    properties: {
      timezone: string | null;
      location: { type: string; coordinates: [number, number] };
      thumbnails: { base: Record<string, string> };
    };
  };
  feeds: { data: { common: { label: string } }; products: ProductDoc[] }[];
}

describe('GET /assets/', () => {
  it('spreads the cameras over more than one page, so a client reading only the first misses some', async () => {
    const sim = await startSim(SMALL);
    const first = await getPage<AssetDoc>(sim, '/assets/?source=webcoos&_nocache=true');
    expect(first.results).toHaveLength(3);
    expect(first.pagination).toEqual({
      next: `${sim.url}/assets/?_nocache=true&page=2&source=webcoos`,
      previous: null,
      count: 4,
      page: 1,
      total_pages: 2,
      previous_page: null,
      next_page: 2,
      start_index: 1,
      end_index: 3,
    });
    const pages = await followPages<AssetDoc>(sim, '/assets/?source=webcoos');
    expect(pages).toHaveLength(2);
    expect(pages[1]?.pagination).toMatchObject({ page: 2, next: null, start_index: 4, end_index: 4 });
    expect(pages[1]?.pagination.previous).toBe(`${sim.url}/assets/?source=webcoos`);
    const slugs = pages.flatMap((p) => p.results.map((a) => a.data.common.slug));
    expect(slugs).toEqual(DEFAULT_ASSETS.map((a) => a.slug));
    expect(slugs).toContain('currituck_hampton_inn');
    expect(first.results.map((a) => a.data.common.slug)).not.toContain('northinlet');
  });

  it('honours page_size and the source filter, and answers 404 "Invalid page." past the end', async () => {
    const sim = await startSim(SMALL);
    expect((await getPage<AssetDoc>(sim, '/assets/?page_size=10')).results).toHaveLength(4);
    expect((await getPage<AssetDoc>(sim, '/assets/?source=elsewhere')).pagination.count).toBe(0);
    const past = await api(sim, '/assets/?page=3');
    expect(past.status).toBe(404);
    expect(past.json).toEqual({ detail: 'Invalid page.' });
    expect((await api(sim, '/assets/?page=abc')).status).toBe(404);
    expect((await getPage<AssetDoc>(sim, '/assets/?page=last')).pagination.page).toBe(2);
  });

  it('nests asset → raw-video-data feed → products → services in the documented shapes', async () => {
    const sim = await startSim(SMALL);
    const assets = (await getPage<AssetDoc>(sim, '/assets/?page_size=10')).results;
    const hampton = assets.find((a) => a.data.common.slug === 'currituck_hampton_inn');
    expect(hampton).toBeDefined();
    if (!hampton) return;
    expect(hampton.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(hampton.data.common).toMatchObject({ label: 'Currituck Hampton Inn', access_level: 'public' });
    expect(hampton.data.properties.timezone).toBe('America/New_York');
    expect(hampton.data.properties.location).toEqual({ type: 'Point', coordinates: [-75.8105, 36.3762] });
    expect(hampton.data.properties.thumbnails.base['rect_large']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(hampton.feeds.map((f) => f.data.common.label)).toEqual(['raw-video-data']);
    const products = hampton.feeds[0]?.products ?? [];
    expect(products.map((p) => [p.data.common.slug, p.data.common.label])).toEqual([
      ['video-archive', 'video-archive'],
      ['one-minute-stills', 'one-minute-stills'],
      ['10-minute-stills', '10-minute-stills'],
    ]);
    const video = products[0]?.services ?? [];
    // The live stream sits beside the files in the same product: a client must pick the S3Service, not the last one.
    expect(video.map((s) => [s.data.common.slug, s.data.type])).toEqual([
      ['currituck_hampton_inn-video-archive-s3', 'S3Service'],
      ['currituck_hampton_inn-streams', 'StreamingService'],
    ]);
    const s3 = video[0];
    expect(s3?.data.properties).toEqual({
      url: `${sim.mediaUrl}/webcoos/sources/webcoos/groups/noaa/assets/currituck_hampton_inn/feeds/raw-video-data/products/video-archive/elements`,
      path: 'sources/webcoos/groups/noaa/assets/currituck_hampton_inn/feeds/raw-video-data/products/video-archive/elements',
      bucket: 'webcoos',
      region: '',
      base_url: sim.mediaUrl,
      frequency: { type: 'periodic', value: 'PT10M' },
    });
    const stream = video[1];
    expect(stream?.data.properties['connections']).toEqual([
      expect.objectContaining({ protocol: 'dash', name: 'Dash' }),
      expect.objectContaining({ protocol: 'hls', name: 'HLS' }),
    ]);
    expect(stream?.elements).toEqual({
      count: 0,
      size: null,
      first_starting: null,
      last_starting: null,
      first_ending: null,
      last_ending: null,
    });
    expect(products[1]?.services[0]?.data.properties['frequency']).toEqual({ type: 'periodic', value: 'PT1M' });
  });

  it('has a camera without a time zone and one whose stream is a product of its own', async () => {
    const sim = await startSim(SMALL);
    const assets = (await getPage<AssetDoc>(sim, '/assets/?page_size=10')).results;
    expect(assets.find((a) => a.data.common.slug === 'oakisland_west')?.data.properties.timezone).toBeNull();
    const sailfish = assets.find((a) => a.data.common.slug === 'currituck_sailfish');
    const own = sailfish?.feeds[0]?.products.find((p) => p.data.common.slug === 'live-stream');
    expect(own?.services.map((s) => s.data.type)).toEqual(['StreamingService']);
  });

  it('gives each file service element totals that agree with the ground truth', async () => {
    const sim = await startSim({ ...SMALL, stillsPerDay: 25 });
    const assets = (await getPage<AssetDoc>(sim, '/assets/?page_size=10')).results;
    const services = assets.flatMap((a) => a.feeds.flatMap((f) => f.products.flatMap((p) => p.services)));
    const files = services.filter((s) => s.data.type === 'S3Service');
    expect(files.length).toBe(8);
    for (const s of files) {
      const truth = sim.elements(s.data.common.slug, undefined, undefined, { sha256: false });
      expect(s.elements.count, s.data.common.slug).toBe(truth.length);
      expect(s.elements.size).toBe(truth.reduce((sum, e) => sum + e.sizeBytes, 0));
      expect(s.elements.first_starting).toBe(truth[0]?.starting);
      expect(s.elements.last_starting).toBe(truth.at(-1)?.starting);
      const isVideo = s.data.common.slug.includes('video');
      expect(s.elements.last_ending === null).toBe(!isVideo);
    }
  });
});

describe('GET /assets/{slug}', () => {
  it('answers the asset itself, by slug or uuid, with or without the trailing slash', async () => {
    const sim = await startSim(SMALL);
    const bySlug = await api(sim, '/assets/oakisland_west/?source=webcoos');
    expect(bySlug.status).toBe(200);
    const asset = bySlug.json as AssetDoc;
    expect(asset.data.common.slug).toBe('oakisland_west');
    expect(asset.feeds[0]?.products.map((p) => p.data.common.slug)).toEqual(['one-minute-stills', '10-minute-stills']);
    const byUuid = await api(sim, `/assets/${asset.uuid}`);
    expect((byUuid.json as AssetDoc).data.common.slug).toBe('oakisland_west');
  });

  it('answers 404 {"detail": "Not found."} for an unknown slug', async () => {
    const sim = await startSim(SMALL);
    const r = await api(sim, '/assets/no_such_camera/');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ detail: 'Not found.' });
    expect(r.headers.get('content-type')).toBe('application/json');
  });
});
