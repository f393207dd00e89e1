import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ManualClock, type OncSimulatorOptions } from '../src/index.js';
import { ARCHIVE_NOW, api, startSim } from './helpers.js';

const WAV = 'ICLISTENHF1234_20240601T000000.000Z.wav';
const BPR = 'BPR-Folger-59_20191123T000000.000Z.txt';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const simAt = (options: OncSimulatorOptions = {}) => startSim({ clock: new ManualClock(ARCHIVE_NOW), ...options });
const download = (sim: Awaited<ReturnType<typeof simAt>>, filename: string, headers?: Record<string, string>) =>
  api(sim, 'archivefile/download', { filename }, headers ? { headers } : {});

describe('archive downloads', () => {
  it('serves the file with its length, name and type, on both URL forms, as the ground truth says', async () => {
    const sim = await simAt();
    const [truth] = sim.archiveFiles({
      deviceCode: 'ICLISTENHF1234',
      dateFrom: '2024-06-01',
      dateTo: 'PT5M',
      fileExtension: 'wav',
    });
    const r = await download(sim, WAV);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBe(String(truth?.sizeBytes));
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename=${WAV}`);
    expect(r.headers.get('content-type')).toBe('audio/wav');
    expect(sha256(r.body)).toBe(truth?.sha256);
    expect(sim.archiveFileSha256(WAV)).toBe(truth?.sha256);
    expect(r.body.equals(sim.archiveFileContent(WAV))).toBe(true);
    const legacy = await api(sim, 'archivefiles', { method: 'getFile', filename: WAV });
    expect(legacy.body.equals(r.body)).toBe(true);
    expect(sim.calls().map((c) => [c.method, c.urlForm, c.bodyBytes])).toEqual([
      ['archivefile/download', 'path', r.body.length],
      ['archivefile/download', 'query', r.body.length],
    ]);
    // Same name, same bytes, whatever the simulator.
    const other = await simAt();
    expect((await download(other, WAV)).body.equals(r.body)).toBe(true);
    expect(() => sim.archiveFileSha256('nope.wav')).toThrow(RangeError);
  });

  it('answers HEAD with the headers only', async () => {
    const sim = await simAt();
    const head = await api(sim, 'archivefile/download', { filename: WAV }, { httpMethod: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers.get('content-length'))).toBe(sim.archiveFileContent(WAV).length);
  });

  it('honours Range by default, and sends the whole file when Range is off (archive option or behaviour)', async () => {
    const sim = await simAt();
    const whole = sim.archiveFileContent(WAV);
    const part = await download(sim, WAV, { Range: 'bytes=1000-' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-${whole.length - 1}/${whole.length}`);
    expect(part.headers.get('accept-ranges')).toBe('bytes');
    expect(part.body.equals(whole.subarray(1000))).toBe(true);
    expect((await download(sim, WAV, { Range: `bytes=${whole.length}-` })).status).toBe(416);

    sim.configure({ archive: { rangeSupport: false } });
    const off = await download(sim, WAV, { Range: 'bytes=1000-' });
    expect(off.status).toBe(200);
    expect(off.headers.get('accept-ranges')).toBeNull();
    expect(off.body.equals(whole)).toBe(true);

    const viaBehaviour = await simAt({ behaviour: { rangeSupport: false } });
    expect((await download(viaBehaviour, WAV, { Range: 'bytes=10-' })).status).toBe(200);
    viaBehaviour.configure({ archive: { rangeSupport: true } });
    expect((await download(viaBehaviour, WAV, { Range: 'bytes=10-' })).status).toBe(206);
  });

  it('breaks a download mid-body on an injected fault, then serves it whole; the resumed tail completes it', async () => {
    const sim = await simAt();
    const whole = sim.archiveFileContent(WAV);
    sim.injectFault({ methods: ['archivefile/download'], action: { kind: 'truncate', afterBytes: 40_000 } });
    const res = await fetch(`${sim.url}api/archivefile/download?token=${sim.token}&filename=${WAV}`);
    expect(res.headers.get('content-length')).toBe(String(whole.length));
    const parts: Buffer[] = [];
    const read = (async () => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk));
    })();
    await expect(read).rejects.toThrow();
    const got = Buffer.concat(parts);
    expect(got.length).toBe(40_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(sim.calls().at(-1)).toMatchObject({ method: 'archivefile/download', fault: 'truncate', completed: false });
    const rest = await download(sim, WAV, { Range: `bytes=${got.length}-` });
    expect(Buffer.concat([got, rest.body]).equals(whole)).toBe(true);
  });

  it('lets chaos break archive downloads, and leaves delivery-only faults to dataProductDelivery', async () => {
    const sim = await simAt({ chaos: { seed: 5, resetMidBody: 1 } });
    await expect(download(sim, WAV)).rejects.toThrow();
    sim.configure({ chaos: null });
    const ftp = sim.injectFault({ action: { kind: 'notReadyAfterComplete' } });
    expect((await download(sim, WAV)).status).toBe(200);
    expect(ftp.remaining()).toBe(1); // not consumed: a 202 "Transferring" is no archive answer
  });

  it('answers faults and delays on listings too', async () => {
    const sim = await simAt();
    sim.injectFault({
      methods: ['archivefile/device'],
      match: { deviceCode: 'ICLISTENHF1234' },
      action: { kind: 'status', status: 503, headers: { 'Retry-After': '3' } },
    });
    const refused = await api(sim, 'archivefile/device', { deviceCode: 'ICLISTENHF1234' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect((await api(sim, 'archivefile/device', { deviceCode: 'ICLISTENHF1234', dateFrom: '-PT2H' })).status).toBe(
      200,
    );
    // Bad parameters are refused before faults apply, as for dataProductDelivery.
    sim.injectFault({ methods: ['archivefile/device'], action: { kind: 'status', status: 500 } });
    expect((await api(sim, 'archivefile/device', { deviceCode: 'NOPE' })).status).toBe(400);
    expect((await api(sim, 'archivefile/device', { deviceCode: 'ICLISTENHF1234', dateFrom: '-PT2H' })).status).toBe(
      500,
    );
  });

  it('serves gz-archived files decompressed by default, or as the gzip stream the archive stores', async () => {
    const sim = await simAt();
    const listed = (
      await api(sim, 'archivefile/device', {
        deviceCode: 'BPR-Folger-59',
        dateFrom: '2019-11-23',
        dateTo: 'P1D',
        returnOptions: 'all',
      })
    ).json as { files: { fileSize: number; uncompressedFileSize: number }[] };
    const row = listed.files[0];
    const plain = await download(sim, BPR);
    expect(plain.headers.get('content-type')).toBe('text/plain');
    expect(plain.body.length).toBe(row?.uncompressedFileSize);

    sim.configure({ archive: { gzipDownload: 'stored' } });
    const stored = await download(sim, BPR);
    expect(stored.headers.get('content-type')).toBe('application/gzip');
    expect(stored.body.length).toBe(row?.fileSize);
    expect(gunzipSync(stored.body).equals(plain.body)).toBe(true);
    expect(sim.archiveFileSha256(BPR)).toBe(sha256(stored.body));
    const tail = await download(sim, BPR, { Range: 'bytes=100000-' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(stored.body.subarray(100_000))).toBe(true);
  });

  it('streams a large file without holding it: a 3 GiB file answers HEAD and its last bytes at once', async () => {
    const sim = await simAt({ archive: { fileSizeBytes: 3 * 1024 ** 3 } });
    const before = process.memoryUsage().rss;
    const head = await api(sim, 'archivefile/download', { filename: WAV }, { httpMethod: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(3 * 1024 ** 3));
    const tail = await download(sim, WAV, { Range: 'bytes=-100' });
    expect(tail.status).toBe(206);
    expect(tail.body.length).toBe(100);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 ** 2);
  });
});
