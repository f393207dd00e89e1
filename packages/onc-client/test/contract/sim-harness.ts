import { afterEach, expect } from 'vitest';
import { ManualClock, startOncSimulator, type OncSimulator, type OncSimulatorOptions } from '@onc-orders/onc-sim';
import { OncClient, type OncCallInfo, type OncClientOptions, type OncFilters } from '@onc-orders/onc-client';

/** Long and distinctive, so a leak anywhere (message, URL, inspect output) is unmistakable. */
export const TOKEN = 'contract-SECRET-token-7f3a9c1e5d';

/** A CTD at Barkley Canyon Axis for one day in 2016: a request the simulator's catalogue can fulfil. */
export const CTD_FILTERS: OncFilters = {
  dataProductCode: 'TSSD',
  extension: 'csv',
  locationCode: 'BACAX',
  deviceCategoryCode: 'CTD',
  dateFrom: '2016-07-25T00:00:00.000Z',
  dateTo: '2016-07-26T00:00:00.000Z',
};

export interface Harness {
  sim: OncSimulator;
  client: OncClient;
  /** The simulator's time: runs advance only when a test moves it. */
  clock: ManualClock;
  /** Everything the client reported through onCall. */
  calls: OncCallInfo[];
}

const open: Harness[] = [];

afterEach(async () => {
  for (const harness of open.splice(0)) {
    await harness.client.close();
    await harness.sim.close();
  }
});

/** A simulator accepting TOKEN on an ephemeral port, and a client pointed at it; both closed after the test. */
export async function startHarness(
  options: { sim?: OncSimulatorOptions; client?: Partial<OncClientOptions> } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const sim = await startOncSimulator({ tokens: [TOKEN], clock, ...options.sim });
  const calls: OncCallInfo[] = [];
  const client = new OncClient({
    token: TOKEN,
    baseUrl: sim.url,
    onCall: (info) => calls.push(info),
    ...options.client,
  });
  const harness = { sim, client, clock, calls };
  open.push(harness);
  return harness;
}

/** Requests CTD_FILTERS (or `filters`) and returns the dpRequestId, failing the test on anything but ok. */
export async function requestProduct(harness: Harness, filters: OncFilters = CTD_FILTERS): Promise<number> {
  const outcome = await harness.client.request(filters);
  if (outcome.kind !== 'ok') expect.fail(`request answered ${outcome.kind}`);
  return outcome.value.dpRequestId;
}

/** Requests, runs and lets the simulator's clock pass until the runs are complete; returns their dpRunIds. */
export async function completedRunIds(harness: Harness, filters: OncFilters = CTD_FILTERS): Promise<number[]> {
  const dpRequestId = await requestProduct(harness, filters);
  const run = await harness.client.run(dpRequestId);
  if (run.kind !== 'ok' && run.kind !== 'notReady') expect.fail(`run answered ${run.kind}`);
  harness.clock.advance(24 * 3600 * 1000);
  const status = await harness.client.status(dpRequestId);
  if (status.kind !== 'ok') expect.fail(`status answered ${status.kind}`);
  expect(status.value.runs.every((run) => run.status === 'complete')).toBe(true);
  return status.value.runs.map((run) => run.dpRunId);
}

/** Reads a downloaded body completely. */
export async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected a rejection');
}
