/**
 * The order flow the official Python client (onc 2.x) runs against the live service: request, one run call,
 * then download index 1, 2, … polling through 202s until 404, then the metadata file — in real time.
 */
import { describe, expect, it } from 'vitest';
import { CTD_REQUEST, call, startSim } from './helpers.js';

describe('an official-client style order, in real time', () => {
  it('downloads every file of every run plus the metadata, each exactly once', async () => {
    const sim = await startSim({ behaviour: { runs: 2, filesPerRun: 3, queuedMs: 50, runningMs: 150, ftpLagMs: 20 } });
    const { dpRequestId } = (await call(sim, 'request', CTD_REQUEST)).json as { dpRequestId: number };
    const run = await call(sim, 'run', { dpRequestId });
    expect(run.status).toBe(202);
    const runIds = (run.json as { dpRunId: number }[]).map((r) => r.dpRunId);

    const fetched: { dpRunId: number; index: string; name: string; bytes: Buffer }[] = [];
    for (const dpRunId of runIds) {
      for (const index of [...[1, 2, 3, 4].map(String), 'meta']) {
        for (let attempt = 0; ; attempt++) {
          expect(attempt).toBeLessThan(200);
          const r = await call(sim, 'download', { dpRunId, index });
          if (r.status === 202) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            continue;
          }
          if (index === '4') expect(r.status).toBe(404);
          else {
            expect(r.status).toBe(200);
            const name = /filename=(.*)$/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? '';
            fetched.push({ dpRunId, index, name, bytes: r.body });
          }
          break;
        }
      }
    }

    expect(fetched).toHaveLength(8);
    expect(new Set(fetched.map((f) => f.name)).size).toBe(8);
    for (const f of fetched) {
      const index = f.index === 'meta' ? 'meta' : Number(f.index);
      expect(f.bytes.equals(sim.fileContent(f.dpRunId, index))).toBe(true);
    }
    const status = (await call(sim, 'status', { dpRequestId })).json as { searchHdrStatus: string };
    expect(status.searchHdrStatus).toBe('COMPLETED');
    expect(runIds.every((id) => sim.run(id)?.files.every((f) => f.removed))).toBe(true);
  });
});
