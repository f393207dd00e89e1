import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OncClient, OncTransientError, isRetryable, type OncMethod, type OncOutcome } from '@onc-orders/onc-client';
import { CTD_FILTERS, TOKEN, completedRunIds, rejectionOf, requestProduct, startHarness } from './sim-harness.js';

type AnyOutcome = OncOutcome<unknown>;

/** One call of each method, against whatever state the simulator is in. */
const callEach: Record<OncMethod, (client: OncClient) => Promise<AnyOutcome>> = {
  request: (client) => client.request(CTD_FILTERS),
  run: (client) => client.run(1),
  status: (client) => client.status(1),
  download: (client) => client.download({ dpRunId: 1, index: 1, deleteFile: false }),
  cancel: (client) => client.cancel(1),
  restart: (client) => client.restart(1),
  'archivefile/location': (client) =>
    client.listArchive('location', {
      locationCode: 'BACAX',
      deviceCategoryCode: 'HYDROPHONE',
      dateFrom: '2016-07-25T00:00:00.000Z',
      dateTo: '2016-07-25T01:00:00.000Z',
    }),
  'archivefile/device': (client) =>
    client.listArchive('device', {
      deviceCode: 'ICLISTENHF1251',
      dateFrom: '2016-07-25T00:00:00.000Z',
      dateTo: '2016-07-25T01:00:00.000Z',
    }),
  'archivefile/download': (client) =>
    client.downloadArchiveFile({ filename: 'ICLISTENHF1251_20160725T000000.476Z.wav' }),
  dataProducts: (client) => client.discover('dataProducts', { dataProductCode: 'TSSD' }),
  locations: (client) => client.discover('locations', { locationCode: 'BACAX' }),
  devices: (client) => client.discover('devices', { deviceCode: 'ICLISTENHF1251' }),
  deviceCategories: (client) => client.discover('deviceCategories', { locationCode: 'BACAX' }),
};
const methods = Object.keys(callEach) as OncMethod[];

function expectNoToken(value: unknown): void {
  expect(inspect(value, { depth: Infinity })).not.toContain(TOKEN);
  expect(
    JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Error ? inspect(inner) : inner)),
  ).not.toContain(TOKEN);
}

describe('transient answers', () => {
  it.each(methods)('%s: 500 is transient and retryable', async (method) => {
    const { client, sim } = await startHarness();
    sim.injectFault({ methods: [method], action: { kind: 'status', status: 500, body: { message: 'boom' } } });
    const outcome = await callEach[method](client);
    expect(outcome).toMatchObject({ kind: 'transient', httpStatus: 500 });
    expect(isRetryable(outcome)).toBe(true);
    if (outcome.kind !== 'transient') return;
    expect(outcome.error).toBeInstanceOf(OncTransientError);
    expect(outcome.error.message).toContain(`ONC ${method}`);
    expect(outcome.error.message).toContain('HTTP 500');
    expectNoToken(outcome);
  });

  it('503 with Retry-After in seconds', async () => {
    const { client, sim } = await startHarness();
    sim.injectFault({ methods: ['run'], action: { kind: 'status', status: 503, headers: { 'Retry-After': '3' } } });
    const outcome = await client.run(1);
    expect(outcome).toMatchObject({ kind: 'transient', httpStatus: 503, retryAfterMs: 3000 });
    if (outcome.kind === 'transient') expect(outcome.error.retryAfterMs).toBe(3000);
  });

  it('503 with Retry-After as an HTTP-date', async () => {
    const { client, sim } = await startHarness();
    const at = new Date(Date.now() + 120_000).toUTCString();
    sim.injectFault({ methods: ['status'], action: { kind: 'status', status: 503, headers: { 'Retry-After': at } } });
    const outcome = await client.status(1);
    expect(outcome.kind).toBe('transient');
    const retryAfterMs = outcome.kind === 'transient' ? (outcome.retryAfterMs ?? 0) : 0;
    expect(retryAfterMs).toBeGreaterThan(110_000);
    expect(retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('429 is transient', async () => {
    const { client, sim } = await startHarness();
    sim.injectFault({ action: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
    expect(await client.status(1)).toMatchObject({ kind: 'transient', httpStatus: 429, retryAfterMs: 1000 });
  });

  it.each(methods)('%s: a connection reset before the answer is transient', async (method) => {
    const { client, sim, calls } = await startHarness();
    sim.injectFault({ methods: [method], action: { kind: 'reset' } });
    const outcome = await callEach[method](client);
    expect(outcome.kind).toBe('transient');
    if (outcome.kind !== 'transient') return;
    expect(outcome.httpStatus).toBeUndefined();
    expect(outcome.error.cause).toBeDefined();
    expectNoToken(outcome);
    expect(calls).toMatchObject([{ method, outcome: 'transient' }]);
    expect(calls[0]?.httpStatus).toBeUndefined();
  });

  it('no response headers within timeoutMs is transient', async () => {
    const { client, sim } = await startHarness({ client: { timeoutMs: 150 } });
    sim.injectFault({ methods: ['status'], action: { kind: 'delay', ms: 2_000 } });
    const started = Date.now();
    const outcome = await client.status(1);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(outcome.kind).toBe('transient');
    if (outcome.kind === 'transient') expect(outcome.error.message).toContain('no response headers within 150 ms');
    // The connection is not poisoned: the next call is answered.
    expect((await client.status(1)).kind).toBe('rejected');
  });

  it('a run that recovers after transient faults is reached on a later attempt', async () => {
    const harness = await startHarness();
    const [dpRunId = 0] = await completedRunIds(harness);
    harness.sim.injectFault({ methods: ['download'], times: 2, action: { kind: 'status', status: 502 } });
    const kinds: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
      kinds.push(outcome.kind);
      if (outcome.kind === 'ok') outcome.value.body.resume();
    }
    expect(kinds).toEqual(['transient', 'transient', 'ok']);
  });
});

describe('the caller’s signal', () => {
  it('an abort while waiting rejects with the abort, not an outcome', async () => {
    const { client, sim, calls } = await startHarness();
    sim.injectFault({ methods: ['status'], action: { kind: 'delay', ms: 2_000 } });
    const controller = new AbortController();
    const pending = rejectionOf(client.status(1, controller.signal));
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect((error as Error).name).toBe('AbortError');
    expect(calls).toEqual([]);
  });

  it('an already aborted signal makes no call at all', async () => {
    const { client, sim } = await startHarness();
    const error = await rejectionOf(client.status(1, AbortSignal.abort()));
    expect((error as Error).name).toBe('AbortError');
    expect(sim.calls()).toEqual([]);
  });
});

describe('hooks', () => {
  it('beforeCall is awaited before every HTTP call, and onCall reports each one', async () => {
    const order: string[] = [];
    const harness = await startHarness({
      client: {
        beforeCall: async (method) => {
          order.push(`before ${method}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
          order.push(`granted ${method}`);
        },
      },
      sim: { behaviour: { queuedMs: 0, runningMs: 0 } },
    });
    const dpRequestId = await requestProduct(harness);
    await harness.client.run(dpRequestId);
    await harness.client.status(dpRequestId);
    expect(order).toEqual([
      'before request',
      'granted request',
      'before run',
      'granted run',
      'before status',
      'granted status',
    ]);
    expect(harness.sim.calls().map((call) => call.method)).toEqual(['request', 'run', 'status']);
    expect(harness.calls.map(({ method, httpStatus, outcome }) => ({ method, httpStatus, outcome }))).toEqual([
      { method: 'request', httpStatus: 200, outcome: 'ok' },
      { method: 'run', httpStatus: 200, outcome: 'ok' },
      { method: 'status', httpStatus: 200, outcome: 'ok' },
    ]);
    for (const info of harness.calls) expect(info.ms).toBeGreaterThanOrEqual(0);
  });

  it('a beforeCall that refuses stops the call', async () => {
    const { client, sim } = await startHarness({
      client: { beforeCall: () => Promise.reject(new Error('rate limiter shut down')) },
    });
    await expect(client.status(1)).rejects.toThrow('rate limiter shut down');
    expect(sim.calls()).toEqual([]);
  });
});

describe('token redaction', () => {
  it('onCall URLs never carry the token, in either URL form', async () => {
    for (const urlStyle of ['path', 'method'] as const) {
      const harness = await startHarness({ client: { urlStyle }, sim: { behaviour: { queuedMs: 0, runningMs: 0 } } });
      const [dpRunId = 0] = await completedRunIds(harness);
      const file = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
      if (file.kind === 'ok') file.value.body.resume();
      harness.sim.injectFault({ action: { kind: 'status', status: 500 } });
      await harness.client.cancel(1);
      expect(harness.calls.length).toBe(5);
      for (const info of harness.calls) {
        expect(info.url).not.toContain(TOKEN);
        expect(info.url).toContain('token=REDACTED');
        expect(new URL(info.url).origin).toBe(new URL(harness.sim.url).origin);
      }
      expect(harness.sim.calls().every((call) => call.params.token === 'REDACTED')).toBe(true);
    }
  });

  it('errors from a reset, a 500 and a 401 carry no token anywhere', async () => {
    const { client, sim } = await startHarness();
    sim.injectFault({ methods: ['status'], action: { kind: 'reset' } });
    sim.injectFault({ methods: ['run'], action: { kind: 'status', status: 500 } });
    sim.injectFault({ methods: ['cancel'], action: { kind: 'status', status: 401, body: { errors: [] } } });
    const outcomes = [await client.status(1), await client.run(1), await client.cancel(1)];
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['transient', 'transient', 'rejected']);
    for (const outcome of outcomes) expectNoToken(outcome);
  });
});
