import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock, type OncSimulatorOptions } from '../src/index.js';
import { anyString, call, errorsOf, requestAndRun, startSim, urlFor } from './helpers.js';

/** A simulator whose runs complete as soon as they are run. */
async function completedRun(options: OncSimulatorOptions = {}) {
  const sim = await startSim({ ...options, behaviour: { queuedMs: 0, runningMs: 0, ...options.behaviour } });
  const { dpRequestId, runIds } = await requestAndRun(sim);
  return { sim, dpRequestId, dpRunId: runIds[0] ?? 0 };
}

describe('download', () => {
  it('serves each file with its name, type and length, and deletes it once sent', async () => {
    const { sim, dpRunId } = await completedRun();
    const snapshot = sim.run(dpRunId);
    const first = await call(sim, 'download', { dpRunId, index: 1 });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename=${snapshot?.files[0]?.name}`);
    expect(first.headers.get('content-type')).toBe('text/plain');
    expect(first.headers.get('content-length')).toBe('4096');
    expect(first.body.equals(sim.fileContent(dpRunId, 1))).toBe(true);
    expect(snapshot?.files[0]?.name).toMatch(/^BarkleyCanyonAxis_SBECTD19p6813_20190620T000000Z_\d{8}T\d{6}Z\.csv$/);

    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(true);
    const again = await call(sim, 'download', { dpRunId, index: 1 });
    expect(again.status).toBe(410);

    const second = await call(sim, 'download', { dpRunId, index: 2 });
    expect(second.status).toBe(200);
    expect(second.body.equals(first.body)).toBe(false);
  });

  it('keeps the file with deleteFile=false', async () => {
    const { sim, dpRunId } = await completedRun();
    expect((await call(sim, 'download', { dpRunId, index: 1, deleteFile: 'false' })).status).toBe(200);
    expect((await call(sim, 'download', { dpRunId, index: 1, deleteFile: 'false' })).status).toBe(200);
    expect((await call(sim, 'download', { dpRunId, index: 1, deleteFile: 'true' })).status).toBe(200);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(410);
    expect(errorsOf(await call(sim, 'download', { dpRunId, index: 2, deleteFile: 'maybe' }))[0]).toMatchObject({
      errorCode: 127,
      parameter: 'deleteFile',
    });
  });

  it('answers HEAD with the headers only and deletes nothing (how the Python client counts files)', async () => {
    const { sim, dpRunId } = await completedRun();
    const head = await call(sim, 'download', { dpRunId, index: 1 }, { httpMethod: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.get('content-length')).toBe('4096');
    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(false);
    expect((await call(sim, 'download', { dpRunId, index: 3 }, { httpMethod: 'HEAD' })).status).toBe(404);
  });

  it('quotes the file name when told to', async () => {
    const { sim, dpRunId } = await completedRun({ behaviour: { filenameQuoting: 'quoted' } });
    const r = await call(sim, 'download', { dpRunId, index: 1 });
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${sim.run(dpRunId)?.files[0]?.name}"`);
  });

  it('serves hostile names as given, control characters aside', async () => {
    const names = ['../../etc/passwd', '/abs/path.csv', 'C:\\x.csv', 'a\u0007b\r\n.csv', 'Zürich-日本.csv'];
    const { sim, dpRunId } = await completedRun({ behaviour: { filesPerRun: names.length, fileNames: names } });
    const sent = [];
    for (let i = 1; i <= names.length; i++) {
      const r = await call(sim, 'download', { dpRunId, index: i });
      expect(r.status).toBe(200);
      sent.push(r.headers.get('content-disposition'));
    }
    expect(sent.slice(0, 4)).toEqual([
      'attachment; filename=../../etc/passwd',
      'attachment; filename=/abs/path.csv',
      'attachment; filename=C:\\x.csv',
      'attachment; filename=a_b__.csv',
    ]);
    // Node cannot put non-ASCII into this header reliably: it becomes '?'.
    expect(sent[4]).toBe('attachment; filename=Z?rich-??.csv');
  });

  it('serves the metadata file at index meta, or 400 when the product has none', async () => {
    const { sim, dpRunId } = await completedRun();
    const meta = await call(sim, 'download', { dpRunId, index: 'meta' });
    expect(meta.status).toBe(200);
    expect(meta.headers.get('content-disposition')).toMatch(/_META\.txt$/);
    expect(meta.body.equals(sim.fileContent(dpRunId, 'meta'))).toBe(true);

    const none = await completedRun({ behaviour: { metadataFile: false } });
    const r = await call(none.sim, 'download', { dpRunId: none.dpRunId, index: 'meta' });
    expect(r.status).toBe(400);
    expect(errorsOf(r)).toEqual([
      { errorCode: 127, errorMessage: 'Metadata file not valid for data product', parameter: 'index' },
    ]);
  });

  it('ends the list past the last file with 404, or 204 when told to', async () => {
    const { sim, dpRunId } = await completedRun();
    const r404 = await call(sim, 'download', { dpRunId, index: 3 });
    expect(r404.status).toBe(404);
    const other = await completedRun({ behaviour: { pastLastFile: 204 } });
    const r204 = await call(other.sim, 'download', { dpRunId: other.dpRunId, index: 3 });
    expect(r204.status).toBe(204);
    expect(r204.body.length).toBe(0);
  });

  it('validates dpRunId and index', async () => {
    const { sim, dpRunId } = await completedRun();
    const cases: [Record<string, string | number>, number, string][] = [
      [{ dpRunId, index: 0 }, 127, 'index'],
      [{ dpRunId, index: -2 }, 127, 'index'],
      [{ dpRunId, index: 'first' }, 127, 'index'],
      [{ dpRunId: 'x', index: 1 }, 127, 'dpRunId'],
      [{ dpRunId: 1234567890, index: 1 }, 127, 'dpRunId'],
      [{ index: 1 }, 128, 'dpRunId'],
      [{ dpRunId }, 128, 'index'],
    ];
    for (const [params, errorCode, parameter] of cases) {
      const r = await call(sim, 'download', params);
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(errorsOf(r)[0], JSON.stringify(params)).toMatchObject({ errorCode, parameter });
    }
    expect(errorsOf(await call(sim, 'download', { dpRunId, index: 0 }))[0]?.errorMessage).toBe(
      'Index must be greater than 0',
    );
  });

  it('refuses runs of other tokens, and runs that were never run', async () => {
    const sim = await startSim({ tokens: ['alice', 'bob'], behaviour: { queuedMs: 0, runningMs: 0 } });
    const req = await call(
      sim,
      'request',
      {
        locationCode: 'BACAX',
        deviceCategoryCode: 'CTD',
        dataProductCode: 'TSSD',
        extension: 'csv',
        dateFrom: '2019-06-20',
        dateTo: '2019-06-21',
      },
      { token: 'alice' },
    );
    const dpRequestId = (req.json as { dpRequestId: number }).dpRequestId;
    const dpRunId = sim.requests()[0]?.runIds[0] ?? 0;
    expect((await call(sim, 'download', { dpRunId, index: 1 }, { token: 'alice' })).status).toBe(400); // not run yet
    await call(sim, 'run', { dpRequestId }, { token: 'alice' });
    expect((await call(sim, 'download', { dpRunId, index: 1 }, { token: 'bob' })).status).toBe(400);
    expect((await call(sim, 'download', { dpRunId, index: 1 }, { token: 'alice' })).status).toBe(200);
  });

  it('reports progress with 202 while the run is queued or running', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, behaviour: { queuedMs: 1000, runningMs: 1000 } });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    expect((await call(sim, 'download', { dpRunId, index: 1 })).json).toEqual({ status: 'queued', message: anyString });
    clock.advance(1100);
    const running = await call(sim, 'download', { dpRunId, index: 1 });
    expect(running.status).toBe(202);
    expect(running.json).toEqual({ status: 'running', message: 'Running... getting data for time segment 1 of 2.' });
    clock.advance(850);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).json).toEqual({
      status: 'running',
      message: 'Running... writing data products, time range 1 of 1...',
    });
    // Past the last file is not known until the run completes: still 202.
    expect((await call(sim, 'download', { dpRunId, index: 99 })).status).toBe(202);
  });

  it('answers 202 "Transferring … to the FTP server" after the run completes, until the file arrives', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, behaviour: { queuedMs: 0, runningMs: 0, ftpLagMs: 1000 } });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    expect(sim.run(dpRunId)?.status).toBe('complete');
    const name = sim.run(dpRunId)?.files[1]?.name ?? '';
    clock.advance(1000);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(200);
    const lagging = await call(sim, 'download', { dpRunId, index: 2 });
    expect(lagging.status).toBe(202);
    expect(lagging.json).toEqual({ status: 'running', message: `Transferring (${name}) to the FTP server` });
    clock.advance(1000);
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(200);
  });

  it('can answer the FTP lag with 410 instead, which later turns into the file', async () => {
    const clock = new ManualClock();
    const sim = await startSim({ clock, behaviour: { queuedMs: 0, runningMs: 0, ftpLagMs: 500, ftpLagAnswer: 410 } });
    const { runIds } = await requestAndRun(sim);
    const dpRunId = runIds[0] ?? 0;
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(410);
    clock.advance(500);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(200);
  });

  it('answers 410 once clean-up has removed a file', async () => {
    const clock = new ManualClock();
    const { sim, dpRunId } = await completedRun({ clock, behaviour: { retentionMs: 60_000 } });
    expect((await call(sim, 'download', { dpRunId, index: 1, deleteFile: 'false' })).status).toBe(200);
    clock.advance(60_000);
    expect((await call(sim, 'download', { dpRunId, index: 1 })).status).toBe(410);
    sim.removeFile(dpRunId, 2);
    expect((await call(sim, 'download', { dpRunId, index: 2 })).status).toBe(410);
    expect(() => sim.removeFile(dpRunId, 7)).toThrow(RangeError);
  });

  it('does not delete a file whose download the client aborted', async () => {
    const { sim, dpRunId } = await completedRun({ behaviour: { fileSizeBytes: 64 * 1024 * 1024 } });
    const controller = new AbortController();
    const res = await fetch(urlFor(sim, 'download', { dpRunId, index: 1 }), { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
    await reader?.read();
    controller.abort();
    await expect(reader?.read()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.run(dpRunId)?.files[0]?.removed).toBe(false);
    const call1 = sim.calls().find((c) => c.method === 'download');
    expect(call1?.completed).toBe(false);
  });

  it('streams large files exactly', async () => {
    const size = 20 * 1024 * 1024 + 123;
    const { sim, dpRunId } = await completedRun({ behaviour: { fileSizeBytes: size, filesPerRun: 1 } });
    const res = await fetch(urlFor(sim, 'download', { dpRunId, index: 1 }));
    const hash = createHash('sha256');
    let received = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.length;
    }
    expect(received).toBe(size);
    expect(hash.digest('hex')).toBe(sim.fileSha256(dpRunId, 1));
  });
});
