import { describe, expect, it } from 'vitest';
import { OncRunFailedError } from '@onc-orders/onc-client';
import { CTD_FILTERS, requestProduct, startHarness } from './sim-harness.js';

describe('run and status against the simulator', () => {
  it('run answers 202 while queued; status follows the run to complete', async () => {
    const harness = await startHarness({ sim: { behaviour: { queuedMs: 1000, runningMs: 1000, filesPerRun: 3 } } });
    const { client, clock } = harness;
    const dpRequestId = await requestProduct(harness);

    const before = await client.status(dpRequestId);
    expect(before).toMatchObject({ kind: 'ok', value: { dpRequestId, headerStatus: 'OPEN' } });

    const run = await client.run(dpRequestId);
    expect(run).toMatchObject({ kind: 'notReady', httpStatus: 202, status: 'queued' });
    if (run.kind !== 'notReady') return;
    expect(run.value).toHaveLength(1);
    const [queued] = run.value ?? [];
    expect(queued).toMatchObject({ status: 'queued', rawStatus: 'queued', fileCount: 0 });
    expect(run.message).toContain(`dpRunId ${queued?.dpRunId}`);

    const statusOf = async () => {
      const outcome = await client.status(dpRequestId);
      if (outcome.kind !== 'ok') return expect.fail(`status answered ${outcome.kind}`);
      return { header: outcome.value.headerStatus, runs: outcome.value.runs };
    };
    expect(await statusOf()).toEqual({
      header: 'RUNNING',
      runs: [{ dpRunId: queued?.dpRunId, status: 'queued', rawStatus: 'Queued' }],
    });
    clock.advance(1500);
    expect((await statusOf()).runs).toEqual([{ dpRunId: queued?.dpRunId, status: 'running', rawStatus: 'Running' }]);
    clock.advance(1000);
    expect(await statusOf()).toEqual({
      header: 'COMPLETED',
      runs: [{ dpRunId: queued?.dpRunId, status: 'complete', rawStatus: 'Completed' }],
    });
  });

  it.each(['fileCount', 'filecount'] as const)('run answers 200 once complete, reading %s', async (fileCountKey) => {
    const harness = await startHarness({
      sim: { behaviour: { queuedMs: 0, runningMs: 0, filesPerRun: 5, fileCountKey } },
    });
    const outcome = await harness.client.run(await requestProduct(harness));
    expect(outcome).toMatchObject({
      kind: 'ok',
      httpStatus: 200,
      value: [{ status: 'complete', rawStatus: 'complete', fileCount: 5 }],
    });
  });

  it('reads "data product running" as running', async () => {
    const harness = await startHarness({
      sim: { behaviour: { queuedMs: 0, runningMs: 60_000, runningStatus: 'data product running' } },
    });
    const outcome = await harness.client.run(await requestProduct(harness));
    expect(outcome).toMatchObject({
      kind: 'notReady',
      status: 'running',
      value: [{ status: 'running', rawStatus: 'data product running' }],
    });
  });

  it('reports every run of a request that yields several', async () => {
    const harness = await startHarness({ sim: { behaviour: { runs: 3, queuedMs: 0, runningMs: 0 } } });
    const dpRequestId = await requestProduct(harness);
    const outcome = await harness.client.run(dpRequestId);
    if (outcome.kind !== 'ok') return expect.fail(`run answered ${outcome.kind}`);
    expect(outcome.value).toHaveLength(3);
    expect(new Set(outcome.value.map((run) => run.dpRunId)).size).toBe(3);
    const status = await harness.client.status(dpRequestId);
    expect(status.kind === 'ok' && status.value.runs.map((run) => run.dpRunId)).toEqual(
      outcome.value.map((run) => run.dpRunId),
    );
  });

  it('a second run is rejected with 127 "Search header has already run"; status still recovers the runs', async () => {
    const harness = await startHarness();
    const dpRequestId = await requestProduct(harness);
    const first = await harness.client.run(dpRequestId);
    expect(first.kind).toBe('notReady');
    const second = await harness.client.run(dpRequestId);
    expect(second).toMatchObject({
      kind: 'rejected',
      httpStatus: 400,
      errors: [{ errorCode: 127, errorMessage: 'Search header has already run', parameter: 'dpRequestId' }],
    });
    if (second.kind === 'rejected') expect(second.error).toMatchObject({ dpRequestId, method: 'run' });
    const status = await harness.client.status(dpRequestId);
    expect(status.kind === 'ok' && status.value.runs.map((run) => run.dpRunId)).toEqual(
      first.kind === 'notReady' ? first.value?.map((run) => run.dpRunId) : [],
    );
  });

  it('a run that ends in error is runFailed, and status shows it', async () => {
    const harness = await startHarness({ sim: { behaviour: { outcome: 'error', queuedMs: 0, runningMs: 0 } } });
    const dpRequestId = await requestProduct(harness);
    const outcome = await harness.client.run(dpRequestId);
    expect(outcome).toMatchObject({ kind: 'runFailed', httpStatus: 200 });
    if (outcome.kind !== 'runFailed') return;
    expect(outcome.error).toBeInstanceOf(OncRunFailedError);
    expect(outcome.error.dpRequestId).toBe(dpRequestId);
    expect(outcome.error.retryable).toBe(false);
    const status = await harness.client.status(dpRequestId);
    expect(status).toMatchObject({
      kind: 'ok',
      value: { headerStatus: 'ERROR', runs: [{ status: 'error', rawStatus: 'Error' }] },
    });
  });

  it.each(['run', 'status', 'cancel', 'restart'] as const)(
    '%s of an unknown request is rejected with 127',
    async (method) => {
      const { client } = await startHarness();
      const outcome = await client[method](987_654);
      expect(outcome).toMatchObject({
        kind: 'rejected',
        httpStatus: 400,
        errors: [{ errorCode: 127, parameter: 'dpRequestId' }],
      });
    },
  );
});

describe('cancel and restart against the simulator', () => {
  it('cancels queued runs and restarts them', async () => {
    const harness = await startHarness({ sim: { behaviour: { runs: 2, queuedMs: 60_000 } } });
    const { client } = harness;
    const dpRequestId = await requestProduct(harness, CTD_FILTERS);
    const run = await client.run(dpRequestId);
    const runIds = run.kind === 'notReady' ? (run.value ?? []).map((entry) => entry.dpRunId) : [];
    expect(runIds).toHaveLength(2);

    const cancelled = await client.cancel(dpRequestId);
    expect(cancelled).toEqual({
      kind: 'ok',
      httpStatus: 200,
      value: runIds.map((dpRunId) => ({ dpRunId, status: 'cancelled', rawStatus: 'cancelled' })),
    });
    const status = await client.status(dpRequestId);
    expect(status.kind === 'ok' && status.value.runs.map((entry) => entry.status)).toEqual(['cancelled', 'cancelled']);

    const restarted = await client.restart(dpRequestId);
    expect(restarted).toEqual({
      kind: 'ok',
      httpStatus: 200,
      value: runIds.map((dpRunId) => ({ dpRunId, status: 'queued', rawStatus: 'queued' })),
    });
    const after = await client.status(dpRequestId);
    expect(after.kind === 'ok' && after.value.runs.map((entry) => entry.status)).toEqual(['queued', 'queued']);
  });
});
