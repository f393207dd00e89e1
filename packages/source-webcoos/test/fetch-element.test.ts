import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TransientFailure } from '@onc-orders/jobs';
import { startWebcoosSimulator, type ArchiveElement, type WebcoosSimulator } from '@onc-orders/webcoos-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webcoosSpecSchema, type WebcoosFileMeta } from '../src/index.js';
import { initialWebcoosState } from '../src/webcoos-state.js';
import { serviceForTests, snapshot, type ServiceForTests } from './support/service-for-tests.js';

const spec = webcoosSpecSchema.parse({
  source: 'webcoos',
  asset: 'currituck_sailfish',
  product: 'video-archive',
  dateFrom: '2024-06-01',
  dateTo: '2024-06-02',
});
const product = snapshot(
  spec,
  { asset: 'currituck_sailfish', product: 'video-archive', from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' },
  initialWebcoosState,
);

async function bytesOf(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('fetching a WebCOOS element', () => {
  let sim: WebcoosSimulator;
  let test: ServiceForTests;
  let element: ArchiveElement;
  let meta: WebcoosFileMeta;
  beforeAll(async () => {
    sim = await startWebcoosSimulator({ videoBytes: 40_000 });
    test = await serviceForTests(sim);
    const [first] = sim.elements('currituck_sailfish-video-archive-s3', '2024-06-01', '2024-06-02');
    if (!first) throw new Error('no element');
    element = first;
    meta = {
      uuid: element.uuid,
      url: element.url,
      name: element.name,
      starting: element.starting,
      size: element.sizeBytes,
    };
  });
  afterAll(async () => {
    await test.close();
    await sim.close();
  });

  const file = (attempts = 0) => ({ id: 1, ref: meta.uuid, meta, attempts });

  it('gets the whole file without the token, named after the element, in the asset folder', async () => {
    sim.clearCalls();
    const outcome = await test.source.fetch(file(), product, { signal: undefined });
    if (outcome.kind !== 'body') throw new Error(`got ${outcome.kind}`);
    expect(outcome).toMatchObject({
      httpStatus: 200,
      contentLength: 40_000,
      fileName: element.name,
      folder: 'currituck_sailfish',
    });
    const bytes = await bytesOf(outcome.body);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(element.sha256);
    expect(sim.calls('media')).toEqual([expect.objectContaining({ authorizationSent: false, range: null })]);
    expect(sim.calls('api')).toEqual([]);
  });

  it('resumes from an offset with Range', async () => {
    const outcome = await test.source.fetch(file(1), product, { rangeStart: 30_000, signal: undefined });
    if (outcome.kind !== 'body') throw new Error(`got ${outcome.kind}`);
    expect(outcome).toMatchObject({
      httpStatus: 206,
      contentLength: 10_000,
      partial: { start: 30_000, total: 40_000 },
    });
    const whole = sim.mediaContent(element.url);
    expect((await bytesOf(outcome.body)).equals(whole?.subarray(30_000) ?? Buffer.alloc(0))).toBe(true);
  });

  it('says when the range is past the end, when the object is missing, and when the host is busy', async () => {
    expect(await test.source.fetch(file(1), product, { rangeStart: 50_000, signal: undefined })).toEqual({
      kind: 'rangeRefused',
    });
    const missing = { ...meta, url: `${sim.mediaUrl}/webcoos/nothing/here.mp4` };
    const gone = await test.source.fetch({ ...file(), meta: missing }, product, { signal: undefined });
    expect(gone.kind).toBe('gone');
    expect(gone.kind === 'gone' ? gone.reason : '').toContain('404');
    sim.injectFault({ host: 'media', action: { kind: 'status', status: 503, headers: { 'Retry-After': '3' } } });
    const busy = await test.source.fetch(file(), product, { signal: undefined }).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(TransientFailure);
    expect((busy as TransientFailure).retryAfterMs).toBe(3000);
  });
});
