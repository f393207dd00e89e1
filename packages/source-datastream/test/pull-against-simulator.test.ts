import { setTimeout as sleep } from 'node:timers/promises';
import { startDataStreamSimulator, type DataStreamSimulator } from '@onc-orders/datastream-sim';
import { FleetSemaphore, TransientFailure, type StepContext } from '@onc-orders/jobs';
import { deleteKeysWithPrefix, redisUrlForTests, uniquePrefix } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataStreamService, type DataStreamService } from '../src/datastream-service.js';
import { dataStreamSpecSchema, type DataStreamSpecInput } from '../src/datastream-spec.js';
import { listPartitions } from '../src/list-partitions.js';
import { initialPartitionState, type PartitionParams, type PartitionState } from '../src/partition-state.js';
import { pullStep } from '../src/pull-step.js';

/**
 * The adapter's steps against the real simulator over HTTP, with real Redis for the fleet limits, driven the way the
 * core drives them (state in, outcome out; a TransientFailure retried after its delay). The core itself is covered
 * by the end-to-end tests.
 */
describe('a DataStream partition pulled step by step from the simulator', () => {
  const logger = pino({ level: 'silent' });
  let sim: DataStreamSimulator;
  let redis: Redis;
  let redisUrl: string;
  let prefix: string;
  let service: DataStreamService;

  beforeAll(async () => {
    sim = await startDataStreamSimulator({
      locations: 3,
      datasets: 2,
      observationsPerLocation: [120, 180],
      rateLimit: false,
    });
    redisUrl = await redisUrlForTests();
    redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    prefix = uniquePrefix('datastream-steps');
    service = createDataStreamService(
      {
        DATASTREAM_BASE_URL: sim.url,
        DATASTREAM_API_KEY: sim.apiKey,
        DATASTREAM_MAX_RPS: 1000,
        DATASTREAM_PAGE_SIZE: 50,
        DATASTREAM_CALL_TIMEOUT_MS: 10_000,
      },
      { redis, queuePrefix: prefix, logger },
    );
  });
  afterAll(async () => {
    await sim?.close();
    redis?.disconnect();
    await deleteKeysWithPrefix(redisUrl, prefix);
  });

  const context: StepContext<PartitionState> = {
    signal: undefined,
    logger,
    failpoint: () => undefined,
    checkpoint: () => Promise.resolve(),
  };

  async function pull(input: Omit<DataStreamSpecInput, 'source'>, params: PartitionParams, top = 50) {
    const spec = dataStreamSpecSchema.parse({ source: 'datastream', ...input });
    let state: PartitionState = initialPartitionState(top);
    let text = '';
    const reasons: string[] = [];
    for (let step = 0; step < 200; step += 1) {
      let outcome;
      try {
        outcome = await pullStep(
          service,
          { id: 1, orderId: 'o', ordinal: 0, params, state, reorders: 0, spec },
          context,
        );
      } catch (error) {
        if (!(error instanceof TransientFailure)) throw error;
        reasons.push(`transient: ${error.message}`);
        await sleep(Math.min(error.retryAfterMs ?? 0, 50));
        continue;
      }
      reasons.push(`${outcome.kind}: ${'reason' in outcome ? outcome.reason : ''}`);
      state = outcome.state;
      if (outcome.kind === 'rows') {
        text += outcome.chunk.toString('utf8');
        if (outcome.done) return { outcome, state, text, reasons };
      } else if (outcome.kind !== 'continue') {
        return { outcome, state, text, reasons };
      }
    }
    throw new Error('the pull did not end');
  }

  it('pulls every row of a location, in JSON lines exactly as the simulator has them', async () => {
    const locationId = sim.locationIds()[1] ?? 0;
    const filter = "CharacteristicName in ('pH', 'Temperature, water')";
    const { state, text } = await pull({ filter, format: 'jsonl' }, { locationId, year: null, doi: null });
    const expected = sim.rows('Observations', { filter: `LocationId eq ${locationId} and (${filter})` });
    expect(expected.length).toBeGreaterThan(50);
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(expected);
    expect(state).toMatchObject({ rows: expected.length, pages: Math.ceil(expected.length / 50), done: true });
    expect(state.dois).toEqual([...new Set(expected.map((row) => row['DOI']))]);
  });

  it('retries a timeout once, then halves $top down to 100; halves it at once for a 413', async () => {
    const locationId = sim.locationIds()[0] ?? 0;
    const params = { locationId, year: null, doi: null };
    sim.configure({ timeoutAboveTop: 200 });
    try {
      const { state, reasons } = await pull({ select: ['Id'] }, params, 800);
      expect(reasons.slice(0, 4)).toEqual([
        expect.stringMatching(/^continue: DataStream timed out \(504\).*once more/),
        expect.stringMatching(/^continue: .*\$top 800 → 400/),
        expect.stringMatching(/^continue: .*\$top 400 → 200/),
        expect.stringMatching(/^rows: page 1: \d+ rows/),
      ]);
      expect(state.rows).toBe(sim.count('Observations', `LocationId eq ${locationId}`));
      // At the floor, a timeout is left to the core's retries with backoff.
      sim.configure({ timeoutAboveTop: 50 });
      const spec = dataStreamSpecSchema.parse({ source: 'datastream' });
      const atFloor = { ...initialPartitionState(100), timeoutRetried: true };
      await expect(
        pullStep(service, { id: 1, orderId: 'o', ordinal: 0, params, state: atFloor, reorders: 0, spec }, context),
      ).rejects.toThrow(/timed out \(504\).*even with \$top 100/);
    } finally {
      sim.configure({ timeoutAboveTop: null });
    }
    sim.configure({ tooLargeAboveTop: 30 });
    try {
      const { state, reasons } = await pull({ select: ['Id'] }, params, 100);
      expect(reasons[0]).toMatch(/^continue: DataStream answered 413.*\$top 100 → 50/);
      expect(reasons[1]).toMatch(/\$top 50 → 25/);
      expect(state.top).toBe(25);
    } finally {
      sim.configure({ tooLargeAboveTop: null });
    }
  });

  it('refuses a next link that leaves the API origin', async () => {
    sim.configure({ nextLinkOrigin: 'http://elsewhere.example:8080' });
    try {
      const { outcome } = await pull({}, { locationId: sim.locationIds()[0] ?? 0, year: null, doi: null });
      expect(outcome).toMatchObject({
        kind: 'rejected',
        error: {
          message: expect.stringMatching(
            /leaves its origin http:\/\/127\.0\.0\.1:\d+ \(to http:\/\/elsewhere/,
          ) as string,
        },
      });
    } finally {
      sim.configure({ nextLinkOrigin: null });
    }
  });

  it('follows the Link header alone, and retries a body cut off mid-way', async () => {
    sim.configure({ nextLinkIn: 'header' });
    const cut = sim.injectFault({ resources: ['Observations'], nth: 2, action: { kind: 'resetMidBody' } });
    try {
      const locationId = sim.locationIds()[2] ?? 0;
      const { state, text, reasons } = await pull(
        { select: ['Id', 'ResultValue'] },
        { locationId, year: null, doi: null },
      );
      expect(reasons.some((reason) => reason.startsWith('transient: DataStream call failed'))).toBe(true);
      const lines = text.split('\r\n').filter(Boolean);
      expect(lines[0]).toBe('Id,ResultValue');
      const expected = sim.rows('Observations', {
        filter: `LocationId eq ${locationId}`,
        select: ['Id', 'ResultValue'],
      });
      expect(lines.slice(1)).toEqual(
        expected.map((row) => [row['Id'], row['ResultValue'] ?? ''].map(String).join(',')),
      );
      expect(state.rows).toBe(expected.length);
      expect(cut.remaining()).toBe(0);
    } finally {
      sim.configure({ nextLinkIn: 'both' });
    }
  });

  it('reads a 403 after the key was accepted as the legacy over-limit answer, and retries it', async () => {
    const locationId = sim.locationIds()[0] ?? 0;
    const forbidden = sim.injectFault({
      resources: ['Observations'],
      nth: 2,
      times: 2,
      action: { kind: 'status', status: 403, body: { message: 'Forbidden' } },
    });
    const { state, reasons } = await pull({ select: ['Id'] }, { locationId, year: null, doi: null });
    expect(reasons.filter((reason) => reason.includes('older over-the-rate-limit answer'))).toHaveLength(2);
    expect(state.rows).toBe(sim.count('Observations', `LocationId eq ${locationId}`));
    expect(forbidden.remaining()).toBe(0);
  });

  it('gives its worker slot back with a wait when the fleet DataStream slot stays taken', async () => {
    const other = new FleetSemaphore(redis, `${prefix}:datastream-in-flight`, 1, 10_000);
    let release: () => void = () => undefined;
    const held = other.hold(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      await sleep(50);
      const spec = dataStreamSpecSchema.parse({ source: 'datastream' });
      const params = { locationId: sim.locationIds()[0] ?? 0, year: null, doi: null };
      const calls = sim.calls().length;
      const outcome = await pullStep(
        service,
        { id: 1, orderId: 'o', ordinal: 0, params, state: initialPartitionState(50), reorders: 0, spec },
        context,
      );
      expect(outcome).toMatchObject({ kind: 'wait', reason: expect.stringMatching(/slot stayed taken/) as string });
      expect(sim.calls().length).toBe(calls);
    } finally {
      release();
      await held;
    }
  });

  it('lists location-year partitions from Locations and the datasets’ TemporalExtent', async () => {
    const spec = dataStreamSpecSchema.parse({ source: 'datastream', partitionBy: 'location-year' });
    const outcome = await listPartitions(service, spec, undefined);
    if (outcome.kind !== 'started') throw new Error(JSON.stringify(outcome));
    const partitions = (outcome.add ?? []).map((plan) => plan.params);
    expect(new Set(partitions.map((p) => p.locationId))).toEqual(new Set(sim.locationIds()));
    for (const partition of partitions) {
      const extent = sim.metadata(partition.doi ?? '')?.['TemporalExtent'] as [string, string];
      const year = partition.year ?? 0;
      expect(year).toBeGreaterThanOrEqual(Number(extent[0].slice(0, 4)));
      expect(year).toBeLessThanOrEqual(Number(extent[1].slice(0, 4)));
    }
    const years = partitions.filter((p) => p.locationId === sim.locationIds()[0]).map((p) => p.year);
    expect(years.length).toBeGreaterThan(0);
  });
});
