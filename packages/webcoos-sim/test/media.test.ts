import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SMALL, STILLS, VIDEOS, readAll, sleep, startSim } from './helpers.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('media host content', () => {
  it('serves each element with Content-Length, Content-Type and bytes whose sha256 is the ground truth', async () => {
    const sim = await startSim({ ...SMALL, stillBytes: 300_000, videoBytes: 1_500_000 });
    for (const service of [STILLS, VIDEOS]) {
      const e = sim.elements(service)[0];
      if (!e) throw new Error('no element');
      const res = await fetch(e.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(e.sizeBytes));
      expect(res.headers.get('content-type')).toBe(e.mimeType);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
      const body = await readAll(res);
      expect(body.length).toBe(e.sizeBytes);
      expect(sha256(body)).toBe(e.sha256);
      expect(sim.mediaSha256(e.url)).toBe(e.sha256);
      if (e.mimeType === 'image/jpeg') {
        expect(body.subarray(0, 3).toString('hex')).toBe('ffd8ff');
        expect(body.subarray(-2).toString('hex')).toBe('ffd9');
      } else expect(body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    }
  });

  it('is deterministic across simulators and differs between elements', async () => {
    const a = await startSim(SMALL);
    const b = await startSim(SMALL);
    const [ea1, ea2] = a.elements(STILLS);
    const [eb1] = b.elements(STILLS);
    expect(eb1?.uuid).toBe(ea1?.uuid);
    expect(eb1?.sha256).toBe(ea1?.sha256);
    expect(ea2?.sha256).not.toBe(ea1?.sha256);
    const fromA = await readAll(await fetch(ea1?.url ?? ''));
    const fromB = await readAll(await fetch(eb1?.url ?? ''));
    expect(fromA.equals(fromB)).toBe(true);
    expect(a.mediaContent(ea1?.url ?? '')?.equals(fromA)).toBe(true);
  });

  it('streams a default-sized (~60 MB) video block by block', async () => {
    const sim = await startSim({ archive: { from: '2024-06-01', to: '2024-06-02' }, stillsPerDay: 10 });
    const e = sim.elements(VIDEOS, undefined, undefined, { sha256: false })[0];
    expect(e?.sizeBytes).toBeGreaterThan(55_000_000);
    const res = await fetch(e?.url ?? '');
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    expect(bytes).toBe(e?.sizeBytes);
    expect(hash.digest('hex')).toBe(sim.mediaSha256(e?.url ?? ''));
  });

  it('serves thumbnails, answers unknown keys with S3 404 XML, and accepts %3A for the colons', async () => {
    const sim = await startSim(SMALL);
    const e = sim.elements(STILLS, undefined, undefined, { sha256: false })[0];
    const encoded = (e?.url ?? '')
      .replaceAll(':', '%3A')
      .replace('http%3A', 'http:')
      .replace(/(127\.0\.0\.1)%3A/, '$1:');
    expect(encoded).toContain('%3A');
    expect(sha256(await readAll(await fetch(encoded)))).toBe(sim.mediaSha256(e?.url ?? ''));
    const thumb = await fetch((e?.url ?? '').replace('/elements/', '/thumbnails/') + '.rect_medium.jpg');
    expect(thumb.status).toBe(200);
    expect((await readAll(thumb)).length).toBe(8192);
    const missing = await fetch(`${sim.mediaUrl}/webcoos/sources/nothing-here.jpg`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<Code>NoSuchKey</Code>');
    const wrongDay = (e?.url ?? '').replace('/2024/06/01/', '/2024/06/02/');
    expect((await fetch(wrongDay)).status).toBe(404);
    expect(sim.mediaSha256(wrongDay)).toBeNull();
    expect((await fetch(e?.url ?? '', { method: 'DELETE' })).status).toBe(405);
  });
});

describe('media host ranges', () => {
  it('answers Range with 206 and the exact bytes, suffix ranges too, and 416 past the end', async () => {
    const sim = await startSim({ ...SMALL, stillBytes: 200_000 });
    const e = sim.elements(STILLS)[0];
    const whole = sim.mediaContent(e?.url ?? '') ?? Buffer.alloc(0);
    const get = (range: string, extra: Record<string, string> = {}) =>
      fetch(e?.url ?? '', { headers: { Range: range, ...extra } });
    const part = await get('bytes=70000-');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 70000-199999/200000');
    expect(part.headers.get('content-length')).toBe('130000');
    expect((await readAll(part)).equals(whole.subarray(70_000))).toBe(true);
    const middle = await get('bytes=10-19');
    expect((await readAll(middle)).equals(whole.subarray(10, 20))).toBe(true);
    expect((await readAll(await get('bytes=-5'))).equals(whole.subarray(-5))).toBe(true);
    const past = await get('bytes=200000-');
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */200000');
    expect((await get('bytes=0-1,5-6')).status).toBe(200);
    const etag = (await fetch(e?.url ?? '', { method: 'HEAD' })).headers.get('etag') ?? '';
    expect((await get('bytes=100-', { 'If-Range': etag })).status).toBe(206);
    expect((await get('bytes=100-', { 'If-Range': '"another-version"' })).status).toBe(200);
  });

  it('ignores Range when range support is off', async () => {
    const sim = await startSim({ ...SMALL, rangeSupport: false });
    const e = sim.elements(STILLS)[0];
    const res = await fetch(e?.url ?? '', { headers: { Range: 'bytes=1000-' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBeNull();
    expect(sha256(await readAll(res))).toBe(e?.sha256);
    sim.configure({ rangeSupport: true });
    expect((await fetch(e?.url ?? '', { headers: { Range: 'bytes=1000-' } })).status).toBe(206);
  });
});

describe('media host faults and observation', () => {
  it('resets a download mid-body, after which a resume completes the file', async () => {
    const sim = await startSim({ ...SMALL, stillBytes: 300_000 });
    const e = sim.elements(STILLS)[0];
    sim.injectFault({ host: 'media', path: e?.name ?? '', action: { kind: 'resetMidBody', afterBytes: 100_000 } });
    const res = await fetch(e?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('300000');
    const got: Uint8Array[] = [];
    const read = (async () => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) got.push(chunk);
    })();
    await expect(read).rejects.toThrow();
    const first = Buffer.concat(got);
    expect(first.length).toBe(100_000);
    await sleep(20);
    expect(sim.calls('media')[0]).toMatchObject({ fault: 'resetMidBody', completed: false, bodyBytes: 100_000 });
    const rest = await readAll(await fetch(e?.url ?? '', { headers: { Range: `bytes=${first.length}-` } }));
    expect(sha256(Buffer.concat([first, rest]))).toBe(e?.sha256);
  });

  it('counts concurrent downloads and stays within a speed limit', async () => {
    const sim = await startSim({ ...SMALL, stillBytes: 20_000, mediaBytesPerSecond: 100_000 });
    const urls = sim
      .elements(STILLS, undefined, undefined, { sha256: false })
      .slice(0, 3)
      .map((e) => e.url);
    const started = Date.now();
    await Promise.all(urls.map(async (u) => readAll(await fetch(u))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140); // 20 kB at 100 kB/s each, the last slice unpaced
    await sleep(20);
    const stats = sim.stats();
    expect(stats.media).toMatchObject({ calls: 3, inFlight: 0, peakInFlight: 3, bodyBytes: 60_000 });
    expect(stats.media.peakCallsPerSecond).toBe(3);
    expect(stats.api.calls).toBe(0);
    sim.clearCalls();
    expect(sim.stats().media).toMatchObject({ calls: 0, peakInFlight: 0 });
  });
});
