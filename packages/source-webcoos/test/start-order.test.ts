import { startWebcoosSimulator, type WebcoosSimulator } from '@onc-orders/webcoos-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandWindows, webcoosSpecSchema, type WebcoosSource } from '../src/index.js';
import { serviceForTests, silentLogger, type ServiceForTests } from './support/service-for-tests.js';

describe("a WebCOOS order's first step", () => {
  let sim: WebcoosSimulator;
  let test: ServiceForTests;
  let source: WebcoosSource;
  beforeAll(async () => {
    sim = await startWebcoosSimulator({ stillBytes: 1_000, videoBytes: 2_000 });
    test = await serviceForTests(sim);
    source = test.source;
  });
  afterAll(async () => {
    await test.close();
    await sim.close();
  });

  async function start(input: Record<string, unknown>) {
    const spec = webcoosSpecSchema.parse({
      source: 'webcoos',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-08',
      ...input,
    });
    const products = expandWindows(spec, 1000).map((params, ordinal) => ({ ordinal, params }));
    const outcome = await source.startOrder?.(
      { id: 'order-1', spec, products },
      { signal: undefined, logger: silentLogger },
    );
    if (!outcome) throw new Error('no startOrder');
    return outcome;
  }

  it('resolves the S3 service, reads the inventory once and ends the empty days as nodata', async () => {
    sim.clearCalls();
    const outcome = await start({ asset: 'currituck_hampton_inn', product: 'video-archive' });
    expect(outcome.kind).toBe('started');
    if (outcome.kind !== 'started') return;
    // The product also lists a live stream after its S3Service: the one with files is taken.
    expect(outcome.state).toEqual({
      services: [
        { asset: 'currituck_hampton_inn', product: 'video-archive', service: 'currituck_hampton_inn-video-archive-s3' },
      ],
    });
    expect(outcome.end).toEqual([expect.objectContaining({ ordinal: 2, kind: 'nodata' })]);
    const truth = sim.elements('currituck_hampton_inn-video-archive-s3', '2024-06-02', '2024-06-03', { sha256: false });
    expect(outcome.update?.[1]?.state.inventory).toEqual({
      count: truth.length,
      bytes: truth.reduce((sum, element) => sum + element.sizeBytes, 0),
      hasData: true,
    });
    expect(outcome.update?.[1]?.state.service?.slug).toBe('currituck_hampton_inn-video-archive-s3');
    expect(sim.calls('api').map((call) => call.path)).toEqual([
      '/webcoos/api/v1/assets/currituck_hampton_inn',
      '/webcoos/api/v1/services/currituck_hampton_inn-video-archive-s3/inventory/',
    ]);
  });

  it('takes a product by its label as well as its slug, and each asset its own empty days', async () => {
    const outcome = await start({ asset: ['oakisland_west', 'northinlet'], product: '10-minute-stills' });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).toContain('asset "northinlet" has no product "10-minute-stills"');
    expect(outcome.error.message).toContain('one-minute-stills');

    const both = await start({ asset: ['oakisland_west', 'northinlet'], product: 'ONE-MINUTE-STILLS' });
    expect(both.kind).toBe('started');
    if (both.kind !== 'started') return;
    // 2024-06-03 is empty for every camera, 2024-06-05 for oakisland_west too.
    expect(both.end?.map((ended) => ended.ordinal)).toEqual([2, 4, 9]);
  });

  it('refuses an unknown asset naming it and every asset WebCOOS lists (all pages of them)', async () => {
    const outcome = await start({ asset: ['currituck_hampton_inn', 'nowhere_beach'], product: 'one-minute-stills' });
    expect(outcome).toMatchObject({ kind: 'failed', error: { parameter: 'asset' } });
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).toBe(
      'unknown asset "nowhere_beach": WebCOOS lists currituck_hampton_inn, currituck_sailfish, oakisland_west, northinlet',
    );
  });

  it('refuses a product that serves no files', async () => {
    const outcome = await start({ asset: 'currituck_sailfish', product: 'live-stream' });
    expect(outcome).toMatchObject({ kind: 'failed', error: { parameter: 'product' } });
    if (outcome.kind !== 'failed') return;
    expect(outcome.error.message).toMatch(
      /serves no files \(StreamingService\); its file products are video-archive, one-minute-stills/,
    );
  });

  it('sends a simulator its default token when none is configured', async () => {
    const untokened = await serviceForTests(sim, { WEBCOOS_TOKEN: '' });
    try {
      const answer = await untokened.service.client.getJson(
        untokened.service.client.apiUrl('/assets/northinlet'),
        undefined,
      );
      expect(answer.kind).toBe('ok');
    } finally {
      await untokened.close();
    }
  });

  it('fails at once on a refused token, naming the setting and never the token', async () => {
    const wrong = await serviceForTests(sim, { WEBCOOS_TOKEN: 'not-the-token-1234' });
    try {
      const spec = webcoosSpecSchema.parse({
        source: 'webcoos',
        asset: 'northinlet',
        product: 'one-minute-stills',
        dateFrom: '2024-06-01',
        dateTo: '2024-06-02',
      });
      const outcome = await wrong.source.startOrder?.(
        { id: 'order-2', spec, products: expandWindows(spec, 10).map((params, ordinal) => ({ ordinal, params })) },
        { signal: undefined, logger: silentLogger },
      );
      expect(outcome).toMatchObject({ kind: 'failed', error: { code: 403, parameter: 'WEBCOOS_TOKEN' } });
      expect(JSON.stringify(outcome)).toContain('Invalid token');
      expect(JSON.stringify(outcome)).not.toContain('not-the-token-1234');
    } finally {
      await wrong.close();
    }
  });
});
