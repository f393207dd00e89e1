import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OncCancelledError, OncGoneError, OncRunFailedError, classifyNetworkError } from '@onc-orders/onc-client';
import { TOKEN, completedRunIds, readAll, rejectionOf, requestProduct, startHarness } from './sim-harness.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('download against the simulator', () => {
  it.each(['unquoted', 'quoted', 'rfc6266'] as const)(
    'streams every file and the metadata file with their names (%s Content-Disposition)',
    async (filenameQuoting) => {
      const harness = await startHarness({
        sim: { behaviour: { filesPerRun: 3, fileSizeBytes: 70_000, filenameQuoting } },
      });
      const { client, sim } = harness;
      const [dpRunId = 0] = await completedRunIds(harness);
      const served = sim.run(dpRunId);
      for (const index of [1, 2, 3, 'meta'] as const) {
        const outcome = await client.download({ dpRunId, index, deleteFile: false });
        if (outcome.kind !== 'ok') return expect.fail(`download ${index} answered ${outcome.kind}`);
        const expected = index === 'meta' ? served?.meta : served?.files[index - 1];
        expect(outcome.value).toMatchObject({
          httpStatus: 200,
          fileName: expected?.name,
          contentLength: expected?.sizeBytes,
        });
        expect(outcome.value.partial).toBeUndefined();
        const bytes = await readAll(outcome.value.body);
        expect(bytes.length).toBe(expected?.sizeBytes);
        expect(sha256(bytes)).toBe(sim.fileSha256(dpRunId, index));
      }
      const sent = sim.calls().filter((call) => call.method === 'download');
      expect(sent.map((call) => call.params.index)).toEqual(['1', '2', '3', 'meta']);
      expect(sent.every((call) => call.params.deleteFile === 'false' && call.completed)).toBe(true);
    },
  );

  it.each([204, 404] as const)('answers endOfFiles for an index past the last file (%i)', async (pastLastFile) => {
    const harness = await startHarness({ sim: { behaviour: { filesPerRun: 2, pastLastFile } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    const outcome = await harness.client.download({ dpRunId, index: 3, deleteFile: false });
    expect(outcome).toEqual({ kind: 'endOfFiles', httpStatus: pastLastFile });
  });

  it('deleteFile true: the file is gone (410) after a complete download', async () => {
    const harness = await startHarness();
    const [dpRunId = 0] = await completedRunIds(harness);
    const first = await harness.client.download({ dpRunId, index: 1, deleteFile: true });
    if (first.kind !== 'ok') return expect.fail(`download answered ${first.kind}`);
    await readAll(first.value.body);
    const second = await harness.client.download({ dpRunId, index: 1, deleteFile: true });
    expect(second.kind).toBe('gone');
    if (second.kind !== 'gone') return;
    expect(second.httpStatus).toBe(410);
    expect(second.error).toBeInstanceOf(OncGoneError);
    expect(second.error).toMatchObject({ dpRunId, index: 1, httpStatus: 410 });
    expect(harness.sim.calls().at(-2)?.params.deleteFile).toBe('true');
  });

  it('deleteFile false: the file can be fetched again', async () => {
    const harness = await startHarness();
    const [dpRunId = 0] = await completedRunIds(harness);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const outcome = await harness.client.download({ dpRunId, index: 2, deleteFile: false });
      if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
      expect(sha256(await readAll(outcome.value.body))).toBe(harness.sim.fileSha256(dpRunId, 2));
    }
  });

  it('index=meta on a product without metadata is rejected with 127', async () => {
    const harness = await startHarness({ sim: { behaviour: { metadataFile: false } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    const outcome = await harness.client.download({ dpRunId, index: 'meta', deleteFile: false });
    expect(outcome).toMatchObject({
      kind: 'rejected',
      httpStatus: 400,
      errors: [{ errorCode: 127, errorMessage: 'Metadata file not valid for data product', parameter: 'index' }],
    });
  });

  it('an unknown run is rejected with 127 on dpRunId', async () => {
    const { client } = await startHarness();
    const outcome = await client.download({ dpRunId: 424_242, index: 1, deleteFile: false });
    expect(outcome).toMatchObject({ kind: 'rejected', errors: [{ errorCode: 127, parameter: 'dpRunId' }] });
  });

  it('answers notReady (202) while the run is queued or running', async () => {
    const harness = await startHarness({ sim: { behaviour: { queuedMs: 1000, runningMs: 1000 } } });
    const dpRequestId = await requestProduct(harness);
    const run = await harness.client.run(dpRequestId);
    const dpRunId = run.kind === 'notReady' ? (run.value?.[0]?.dpRunId ?? 0) : 0;
    const queued = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
    expect(queued).toMatchObject({
      kind: 'notReady',
      httpStatus: 202,
      status: 'queued',
      message: expect.any(String) as string,
    });
    harness.clock.advance(1100);
    const running = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
    expect(running).toMatchObject({ kind: 'notReady', status: 'running' });
    expect(running.kind === 'notReady' && running.message).toMatch(/^Running\.\.\./);
  });

  it('answers notReady after completion while the file travels to the FTP server, or gone when ONC says 410', async () => {
    const lagging = await startHarness({ sim: { behaviour: { ftpLagMs: 3_600_000 } } });
    const [dpRunId = 0] = await completedRunIds(lagging);
    lagging.clock.set(lagging.clock.now() - 23 * 3600 * 1000); // just after completion, before the file arrives
    const transferring = await lagging.client.download({ dpRunId, index: 1, deleteFile: false });
    expect(transferring).toMatchObject({ kind: 'notReady', status: 'running' });
    expect(transferring.kind === 'notReady' && transferring.message).toMatch(/^Transferring \(.+\) to the FTP server$/);

    const gone = await startHarness({ sim: { behaviour: { ftpLagMs: 3_600_000, ftpLagAnswer: 410 } } });
    const [goneRunId = 0] = await completedRunIds(gone);
    gone.clock.set(gone.clock.now() - 23 * 3600 * 1000);
    expect((await gone.client.download({ dpRunId: goneRunId, index: 1, deleteFile: false })).kind).toBe('gone');
  });

  it('a run in error answers 202 with status "error": runFailed, not notReady', async () => {
    const harness = await startHarness({ sim: { behaviour: { outcome: 'error', queuedMs: 0, runningMs: 0 } } });
    const dpRequestId = await requestProduct(harness);
    const run = await harness.client.run(dpRequestId);
    const dpRunId = run.kind === 'runFailed' ? (run.error.dpRunId ?? 0) : 0;
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
    expect(outcome).toMatchObject({ kind: 'runFailed', httpStatus: 202 });
    if (outcome.kind !== 'runFailed') return;
    expect(outcome.error).toBeInstanceOf(OncRunFailedError);
    expect(outcome.message).toMatch(/could not be generated/);
  });

  it('a cancelled run answers 400 without an errors list: cancelled', async () => {
    const harness = await startHarness({ sim: { behaviour: { queuedMs: 60_000 } } });
    const dpRequestId = await requestProduct(harness);
    const run = await harness.client.run(dpRequestId);
    const dpRunId = run.kind === 'notReady' ? (run.value?.[0]?.dpRunId ?? 0) : 0;
    await harness.client.cancel(dpRequestId);
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
    expect(outcome.kind).toBe('cancelled');
    if (outcome.kind !== 'cancelled') return;
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.error).toBeInstanceOf(OncCancelledError);
    expect(outcome.error.message).toContain(`dpRunId ${dpRunId}`);
  });

  it('decodes an RFC 6266 filename* with non-ASCII characters', async () => {
    const harness = await startHarness({
      sim: { behaviour: { filenameQuoting: 'rfc6266', fileNames: ['Température €.csv', "it's (1).csv"] } },
    });
    const [dpRunId = 0] = await completedRunIds(harness);
    const names: Array<string | undefined> = [];
    for (const index of [1, 2]) {
      const outcome = await harness.client.download({ dpRunId, index, deleteFile: false });
      if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
      outcome.value.body.resume();
      names.push(outcome.value.fileName);
    }
    expect(names).toEqual(['Température €.csv', "it's (1).csv"]);
  });

  it('passes hostile server file names through untouched (the caller sanitises)', async () => {
    const names = ['../../etc/passwd', '/abs.csv'];
    const harness = await startHarness({ sim: { behaviour: { fileNames: names } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    for (const [position, name] of names.entries()) {
      const outcome = await harness.client.download({ dpRunId, index: position + 1, deleteFile: false });
      if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
      outcome.value.body.resume();
      expect(outcome.value.fileName).toBe(name);
    }
  });

  it('sends Range: bytes=N- and reports the 206 with its Content-Range', async () => {
    const harness = await startHarness({ sim: { behaviour: { fileSizeBytes: 5000 } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false, rangeStart: 1000 });
    if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
    expect(outcome.value).toMatchObject({
      httpStatus: 206,
      contentLength: 4000,
      partial: { start: 1000, end: 4999, total: 5000 },
    });
    const tail = await readAll(outcome.value.body);
    expect(tail.equals(harness.sim.fileContent(dpRunId, 1).subarray(1000))).toBe(true);
  });

  it('reports a server that ignores Range as a whole-file 200', async () => {
    const harness = await startHarness({ sim: { behaviour: { fileSizeBytes: 5000, rangeSupport: false } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false, rangeStart: 1000 });
    if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
    expect(outcome.value.httpStatus).toBe(200);
    expect(outcome.value.partial).toBeUndefined();
    expect((await readAll(outcome.value.body)).length).toBe(5000);
  });
});

describe('download bodies that break', () => {
  it('a connection reset mid-body errors the stream; classifyNetworkError calls it transient', async () => {
    const harness = await startHarness({ sim: { behaviour: { fileSizeBytes: 200_000 } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    harness.sim.injectFault({ methods: ['download'], action: { kind: 'truncate', afterBytes: 50_000 } });
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: true });
    if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
    expect(outcome.value.contentLength).toBe(200_000);
    const failure = await rejectionOf(readAll(outcome.value.body));
    const transient = classifyNetworkError(failure, 'download', { dpRunId, index: 1 });
    expect(transient?.retryable).toBe(true);
    expect(transient?.message).toContain(`ONC download (dpRunId ${dpRunId}, index 1) failed transiently`);
    expect(inspect(transient, { depth: Infinity })).not.toContain(TOKEN);
    // The server only deletes a file it sent completely, so the retry finds it.
    const retry = await harness.client.download({ dpRunId, index: 1, deleteFile: true });
    if (retry.kind !== 'ok') return expect.fail(`retry answered ${retry.kind}`);
    expect(sha256(await readAll(retry.value.body))).toBe(harness.sim.fileSha256(dpRunId, 1));
  });

  it('a body that goes silent times out after bodyTimeoutMs, as a transient error', async () => {
    const harness = await startHarness({
      client: { bodyTimeoutMs: 200 },
      sim: { behaviour: { fileSizeBytes: 100_000 } },
    });
    const [dpRunId = 0] = await completedRunIds(harness);
    harness.sim.injectFault({ methods: ['download'], action: { kind: 'stall', afterBytes: 10_000 } });
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false });
    if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
    const started = Date.now();
    const failure = await rejectionOf(readAll(outcome.value.body));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(classifyNetworkError(failure, 'download')?.message).toContain('UND_ERR_BODY_TIMEOUT');
  });

  it('the caller’s signal aborts a body mid-stream, and that is not classified as transient', async () => {
    const harness = await startHarness({ sim: { behaviour: { fileSizeBytes: 100_000 } } });
    const [dpRunId = 0] = await completedRunIds(harness);
    harness.sim.injectFault({ methods: ['download'], action: { kind: 'stall', afterBytes: 10_000 } });
    const controller = new AbortController();
    const outcome = await harness.client.download({ dpRunId, index: 1, deleteFile: false, signal: controller.signal });
    if (outcome.kind !== 'ok') return expect.fail(`download answered ${outcome.kind}`);
    const reading = rejectionOf(readAll(outcome.value.body));
    setTimeout(() => controller.abort(), 20);
    const failure = await reading;
    expect(classifyNetworkError(failure, 'download')).toBeUndefined();
  });
});
