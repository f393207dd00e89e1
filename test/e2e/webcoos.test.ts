import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getOrderEvents, getOrderView, safeFileName } from '@onc-orders/jobs';
import type { WebcoosOrderView } from '@onc-orders/source-webcoos';
import { deleteKeysWithPrefix, sha256OfFile, waitFor } from '@onc-orders/testkit';
import {
  startWebcoosSimulator,
  type ArchiveElement,
  type RecordedCall,
  type WebcoosSimulator,
  type WebcoosSimulatorOptions,
} from '@onc-orders/webcoos-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { storedStateContains } from '../support/stored-state.js';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

const token = 'wc-token-5b2e9d-do-not-leak';
const stills = 'currituck_hampton_inn-one-minute-stills-s3';

interface WebcoosSystem {
  sim: WebcoosSimulator;
  harness: SystemHarness;
  view(orderId: string): Promise<WebcoosOrderView>;
  waitForOrder(orderId: string, timeoutMs?: number): Promise<WebcoosOrderView>;
  submit(spec: Record<string, unknown>): Promise<string>;
}

let running: WebcoosSystem | undefined;

/** The system as it runs for real, its WebCOOS settings pointing at a simulator in this process. */
async function startWebcoosSystem(
  sim: WebcoosSimulatorOptions,
  env: Record<string, string> = {},
): Promise<WebcoosSystem> {
  const webcoos = await startWebcoosSimulator({ tokens: [token], ...sim });
  const harness = await startSystemHarness({
    env: {
      WEBCOOS_BASE_URL: webcoos.url,
      WEBCOOS_TOKEN: token,
      WEBCOOS_MAX_RPS: '200',
      WEBCOOS_PAGE_SIZE: '25',
      ...env,
    },
  });
  const view = async (orderId: string) =>
    (await getOrderView(harness.database.db, harness.sources, orderId)) as WebcoosOrderView;
  running = {
    sim: webcoos,
    harness,
    view,
    waitForOrder: (orderId, timeoutMs = 60_000) =>
      waitFor(
        `order ${orderId} to end`,
        async () => {
          const order = await view(orderId);
          return ['completed', 'failed', 'cancelled'].includes(order.status) ? order : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    submit: (spec) => harness.submit({ source: 'webcoos', ...spec }),
  };
  return running;
}

/** Every element of an order on disk under DOWNLOAD_DIR/<order>/<asset>/<safe name>, byte for byte. */
async function expectOnDisk(system: WebcoosSystem, order: WebcoosOrderView, truth: readonly ArchiveElement[]) {
  const files = order.products.flatMap((product) => product.files);
  expect(files.map((file) => file.elementUuid).sort()).toEqual(truth.map((element) => element.uuid).sort());
  const byUuid = new Map(files.map((file) => [file.elementUuid, file]));
  for (const element of truth) {
    const file = byUuid.get(element.uuid);
    expect(file?.status).toBe('complete');
    const name = safeFileName(element.name, 'x');
    expect(name).not.toContain(':');
    expect(file?.path).toBe(`${order.id}/${element.asset}/${name}`);
    expect(await sha256OfFile(join(system.harness.downloadDir, file?.path ?? '')), element.name).toBe(element.sha256);
  }
  for (const asset of new Set(truth.map((element) => element.asset))) {
    const left = await readdir(join(system.harness.downloadDir, order.id, asset));
    expect(left.filter((name) => name.endsWith('.part'))).toEqual([]);
  }
}

/** Complete whole-file answers per media path: a file fetched twice shows as 2. */
function fullDownloads(calls: readonly RecordedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls)
    if (call.host === 'media' && call.status === 200 && call.completed)
      counts.set(call.path, (counts.get(call.path) ?? 0) + 1);
  return counts;
}

function expectNoTokenOnMedia(sim: WebcoosSimulator) {
  const media = sim.calls('media');
  expect(media.length).toBeGreaterThan(0);
  expect(media.filter((call) => call.authorizationSent)).toEqual([]);
}

describe('WebCOOS orders, with real api and worker processes', () => {
  afterEach(async () => {
    await running?.harness.close();
    await running?.sim.close();
    running = undefined;
  });

  it('a multi-day stills order of two cameras: every element on disk byte for byte, empty days as nodata', async () => {
    const system = await startWebcoosSystem({ stillsPerDay: 40, stillBytes: 3_000 }, { LOG_LEVEL: 'debug' });
    system.harness.startWorker({ LOG_LEVEL: 'debug' });
    const orderId = await system.submit({
      asset: ['currituck_hampton_inn', 'oakisland_west'],
      product: 'one-minute-stills',
      dateFrom: '2024-06-01T00:00:00Z',
      dateTo: '2024-06-06T00:00:00Z',
    });
    const order = await system.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    // 2024-06-03 is empty for both, 2024-06-05 for oakisland_west: ended from the inventory, never listed.
    expect(order.products.map((product) => product.status)).toEqual([
      'complete',
      'complete',
      'nodata',
      'complete',
      'complete',
      'complete',
      'complete',
      'nodata',
      'complete',
      'nodata',
    ]);
    const listed = system.sim.calls('api').filter((call) => call.path.endsWith('/elements/'));
    expect(new Set(listed.map((call) => `${call.query['service']} ${call.query['starting_after']}`)).size).toBe(7);
    const truth = [
      ...system.sim.elements(stills, '2024-06-01', '2024-06-06'),
      ...system.sim.elements('oakisland_west-one-minute-stills-s3', '2024-06-01', '2024-06-06'),
    ];
    expect(truth.length).toBe(7 * 40);
    await expectOnDisk(system, order, truth);
    expect(order.products[0]).toMatchObject({
      service: stills,
      inventoryCount: 40,
      listedCount: 40,
      listings: 1,
      pagesRead: 2,
    });
    for (const count of fullDownloads(system.sim.calls()).values()) expect(count).toBe(1);
    expectNoTokenOnMedia(system.sim);

    // The token: only in the API's Authorization header, never in a log line, the database or a URL.
    for (const process of system.harness.processes) await process.kill('SIGTERM');
    let logs = '';
    for (const name of (await readdir(system.harness.dir)).filter((file) => file.endsWith('.log')))
      logs += await readFile(join(system.harness.dir, name), 'utf8');
    expect(logs).toContain('WebCOOS GET');
    expect(logs).not.toContain(token);
    expect(await storedStateContains(system.harness.database, token)).toBe(false);
    expect(system.sim.calls().some((call) => call.url.includes(token))).toBe(false);
  });

  it('a video order: a worker killed mid-file, the next one resumes it with Range', async () => {
    const system = await startWebcoosSystem(
      { stillsPerDay: 30, videoBytes: 3_000_000, mediaBytesPerSecond: 6_000_000 },
      { WEBCOOS_MAX_DOWNLOADS: '1' },
    );
    const orderId = await system.submit({
      asset: 'currituck_sailfish',
      product: 'video-archive',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-02',
    });
    const doomed = system.harness.startWorker({ FAILPOINTS: 'download-mid-body' }, 'worker-doomed');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    system.harness.startWorker({}, 'worker-after');
    const order = await system.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    const truth = system.sim.elements('currituck_sailfish-video-archive-s3', '2024-06-01', '2024-06-02');
    expect(truth.length).toBe(3);
    await expectOnDisk(system, order, truth);
    const media = system.sim.calls('media');
    const broken = media.filter((call) => !call.completed);
    expect(broken).toHaveLength(1);
    const resumed = media.filter((call) => call.path === broken[0]?.path && call.status === 206 && call.completed);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(resumed[0]?.range ?? '')?.[0])).toBeGreaterThanOrEqual(1_500_000);
    for (const count of fullDownloads(media).values()) expect(count).toBe(1);
    expectNoTokenOnMedia(system.sim);
  });

  it('elements that arrive during a listing: the window is listed again, each element downloaded once', async () => {
    const system = await startWebcoosSystem({ stillsPerDay: 120, stillBytes: 2_000 });
    const late = system.sim.insertAfterPage({ service: stills, afterPage: 2, count: 6 });
    system.harness.startWorker();
    const orderId = await system.submit({
      asset: 'currituck_hampton_inn',
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-02',
    });
    const order = await system.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    const truth = system.sim.elements(stills, '2024-06-01', '2024-06-02');
    expect(late.inserted()).toHaveLength(6);
    expect(truth.length).toBe(126);
    await expectOnDisk(system, order, truth);
    expect(order.products[0]).toMatchObject({ inventoryCount: 120, listedCount: 126, listings: 2 });
    const downloads = fullDownloads(system.sim.calls());
    expect(downloads.size).toBe(126);
    for (const count of downloads.values()) expect(count).toBe(1);
    const events = await getOrderEvents(system.harness.database.db, orderId);
    expect(events.filter((event) => event.kind === 'relist')).toHaveLength(1);
    expect(events.find((event) => event.kind === 'count-mismatch')?.reason).toMatch(
      /126 distinct elements listed in 2 listing\(s\); the inventory counted 120, the listing counted 126/,
    );
  });

  it('Redis loses every key mid-order: the queues are rebuilt from SQLite, nothing lost, nothing fetched twice', async () => {
    const system = await startWebcoosSystem(
      { stillsPerDay: 60, stillBytes: 20_000, mediaBytesPerSecond: 200_000, latencyMs: 30 },
      { RECONCILE_INTERVAL_MS: '1000', WEBCOOS_PAGE_SIZE: '10', WEBCOOS_MAX_RPS: '4' },
    );
    system.harness.startWorker();
    const orderId = await system.submit({
      asset: 'currituck_hampton_inn',
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-05',
    });
    // API calls are scarce, so the wipe comes while windows are being listed (and, when the scheduling allows it,
    // while the first ones download): whichever is seen first.
    await waitFor('the order under way: a window part-listed, or files on disk', async () => {
      const { products } = await system.view(orderId);
      const complete = products.flatMap((product) => product.files).filter((file) => file.status === 'complete');
      return complete.length > 0 || products.some((product) => product.status === 'listing' && product.pagesRead > 0)
        ? true
        : undefined;
    });
    expect(await deleteKeysWithPrefix(system.harness.env['REDIS_URL'] ?? '', system.harness.prefix)).toBeGreaterThan(0);
    const order = await system.waitForOrder(orderId, 90_000);
    expect(order.status).toBe('completed');
    const truth = system.sim.elements(stills, '2024-06-01', '2024-06-05');
    expect(truth.length).toBe(3 * 60);
    await expectOnDisk(system, order, truth);
    for (const count of fullDownloads(system.sim.calls()).values()) expect(count).toBe(1);
    // Every page was read once or, at most, once more (a page in flight when Redis went): no listing started over.
    const pages = system.sim.calls('api').filter((call) => call.path.endsWith('/elements/'));
    const perPage = new Map<string, number>();
    for (const call of pages) perPage.set(call.url, (perPage.get(call.url) ?? 0) + 1);
    expect(perPage.size).toBe(3 * 6);
    for (const count of perPage.values()) expect(count).toBeLessThanOrEqual(2);
  });

  it('an unknown asset: the order fails at once, naming it and the assets there are, before any listing', async () => {
    const system = await startWebcoosSystem({});
    system.harness.startWorker();
    const orderId = await system.submit({
      asset: ['currituck_hampton_inn', 'atlantis_pier'],
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-04',
    });
    const order = await system.waitForOrder(orderId);
    expect(order.status).toBe('failed');
    expect(order.error).toBe(
      'unknown asset "atlantis_pier": WebCOOS lists currituck_hampton_inn, currituck_sailfish, oakisland_west, northinlet',
    );
    expect(order.products.every((product) => product.status === 'failed')).toBe(true);
    expect(
      system.sim.calls('api').filter((call) => call.path.includes('/elements/') || call.path.includes('/inventory/')),
    ).toEqual([]);
    expect(system.sim.calls('media')).toEqual([]);
  });

  it('a token refused mid-listing: the whole order fails at once, saying which setting to check', async () => {
    const system = await startWebcoosSystem({ stillsPerDay: 60 });
    system.sim.injectFault({
      host: 'api',
      path: '/elements',
      query: { page: '2' },
      times: Infinity,
      action: { kind: 'status', status: 401, body: { detail: 'Authentication credentials were not provided.' } },
    });
    system.harness.startWorker();
    const orderId = await system.submit({
      asset: 'currituck_hampton_inn',
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-03',
    });
    const order = await system.waitForOrder(orderId);
    expect(order.status).toBe('failed');
    expect(order.error).toMatch(
      /^WebCOOS answered 401 to .*elements.* \(Authentication credentials were not provided\.\): check WEBCOOS_TOKEN$/,
    );
    expect(order.products.every((product) => product.status === 'failed')).toBe(true);
    expect(JSON.stringify(order)).not.toContain(token);
    expect(system.sim.calls('media')).toEqual([]);
  });

  it('an API that throttles harder than WEBCOOS_MAX_RPS: each 429 is waited out for its Retry-After, and the order completes', async () => {
    const system = await startWebcoosSystem({ stillsPerDay: 40, stillBytes: 1_000, rateLimit: { perSecond: 2 } });
    system.harness.startWorker();
    const orderId = await system.submit({
      asset: 'northinlet',
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-03',
    });
    const order = await system.waitForOrder(orderId);
    expect(order.status).toBe('completed');
    await expectOnDisk(
      system,
      order,
      system.sim.elements('northinlet-one-minute-stills-s3', '2024-06-01', '2024-06-03'),
    );
    const api = system.sim.calls('api');
    const throttled = api.filter((call) => call.throttled);
    expect(throttled.length).toBeGreaterThan(0);
    for (const refused of throttled) {
      const retry = api.find((call) => call.seq > refused.seq && call.url === refused.url);
      // Retry-After: 1 (whole seconds); the retry comes no sooner.
      expect((retry?.startedAt ?? 0) - refused.startedAt).toBeGreaterThanOrEqual(950);
    }
  });

  it('two workers together keep to WEBCOOS_MAX_RPS API calls per second and WEBCOOS_MAX_DOWNLOADS downloads at once', async () => {
    const system = await startWebcoosSystem(
      // The simulator throttles as WebCOOS might, at the same five a second: kept to, it never has to.
      { stillsPerDay: 20, stillBytes: 40_000, mediaBytesPerSecond: 400_000, rateLimit: { perSecond: 5 } },
      {
        WEBCOOS_MAX_RPS: '5',
        WEBCOOS_MAX_DOWNLOADS: '2',
        WEBCOOS_PAGE_SIZE: '5',
        WORKER_DOWNLOAD_CONCURRENCY: '8',
        WORKER_CONTROL_CONCURRENCY: '8',
      },
    );
    system.harness.startWorker({}, 'worker-a');
    system.harness.startWorker({}, 'worker-b');
    const orderId = await system.submit({
      asset: ['currituck_hampton_inn', 'northinlet'],
      product: 'one-minute-stills',
      dateFrom: '2024-06-01',
      dateTo: '2024-06-03',
    });
    const order = await system.waitForOrder(orderId, 90_000);
    expect(order.status).toBe('completed');
    expect(order.products.flatMap((product) => product.files)).toHaveLength(4 * 20);

    const api = system.sim.calls('api');
    // 2 assets, 2 inventories, 4 windows of 4 pages: enough calls for the cap to bite.
    expect(api.length).toBeGreaterThanOrEqual(20);
    let busiest = 0;
    for (const [i, call] of api.entries()) {
      let inWindow = 0;
      for (let j = i; j < api.length && (api[j]?.startedAt ?? Infinity) < call.startedAt + 1_000; j += 1) inWindow += 1;
      busiest = Math.max(busiest, inWindow);
    }
    expect(busiest).toBeLessThanOrEqual(5);
    expect(system.sim.stats().api.peakCallsPerSecond).toBeLessThanOrEqual(5);
    expect(api.filter((call) => call.throttled)).toEqual([]);

    // Downloads at once as the media host saw them; an answer's end is noted a few ms late in this busy process.
    const lagMs = 25;
    const edges = system.sim
      .calls('media')
      .flatMap((call): Array<[number, number]> => [
        [call.startedAt, 1],
        [Math.max(call.startedAt, (call.endedAt ?? Infinity) - lagMs), -1],
      ])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inFlight = 0;
    let peak = 0;
    for (const [, change] of edges) {
      inFlight += change;
      peak = Math.max(peak, inFlight);
    }
    expect(peak).toBe(2);
    expectNoTokenOnMedia(system.sim);
  }, 120_000);
});
