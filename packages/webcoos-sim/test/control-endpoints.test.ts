import { describe, expect, it } from 'vitest';
import type { ArchiveElement, RecordedCall, ServiceInfo } from '../src/index.js';
import { SMALL, STILLS, api, elementsQuery, followPages, readAll, startSim } from './helpers.js';

describe('/_sim control endpoints', () => {
  it('drive a simulator over HTTP: services, ground truth, insertion, faults, config, calls, stats', async () => {
    const sim = await startSim(SMALL);
    const control = (path: string, init?: RequestInit) => fetch(`${sim.controlUrl}/${path}`, init);
    const post = (path: string, body: unknown) => control(path, { method: 'POST', body: JSON.stringify(body) });

    const services = (await (await control('services')).json()) as ServiceInfo[];
    expect(services.find((s) => s.slug === STILLS)).toMatchObject({ type: 'S3Service', product: 'one-minute-stills' });
    expect(services.filter((s) => s.type === 'StreamingService')).toHaveLength(2);

    const window = 'from=2024-06-01T16:20:00Z&to=2024-06-01T16:40:00Z';
    const truth = (await (await control(`elements?service=${STILLS}&${window}`)).json()) as ArchiveElement[];
    expect(truth).toHaveLength(20);
    expect(truth.map((e) => e.uuid)).toEqual(
      sim.elements(STILLS, '2024-06-01T16:20:00Z', '2024-06-01T16:40:00Z').map((e) => e.uuid),
    );
    expect(truth[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const bare = (await (await control(`elements?service=${STILLS}&sha256=false`)).json()) as ArchiveElement[];
    expect(bare[0]?.sha256).toBeNull();
    const sha = (await (await control(`media-sha256?url=${encodeURIComponent(bare[0]?.url ?? '')}`)).json()) as {
      sha256: string;
    };
    expect(sha.sha256).toBe(sim.mediaSha256(bare[0]?.url ?? ''));
    expect((await control(`media-sha256?url=${encodeURIComponent(`${sim.mediaUrl}/nothing`)}`)).status).toBe(404);

    const inserted = await post('elements', { service: STILLS, starting: ['2024-06-01T16:00:30Z'] });
    expect(inserted.status).toBe(201);
    expect(((await inserted.json()) as ArchiveElement[])[0]).toMatchObject({
      inserted: true,
      starting: '2024-06-01T16:00:30Z',
    });
    expect((await post('elements', { service: STILLS, starting: ['2024-06-01T16:00:30Z'] })).status).toBe(400);

    const rule = await post('insert-after-page', { service: STILLS, afterPage: 1, count: 2, times: 'Infinity' });
    expect(await rule.json()).toEqual({ remaining: 'Infinity' });
    await followPages(sim, elementsQuery({ service: STILLS, page_size: 10 }));
    expect(sim.elements(STILLS, undefined, undefined, { sha256: false })).toHaveLength(63);
    expect((await control('insert-after-page', { method: 'DELETE' })).status).toBe(204);
    await followPages(sim, elementsQuery({ service: STILLS, page_size: 10 }));
    expect(sim.elements(STILLS, undefined, undefined, { sha256: false })).toHaveLength(63);

    const fault = await post('faults', {
      host: 'media',
      pathPattern: '\\.jpg$',
      times: 'Infinity',
      action: { kind: 'status', status: 500 },
    });
    expect(fault.status).toBe(201);
    expect((await fetch(bare[0]?.url ?? '')).status).toBe(500);
    expect((await control('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await readAll(await fetch(bare[0]?.url ?? ''))).length).toBe(2_000);

    expect((await post('config', { rangeSupport: false, latencyMs: 0 })).status).toBe(204);
    expect((await fetch(bare[0]?.url ?? '', { headers: { Range: 'bytes=5-' } })).status).toBe(200);
    expect((await post('config', { rateLimit: { perSecond: 1 } })).status).toBe(204);
    await api(sim, '/assets/');
    expect((await api(sim, '/assets/')).status).toBe(429);
    expect((await post('config', { rateLimit: null })).status).toBe(204);

    const media = (await (await control('calls?host=media')).json()) as RecordedCall[];
    expect(media.map((c) => c.status)).toEqual([500, 200, 200]);
    expect(media.every((c) => c.host === 'media' && !c.authorizationSent)).toBe(true);
    const stats = (await (await control('stats')).json()) as { api: { calls: number }; media: { calls: number } };
    expect(stats.media.calls).toBe(3);
    expect(stats.api.calls).toBeGreaterThan(5);
    expect((await control('calls', { method: 'DELETE' })).status).toBe(204);
    expect(sim.calls()).toEqual([]);
  });

  it('refuses malformed input and unknown endpoints, and keeps serving', async () => {
    const sim = await startSim(SMALL);
    const post = (path: string, body: string) => fetch(`${sim.controlUrl}/${path}`, { method: 'POST', body });
    expect((await post('config', 'not json')).status).toBe(400);
    expect((await post('config', JSON.stringify({ latencyMs: -1 }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ mediaAuthorization: 'maybe' }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ nonsense: 1 }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ action: { kind: 'explode' } }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ host: 'cdn', action: { kind: 'reset' } }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ pathPattern: '(', action: { kind: 'reset' } }))).status).toBe(400);
    expect((await post('insert-after-page', JSON.stringify({ afterPage: 0 }))).status).toBe(400);
    expect((await post('elements', JSON.stringify({ service: 'nowhere', starting: [] }))).status).toBe(400);
    expect((await fetch(`${sim.controlUrl}/elements?service=nowhere`)).status).toBe(400);
    expect((await fetch(`${sim.controlUrl}/calls?host=cdn`)).status).toBe(400);
    expect((await fetch(`${sim.controlUrl}/nothing`)).status).toBe(404);
    expect((await api(sim, '/assets/')).status).toBe(200);
    expect(sim.calls().map((c) => c.path)).toEqual(['/webcoos/api/v1/assets/']); // control calls are not recorded
  });
});
