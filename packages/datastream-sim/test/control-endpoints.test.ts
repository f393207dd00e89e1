import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../src/index.js';
import { get, pullAll, startSim } from './helpers.js';

describe('/_sim control endpoints', () => {
  it('drive a simulator over HTTP: config, faults, calls, stats, ground truth', async () => {
    const sim = await startSim();
    const control = (path: string, init?: RequestInit) => fetch(`${sim.origin}/_sim/${path}`, init);
    const post = (path: string, body: unknown) =>
      control(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

    const configured = await post('config', { nextLinkIn: 'header', tooLargeAboveTop: 500 });
    expect(configured.status).toBe(200);
    expect(await configured.json()).toMatchObject({ nextLinkIn: 'header', tooLargeAboveTop: 500, rateLimit: false });
    expect((await get(sim, 'Observations', { $top: 501 })).status).toBe(413);
    expect(await (await control('config')).json()).toMatchObject({ tooLargeAboveTop: 500 });

    const fault = await post('faults', {
      resources: ['Locations'],
      match: { $top: '3' },
      times: 'Infinity',
      action: { kind: 'status', status: 503, retryAfter: 2 },
    });
    expect(fault.status).toBe(201);
    expect(await fault.json()).toEqual({ remaining: 'Infinity' });
    const refused = await get(sim, 'Locations', { $top: 3 });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect((await get(sim, 'Locations', { $top: 4 })).status).toBe(200);
    expect(((await (await control('faults')).json()) as unknown[]).length).toBe(1);
    expect((await control('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await get(sim, 'Locations', { $top: 3 })).status).toBe(200);

    const calls = (await (await control('calls')).json()) as RecordedCall[];
    expect(calls.map((c) => [c.resource, c.status])).toEqual([
      ['Observations', 413],
      ['Locations', 503],
      ['Locations', 200],
      ['Locations', 200],
    ]);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/v1/odata/v4/Observations',
      query: { $top: '501' },
      rawQuery: '%24top=501',
      apiKeySent: true,
    });
    expect(await (await control('stats')).json()).toMatchObject({
      calls: 4,
      peakInFlight: 1,
      byStatus: { '200': 2, '413': 1, '503': 1 },
    });
    expect((await control('calls', { method: 'DELETE' })).status).toBe(204);
    expect(sim.calls()).toEqual([]);

    const filter = "CharacteristicName eq 'pH'";
    const truth = (await (
      await control(`rows/Observations?${new URLSearchParams({ filter, select: 'Id,ResultValue' }).toString()}`)
    ).json()) as unknown[];
    expect(truth).toEqual(sim.rows('Observations', { filter, select: ['Id', 'ResultValue'] }));
    expect(
      (await pullAll(sim, 'Observations', { $filter: filter, $select: 'Id,ResultValue', $top: 100 })).rows,
    ).toEqual(truth);
    expect(await (await control(`count/Observations?${new URLSearchParams({ filter }).toString()}`)).json()).toEqual({
      count: truth.length,
    });
    expect(await (await control(`location-ids?${new URLSearchParams({ filter }).toString()}`)).json()).toEqual(
      sim.locationIds(filter),
    );
    const [doi] = sim.dois();
    expect(await (await control(`metadata/${doi ?? ''}`)).json()).toEqual(sim.metadata(doi ?? ''));
    expect(await (await control('summary')).json()).toEqual(sim.summary());
  });

  it('refuses malformed input and unknown endpoints, and keeps serving', async () => {
    const sim = await startSim();
    const post = (path: string, body: string) => fetch(`${sim.origin}/_sim/${path}`, { method: 'POST', body });
    expect((await post('config', 'not json')).status).toBe(400);
    expect((await post('config', JSON.stringify({ timeoutStatus: 500 }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ colour: 'red' }))).status).toBe(400);
    expect((await post('config', JSON.stringify({ rateLimit: { maxInFlight: 0 } }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ action: { kind: 'explode' } }))).status).toBe(400);
    expect((await post('faults', JSON.stringify({ resources: ['Things'], action: { kind: 'reset' } }))).status).toBe(
      400,
    );
    expect((await fetch(`${sim.origin}/_sim/nothing`)).status).toBe(404);
    expect((await fetch(`${sim.origin}/_sim/rows/Things`)).status).toBe(404);
    expect((await fetch(`${sim.origin}/_sim/rows/Observations?filter=Colour%20eq%201`)).status).toBe(400);
    expect((await fetch(`${sim.origin}/_sim/metadata/10.25976/none-zz00`)).status).toBe(404);
    expect(sim.settings().timeoutStatus).toBe(504);
    expect((await get(sim, 'Metadata')).status).toBe(200);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const sim = await startSim();
    expect((await get(sim, 'Datasets')).status).toBe(404);
    expect(
      (await fetch(`${sim.origin}/v1/odata/v4/Observations/`, { headers: { 'x-api-key': sim.apiKey } })).status,
    ).toBe(404);
    const post = await fetch(`${sim.url}/Observations`, { method: 'POST', headers: { 'x-api-key': sim.apiKey } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(sim.calls().map((c) => c.refusal)).toEqual(['not-found', 'not-found', 'method']);
  });
});
