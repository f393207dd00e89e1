import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBCOOS_TOKEN } from '../src/index.js';
import { SMALL, STILLS, api, elementsQuery, getPage, sleep, startSim } from './helpers.js';

describe('API authentication (Authorization: Token <token>)', () => {
  it('accepts DEFAULT_WEBCOOS_TOKEN by default', async () => {
    const sim = await startSim(SMALL);
    expect(sim.token).toBe(DEFAULT_WEBCOOS_TOKEN);
    expect((await api(sim, '/assets/')).status).toBe(200);
    expect((await api(sim, '/assets/', { authorization: `token ${DEFAULT_WEBCOOS_TOKEN}` })).status).toBe(200);
  });

  it('answers 401 without credentials (also for another scheme), with WWW-Authenticate: Token', async () => {
    const sim = await startSim(SMALL);
    for (const r of [
      await api(sim, '/assets/', { token: null }),
      await api(sim, '/assets/', { authorization: `Bearer ${DEFAULT_WEBCOOS_TOKEN}` }),
      await api(sim, `/services/${STILLS}/inventory/`, { token: null }),
      await api(sim, elementsQuery({ service: STILLS }), { token: null }),
    ]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(r.headers.get('www-authenticate')).toBe('Token');
    }
  });

  it('answers 403 for a wrong or malformed token', async () => {
    const sim = await startSim({ ...SMALL, tokens: ['tok-a', 'tok-b'] });
    expect((await api(sim, '/assets/', { token: 'tok-b' })).status).toBe(200);
    const wrong = await api(sim, '/assets/', { token: DEFAULT_WEBCOOS_TOKEN });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ detail: 'Invalid token.' });
    expect((await api(sim, '/assets/', { authorization: 'Token' })).json).toEqual({
      detail: 'Invalid token header. No credentials provided.',
    });
    const spaced = await api(sim, '/assets/', { authorization: 'Token tok-a extra' });
    expect(spaced.status).toBe(403);
    expect(spaced.json).toEqual({ detail: 'Invalid token header. Token string should not contain spaces.' });
  });

  it('routes before it authenticates: an unknown path is a 404 even without a token', async () => {
    const sim = await startSim(SMALL);
    const r = await api(sim, '/no-such-endpoint/', { token: null });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ detail: 'Not found.' });
    expect((await api(sim, '/assets/', { method: 'POST' })).status).toBe(405);
  });

  it('never records the Authorization value, only whether one was sent', async () => {
    const sim = await startSim({ ...SMALL, tokens: ['very-secret-token'] });
    await api(sim, '/assets/', { token: 'very-secret-token' });
    await api(sim, '/assets/', { token: null });
    await sleep(20);
    const calls = sim.calls('api');
    expect(calls.map((c) => [c.status, c.authorizationSent])).toEqual([
      [200, true],
      [401, false],
    ]);
    expect(JSON.stringify(sim.calls())).not.toContain('very-secret-token');
  });
});

describe('media host authentication', () => {
  it('serves files with no Authorization header at all', async () => {
    const sim = await startSim(SMALL);
    const first = (await getPage(sim, elementsQuery({ service: STILLS, ordering: 'starting' }))).results[0];
    const res = await fetch(first?.data.properties.url ?? '');
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(2_000);
    await sleep(20);
    expect(sim.calls('media')).toEqual([expect.objectContaining({ status: 200, authorizationSent: false })]);
  });

  it('refuses a request carrying the API token as S3 does (400), and records that it was sent', async () => {
    const sim = await startSim(SMALL);
    const url = sim.elements(STILLS, undefined, undefined, { sha256: false })[0]?.url ?? '';
    const res = await fetch(url, { headers: { Authorization: `Token ${sim.token}` } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(await res.text()).toContain('<Code>InvalidArgument</Code><Message>Unsupported Authorization Type</Message>');
    await sleep(20);
    expect(sim.calls('media')[0]).toMatchObject({ authorizationSent: true, status: 400 });
    expect(JSON.stringify(sim.calls())).not.toContain(sim.token);

    sim.configure({ mediaAuthorization: 'ignore' });
    const ignored = await fetch(url, { headers: { Authorization: `Token ${sim.token}` } });
    expect(ignored.status).toBe(200);
    await ignored.arrayBuffer();
    await sleep(20);
    expect(sim.calls('media')[1]).toMatchObject({ authorizationSent: true, status: 200 });
  });
});
