import { TransientFailure, type ListedFile, type PrepareOutcome } from '@onc-orders/jobs';
import { startWebcoosSimulator, type WebcoosSimulator } from '@onc-orders/webcoos-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webcoosSpecSchema, type WebcoosFileMeta, type WebcoosState } from '../src/index.js';
import { initialWebcoosState, type WebcoosParams } from '../src/webcoos-state.js';
import { serviceForTests, snapshot, stepContext, type ServiceForTests } from './support/service-for-tests.js';

const service = 'currituck_hampton_inn-one-minute-stills-s3';
const spec = webcoosSpecSchema.parse({
  source: 'webcoos',
  asset: 'currituck_hampton_inn',
  product: 'one-minute-stills',
  dateFrom: '2024-06-01',
  dateTo: '2024-06-02',
});
const params: WebcoosParams = {
  asset: 'currituck_hampton_inn',
  product: 'one-minute-stills',
  from: '2024-06-01T00:00:00Z',
  to: '2024-06-02T00:00:00Z',
};

/** Steps the listing as the core would, committing each outcome's state; what it came to and every file listed. */
async function listWindow(test: ServiceForTests, state: WebcoosState) {
  const files: ListedFile<WebcoosFileMeta>[] = [];
  const events: string[] = [];
  for (let step = 0; step < 200; step += 1) {
    const outcome: PrepareOutcome<WebcoosState, WebcoosFileMeta> = await test.source.prepare(
      snapshot(spec, params, state),
      stepContext,
    );
    if ('events' in outcome) events.push(...(outcome.events ?? []).map((event) => `${event.kind}: ${event.reason}`));
    if (outcome.kind === 'continue' || outcome.kind === 'files') files.push(...(outcome.files ?? []));
    state = outcome.state;
    if (outcome.kind !== 'continue') return { outcome, files, events, state };
  }
  throw new Error('the listing did not end');
}

describe('listing a WebCOOS window', () => {
  let sim: WebcoosSimulator;
  let test: ServiceForTests;
  beforeEach(async () => {
    sim = await startWebcoosSimulator({ stillsPerDay: 400, stillBytes: 500 });
  });
  afterEach(async () => {
    await test.close();
    await sim.close();
  });

  const resolved = (count: number | null): WebcoosState => ({
    ...initialWebcoosState,
    service: { slug: service, uuid: 'x', productSlug: 'one-minute-stills' },
    inventory: { count, bytes: null, hasData: true },
  });

  it('reads every page in starting order, with the token, and lists each element once', async () => {
    test = await serviceForTests(sim);
    const truth = sim.elements(service, params.from, params.to, { sha256: false });
    const { outcome, files, events } = await listWindow(test, resolved(truth.length));
    expect(outcome.kind).toBe('files');
    expect(files.map((file) => file.ref)).toEqual(truth.map((element) => element.uuid));
    expect(files[0]?.meta).toEqual({
      uuid: truth[0]?.uuid,
      url: truth[0]?.url,
      name: truth[0]?.name,
      starting: truth[0]?.starting,
      size: 500,
    });
    expect(truth[0]?.name).toContain(':');
    expect(events).toEqual([]);
    const pages = sim.calls('api');
    expect(pages).toHaveLength(8);
    expect(pages.every((call) => call.authorizationSent && call.query['ordering'] === 'starting')).toBe(true);
    expect(pages[0]?.query).toMatchObject({ starting_after: params.from, starting_before: params.to, service });
  });

  it('lists the window again when elements arrive mid-listing, and gets each of them once', async () => {
    test = await serviceForTests(sim);
    const before = sim.elements(service, params.from, params.to, { sha256: false }).length;
    const late = sim.insertAfterPage({ service, afterPage: 2, count: 7 });
    const { outcome, files, events } = await listWindow(test, resolved(before));
    const truth = sim.elements(service, params.from, params.to, { sha256: false });
    expect(late.inserted()).toHaveLength(7);
    expect(truth).toHaveLength(before + 7);
    expect(outcome.kind).toBe('files');
    expect(new Set(files.map((file) => file.ref)).size).toBe(files.length);
    expect(files.map((file) => file.ref).sort()).toEqual(truth.map((element) => element.uuid).sort());
    expect(events.filter((event) => event.startsWith('relist'))).toHaveLength(1);
    // Seven more than the inventory counted when the order started: recorded.
    expect(events.filter((event) => event.startsWith('count-mismatch'))).toEqual([
      expect.stringContaining(
        `${before + 7} distinct elements listed in 2 listing(s); the inventory counted ${before}`,
      ),
    ]);
  });

  it('stops after WEBCOOS_MAX_LISTINGS listings and records what is still missing', async () => {
    test = await serviceForTests(sim, { WEBCOOS_MAX_LISTINGS: '2' });
    const before = sim.elements(service, params.from, params.to, { sha256: false }).length;
    sim.insertAfterPage({ service, afterPage: 1, count: 3, times: Infinity });
    const { outcome, events, state } = await listWindow(test, resolved(before));
    expect(outcome.kind).toBe('files');
    expect(state.listing).toBe(2);
    expect(events.filter((event) => event.startsWith('count-mismatch'))).toHaveLength(1);
  });

  it('takes a page again after a transient failure without listing anything twice', async () => {
    test = await serviceForTests(sim);
    sim.injectFault({
      host: 'api',
      path: '/elements',
      query: { page: '3' },
      action: { kind: 'status', status: 503, headers: { 'Retry-After': '2' } },
    });
    let state = resolved(null);
    const seen: string[] = [];
    let thrown: unknown;
    for (let step = 0; step < 50; step += 1) {
      let outcome;
      try {
        outcome = await test.source.prepare(snapshot(spec, params, state), stepContext);
      } catch (error) {
        thrown = error;
        continue; // the core retries the step with the same state
      }
      if (outcome.kind === 'continue' || outcome.kind === 'files')
        seen.push(...(outcome.files ?? []).map((f) => f.ref));
      state = outcome.state;
      if (outcome.kind !== 'continue') break;
    }
    expect(thrown).toBeInstanceOf(TransientFailure);
    expect((thrown as TransientFailure).retryAfterMs).toBe(2000);
    expect(seen).toHaveLength(sim.elements(service, params.from, params.to, { sha256: false }).length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('ends the whole order on a refused token', async () => {
    test = await serviceForTests(sim, { WEBCOOS_TOKEN: 'revoked-token-99' });
    const { outcome } = await listWindow(test, resolved(null));
    expect(outcome).toMatchObject({ kind: 'rejected', endsOrder: true, error: { code: 403 } });
    expect(JSON.stringify(outcome)).not.toContain('revoked-token-99');
  });

  it('resolves the service itself when the order did not give it', async () => {
    test = await serviceForTests(sim);
    const { outcome, state } = await listWindow(test, initialWebcoosState);
    expect(outcome.kind).toBe('files');
    expect(state.service?.slug).toBe(service);
    expect(state.inventory?.count).toBe(state.seen.length);
  });

  it('never follows a next page away from the API', () => {
    return serviceForTests(sim).then((made) => {
      test = made;
      const client = made.service.client;
      expect(client.sameApiUrl(`${sim.url}/elements/?page=2`)).toBe(`${sim.url}/elements/?page=2`);
      expect(client.sameApiUrl(`${sim.url.replace('http:', 'https:')}/elements/?page=2`)).toBe(
        `${sim.url}/elements/?page=2`,
      );
      expect(client.sameApiUrl('http://evil.example/webcoos/api/v1/elements/?page=2')).toBeUndefined();
      expect(client.sameApiUrl(`${sim.mediaUrl}/webcoos/api/v1/elements/`)).toBe(`${sim.url}/elements/`);
      expect(client.sameApiUrl(`${new URL(sim.url).origin}/other/`)).toBeUndefined();
    });
  });
});
