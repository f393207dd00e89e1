import { describe, expect, it } from 'vitest';
import { CTD_REQUEST, call, requestAndRun, startSim } from './helpers.js';

describe('/_sim control endpoints', () => {
  it('drive a simulator over HTTP: config, faults, calls, requests, runs, expected files', async () => {
    const sim = await startSim();
    const control = (path: string, init?: RequestInit) => fetch(`${sim.url}_sim/${path}`, init);
    const post = (path: string, body: unknown) =>
      control(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

    expect(
      (await post('config', { behaviour: { queuedMs: 0, runningMs: 0, filesPerRun: 3 }, latencyMs: 0 })).status,
    ).toBe(204);
    const { dpRequestId, runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;

    const requests = (await (await control('requests')).json()) as {
      dpRequestId: number;
      filters: unknown;
      runIds: number[];
    }[];
    expect(requests).toEqual([expect.objectContaining({ dpRequestId, filters: CTD_REQUEST, runIds })]);
    const run = (await (await control(`runs/${dpRunId}`)).json()) as { status: string; files: unknown[] };
    expect(run.status).toBe('complete');
    expect(run.files).toHaveLength(3);
    expect((await control('runs/1')).status).toBe(404);

    const fault = await post('faults', {
      methods: ['download'],
      match: { index: '1' },
      times: 'Infinity',
      action: { kind: 'status', status: 503, headers: { 'Retry-After': '2' } },
    });
    expect(fault.status).toBe(201);
    expect(await fault.json()).toEqual({ remaining: 'Infinity' });
    const refused = await call(sim, 'download', { dpRunId, index: 1 });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(200);
    expect((await control('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(200);

    const expected = (await (
      await control(`expected-files?${new URLSearchParams(CTD_REQUEST).toString()}`)
    ).json()) as { index: unknown; sha256: string }[];
    expect(expected.map((f) => f.index)).toEqual([1, 2, 3, 'meta']);
    expect(expected[0]?.sha256).toBe(sim.fileSha256(dpRunId, 1));

    const calls = (await (await control('calls')).json()) as {
      method: string;
      status: number;
      params: Record<string, string>;
    }[];
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ['request', 200],
      ['run', 200],
      ['download', 503],
      ['download', 200],
      ['download', 200],
    ]);
    expect(calls.every((c) => c.params['token'] === 'REDACTED')).toBe(true);
    expect((await control('calls', { method: 'DELETE' })).status).toBe(204);
    expect(sim.calls()).toEqual([]);
  });

  it('refuses malformed input and unknown endpoints', async () => {
    const sim = await startSim();
    const post = (path: string, body: string) => fetch(`${sim.url}_sim/${path}`, { method: 'POST', body });
    expect((await post('config', 'not json')).status).toBe(400);
    expect((await post('config', JSON.stringify({ behaviour: { runs: 0 } }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ behaviour: { estimates: 'weird' } }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ behaviour: { fileNames: 'x.csv' } }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ chaos: { seed: 1, http500: 2 } }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ action: { kind: 'explode' } }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ methods: ['Download'], action: { kind: 'reset' } }))).status).toBe(
      400,
    );
    expect((await fetch(`${sim.url}_sim/nothing`)).status).toBe(404);
    expect((await fetch(`${sim.url}_sim/expected-files?locationCode=X`)).status).toBe(400);
    expect((await call(sim, 'request', CTD_REQUEST)).status).toBe(200); // still serving
  });
});
