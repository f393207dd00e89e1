import { describe, expect, it } from 'vitest';
import { CTD_REQUEST, call, errorsOf, requestAndRun, startSim } from './helpers.js';

describe('files depend only on filters, run ordinal and index', () => {
  it('serves identical files when the same product is ordered again, and says so in expectedFiles', async () => {
    const sim = await startSim({ behaviour: { queuedMs: 0, runningMs: 0, runs: 2, filesPerRun: 2 } });
    const first = await requestAndRun(sim);
    const second = await requestAndRun(sim);
    const describeRun = (id: number) =>
      [...(sim.run(id)?.files ?? []), sim.run(id)?.meta].map((f) => f && [f.name, sim.fileSha256(id, f.index)]);
    expect(first.runIds.map(describeRun)).toEqual(second.runIds.map(describeRun));

    const expected = sim.expectedFiles(CTD_REQUEST);
    expect(expected).toHaveLength(6); // 2 runs × (2 files + meta)
    for (const [ordinal, dpRunId] of first.runIds.entries()) {
      for (const f of expected.filter((e) => e.run === ordinal)) {
        const served = await call(sim, 'download', { dpRunId, index: f.index, deleteFile: 'false' });
        expect(served.headers.get('content-disposition')).toBe(`attachment; filename=${f.name}`);
        expect(served.body.length).toBe(f.sizeBytes);
        expect(f.sha256).toBe(sim.fileSha256(dpRunId, f.index));
      }
    }
    const names = expected.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length); // two runs of one request never share a name
  });

  it('draws file counts and sizes from ranges, the same for the same filters and different across them', async () => {
    const sim = await startSim({
      behaviour: { queuedMs: 0, runningMs: 0, filesPerRunRange: [1, 4], fileSizeRange: [500_000, 1_500_000] },
    });
    const days = Array.from({ length: 20 }, (_, day) => ({
      ...CTD_REQUEST,
      dateFrom: `2016-07-${String(day + 1).padStart(2, '0')}`,
      dateTo: `2016-07-${String(day + 2).padStart(2, '0')}`,
    }));
    const shapes = days.map((filters) => sim.expectedFiles(filters).filter((file) => file.index !== 'meta'));
    const counts = shapes.map((files) => files.length);
    const sizes = shapes.flat().map((file) => file.sizeBytes);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    expect(new Set(counts).size).toBeGreaterThan(1);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(500_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_500_000);
    expect(new Set(sizes).size).toBeGreaterThan(1);
    // Ordered for real, the same filters serve exactly what expectedFiles said.
    const { runIds } = await requestAndRun(sim, days[0] ?? CTD_REQUEST);
    const served = sim.run(runIds[0] ?? 0)?.files.map((file) => file.sizeBytes);
    expect(served).toEqual(shapes[0]?.map((file) => file.sizeBytes));
    await expect(startSim({ behaviour: { fileSizeRange: [2, 1] } })).rejects.toThrow(/fileSizeRange/);
  });

  it('gives different filters different content', async () => {
    const sim = await startSim();
    const a = sim.expectedFiles(CTD_REQUEST);
    const b = sim.expectedFiles({ ...CTD_REQUEST, dpo_resample: 'average' });
    expect(a.map((f) => f.name)).toEqual(b.map((f) => f.name));
    expect(a[0]?.sha256).not.toBe(b[0]?.sha256);
    expect(() => sim.expectedFiles({ ...CTD_REQUEST, locationCode: 'NOPE' })).toThrow(
      /127 Invalid parameter value \(locationCode\)/,
    );
  });
});

describe('behaviour knobs', () => {
  it('answers a forced request error, 400 or 401, without creating a request', async () => {
    const sim = await startSim({
      behaviourFor: (f) =>
        f['deviceCategoryCode'] === 'OXYSENSOR'
          ? { requestError: { errorCode: 71, errorMessage: 'Data restricted by X.', parameter: 'dateTo' } }
          : f['dpo_qualityControl'] === '0'
            ? {
                requestError: {
                  errorCode: 127,
                  errorMessage: 'Invalid parameter value',
                  parameter: 'token',
                  httpStatus: 401,
                },
              }
            : undefined,
    });
    const restricted = await call(sim, 'request', { ...CTD_REQUEST, deviceCategoryCode: 'OXYSENSOR' });
    expect(restricted.status).toBe(400);
    expect(errorsOf(restricted)).toEqual([
      { errorCode: 71, errorMessage: 'Data restricted by X.', parameter: 'dateTo' },
    ]);
    expect((await call(sim, 'request', { ...CTD_REQUEST, dpo_qualityControl: '0' })).status).toBe(401);
    expect((await call(sim, 'request', CTD_REQUEST)).status).toBe(200);
    expect(sim.requests()).toHaveLength(1);
  });

  it('accepts any non-empty token unless tokens are given', async () => {
    const sim = await startSim();
    expect((await call(sim, 'request', CTD_REQUEST, { token: 'anything-at-all' })).status).toBe(200);
    expect((await call(sim, 'request', CTD_REQUEST, { token: '' })).status).toBe(401);
    expect(sim.requests()[0]?.filters).toEqual(CTD_REQUEST);
  });

  it('sends RFC 6266 names with an exact UTF-8 filename* and an ASCII fallback', async () => {
    const name = 'Zürich "Bay" 日本.csv';
    const sim = await startSim({
      behaviour: { queuedMs: 0, runningMs: 0, filesPerRun: 1, fileNames: [name], filenameQuoting: 'rfc6266' },
    });
    const { runIds } = await requestAndRun(sim);
    const header =
      (await call(sim, 'download', { dpRunId: runIds[0] ?? 0, index: 1 })).headers.get('content-disposition') ?? '';
    expect(header).toBe(
      `attachment; filename="Z?rich \\"Bay\\" ??.csv"; filename*=UTF-8''Z%C3%BCrich%20%22Bay%22%20%E6%97%A5%E6%9C%AC.csv`,
    );
    expect(decodeURIComponent(header.split("UTF-8''")[1] ?? '')).toBe(name);
  });
});
