import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/index.js';
import {
  anyNumber,
  anyString,
  call,
  CTD_REQUEST,
  errorsOf,
  requestAndRun,
  requestProduct,
  startSim,
} from './helpers.js';

interface StatusBody {
  searchHdrId: number;
  searchHdrStatus: string;
  searchSourceId: number;
  newSearches: {
    searchId: number;
    taskStatus: string | null;
    dataProductFormat: { extension: { extension: string } };
  }[];
}

describe('run and status', () => {
  it('follows a request from OPEN through queued and running to COMPLETED', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, behaviour: { queuedMs: 1000, runningMs: 5000, repeatRun: 'report' } });
    const dpRequestId = await requestProduct(sim);

    let status = (await call(sim, 'status', { dpRequestId })).json as StatusBody;
    expect(status.searchHdrId).toBe(dpRequestId);
    expect(status.searchHdrStatus).toBe('OPEN');
    expect(status.searchSourceId).toBe(5);
    expect(status.newSearches).toHaveLength(1);
    expect(status.newSearches[0]?.taskStatus).toBeNull();
    expect(status.newSearches[0]?.dataProductFormat.extension.extension).toBe('csv');
    const dpRunId = status.newSearches[0]?.searchId;

    const run = await call(sim, 'run', { dpRequestId });
    expect(run.status).toBe(202);
    expect(run.json).toEqual([{ dpRunId, fileCount: 0, status: 'queued' }]);

    clock.advance(1000);
    expect((await call(sim, 'run', { dpRequestId })).json).toEqual([{ dpRunId, fileCount: 0, status: 'running' }]);
    status = (await call(sim, 'status', { dpRequestId })).json as StatusBody;
    expect(status.searchHdrStatus).toBe('RUNNING');
    expect(status.newSearches[0]?.taskStatus).toBe('Running');

    clock.advance(5000);
    const done = await call(sim, 'run', { dpRequestId });
    expect(done.status).toBe(200);
    expect(done.json).toEqual([{ dpRunId, fileCount: 2, status: 'complete' }]);
    status = (await call(sim, 'status', { dpRequestId })).json as StatusBody;
    expect(status.searchHdrStatus).toBe('COMPLETED');
    expect(status.newSearches[0]?.taskStatus).toBe('Completed');
  });

  it('refuses a second run call with 127 "Search header has already run" by default', async () => {
    const sim = await startSim();
    const { dpRequestId } = await requestAndRun(sim);
    const again = await call(sim, 'run', { dpRequestId });
    expect(again.status).toBe(400);
    expect(errorsOf(again)).toEqual([
      { errorCode: 127, errorMessage: 'Search header has already run', parameter: 'dpRequestId' },
    ]);
  });

  it('lets status recover the run ids after run was called', async () => {
    const sim = await startSim({ behaviour: { runs: 3 } });
    const { dpRequestId, runIds } = await requestAndRun(sim);
    expect(runIds).toHaveLength(3);
    const status = (await call(sim, 'status', { dpRequestId })).json as StatusBody;
    expect(status.newSearches.map((s) => s.searchId)).toEqual(runIds);
  });

  it('yields several runs with their own file counts', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, behaviour: { runs: 2, filesPerRun: [1, 3], queuedMs: 0, runningMs: 10 } });
    const { runIds } = await requestAndRun(sim);
    clock.advance(10);
    expect(runIds.map((id) => sim.run(id)?.files.length)).toEqual([1, 3]);
    const names = runIds.flatMap((id) => sim.run(id)?.files.map((f) => f.name) ?? []);
    expect(new Set(names).size).toBe(4);
  });

  it('speaks the variants seen in the wild: "filecount" and "data product running"', async () => {
    const clock = new ManualClock();
    const sim = await startSim({
      clock,
      behaviour: { queuedMs: 0, runningMs: 100, fileCountKey: 'filecount', runningStatus: 'data product running' },
    });
    const dpRequestId = await requestProduct(sim);
    const run = await call(sim, 'run', { dpRequestId });
    expect(run.status).toBe(202);
    expect(run.json).toEqual([{ dpRunId: anyNumber, filecount: 0, status: 'data product running' }]);
  });

  it('answers 200 from run at once when processing takes no time', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0 } });
    const dpRequestId = await requestProduct(sim);
    const run = await call(sim, 'run', { dpRequestId });
    expect(run.status).toBe(200);
    expect(run.json).toEqual([{ dpRunId: anyNumber, fileCount: 2, status: 'complete' }]);
  });

  it('ends a failing run in error: run reports it, download 202s with status error', async () => {
    const clock = new ManualClock();
    const sim = await startSim({
      clock,
      behaviour: { outcome: 'error', queuedMs: 0, runningMs: 10, repeatRun: 'report' },
    });
    const { dpRequestId, runIds } = await requestAndRun(sim);
    clock.advance(10);
    const run = await call(sim, 'run', { dpRequestId });
    expect(run.status).toBe(200);
    expect(run.json).toEqual([{ dpRunId: runIds[0], fileCount: 0, status: 'error' }]);
    const dl = await call(sim, 'download', { dpRunId: runIds[0] ?? 0, index: 1 });
    expect(dl.status).toBe(202);
    expect(dl.json).toEqual({ status: 'error', message: anyString });
    expect(((await call(sim, 'status', { dpRequestId })).json as StatusBody).searchHdrStatus).toBe('ERROR');
  });

  it("hides one token's requests from another and validates dpRequestId", async () => {
    const sim = await startSim({ tokens: ['alice', 'bob'] });
    const r = await call(sim, 'request', CTD_REQUEST, { token: 'alice' });
    const dpRequestId = (r.json as { dpRequestId: number }).dpRequestId;
    for (const method of ['status', 'run', 'cancel', 'restart']) {
      const other = await call(sim, method, { dpRequestId }, { token: 'bob' });
      expect(other.status).toBe(400);
      expect(errorsOf(other)).toEqual([
        { errorCode: 127, errorMessage: 'Invalid search header ID', parameter: 'dpRequestId' },
      ]);
      expect(errorsOf(await call(sim, method, { dpRequestId: 'abc' }, { token: 'alice' }))[0]?.errorCode).toBe(127);
      expect(errorsOf(await call(sim, method, { RequestId: dpRequestId }, { token: 'alice' }))).toEqual([
        { errorCode: 129, errorMessage: 'Invalid parameter name', parameter: 'RequestId' },
        { errorCode: 128, errorMessage: 'Missing parameter', parameter: 'dpRequestId' },
      ]);
    }
  });
});

describe('cancel and restart', () => {
  it('cancels queued runs, refuses their downloads without an errors list, and restarts them under the same id', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, behaviour: { queuedMs: 100, runningMs: 100 } });
    const { dpRequestId, runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;

    const cancel = await call(sim, 'cancel', { dpRequestId });
    expect(cancel.status).toBe(200);
    expect(cancel.json).toEqual([{ dpRunId, status: 'cancelled' }]);
    expect(sim.run(dpRunId)?.status).toBe('cancelled');

    const dl = await call(sim, 'download', { dpRunId, index: 1 });
    expect(dl.status).toBe(400);
    expect(dl.json).not.toHaveProperty('errors');

    clock.advance(1000); // a cancelled run stays cancelled
    expect(sim.run(dpRunId)?.status).toBe('cancelled');

    const restart = await call(sim, 'restart', { dpRequestId });
    expect(restart.status).toBe(200);
    expect(restart.json).toEqual([{ dpRunId, status: 'queued' }]);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(202);
    clock.advance(200);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(200);
  });

  it('cancels nothing that has completed, and restarts nothing that was not cancelled', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0 } });
    const { dpRequestId } = await requestAndRun(sim);
    expect((await call(sim, 'cancel', { dpRequestId })).json).toEqual([]);
    expect((await call(sim, 'restart', { dpRequestId })).json).toEqual([]);
  });
});
