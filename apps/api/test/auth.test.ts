import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneProductSpec } from './support/order-specs.js';
import { captureLogs } from './support/log-capture.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const key = 'key-for-auth-tests-9f2c';
const otherKey = 'second-key';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('API keys', () => {
  let api: TestApi;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    logs = captureLogs();
    api = await startTestApi({ apiKeys: [key, otherKey], logger: logs.logger });
  });
  afterEach(async () => {
    await api.close();
  });

  const get = (url: string, authorization?: string) =>
    api.app.inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  it.each([
    '/orders',
    '/orders/some-id',
    '/admin/queues',
    '/admin/queues/api/queues',
    '/docs',
    '/docs/json',
    '/no-such-route',
  ])('refuses %s without a key', async (url) => {
    const response = await get(url);

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'unauthorized' });
  });

  it('refuses a POST without a key, and writes nothing', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() });

    expect(response.statusCode).toBe(401);
    const listed = await get('/orders', `Bearer ${key}`);
    expect(listed.json()).toMatchObject({ total: 0 });
  });

  it.each([
    ['a wrong key', `Bearer not-${key}`],
    ['a prefix of the key', `Bearer ${key.slice(0, -1)}`],
    ['an empty bearer', 'Bearer '],
    ['the key without a scheme', key],
    ['a wrong Basic password', basic('admin', 'nope')],
  ])('refuses %s', async (_name, authorization) => {
    expect((await get('/orders', authorization)).statusCode).toBe(401);
  });

  it('accepts any configured key as a bearer token, on the API, the dashboard and the docs', async () => {
    expect((await get('/orders', `Bearer ${key}`)).statusCode).toBe(200);
    expect((await get('/orders', `bearer ${otherKey}`)).statusCode).toBe(200);
    expect((await get('/admin/queues', `Bearer ${key}`)).statusCode).toBe(200);
    expect((await get('/docs', `Bearer ${key}`)).statusCode).toBe(200);
    expect((await get('/docs/json', `Bearer ${key}`)).statusCode).toBe(200);
  });

  it('asks a browser for the key on the dashboard and docs (Basic), and accepts it as the Basic password', async () => {
    const dashboard = await get('/admin/queues');
    const apiRoute = await get('/orders');

    expect(dashboard.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(apiRoute.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    expect((await get('/admin/queues', basic('anyone', key))).statusCode).toBe(200);
    expect((await get('/docs/json', basic('anyone', key))).statusCode).toBe(200);
  });

  it('leaves /healthz open', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
  });

  it('never writes a key to the log', async () => {
    await get('/orders', `Bearer ${key}`);
    await get('/orders', basic('anyone', otherKey));
    await get('/orders', `Bearer wrong-${key}`);

    expect(logs.text()).toContain('request completed');
    expect(logs.text()).not.toContain(key);
    expect(logs.text()).not.toContain(otherKey);
    expect(logs.text()).not.toContain(Buffer.from(`anyone:${otherKey}`).toString('base64'));
  });
});

describe('without API keys', () => {
  let api: TestApi;

  beforeEach(async () => {
    api = await startTestApi({ apiKeys: [] });
  });
  afterEach(async () => {
    await api.close();
  });

  it('serves every route without a key', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/orders' })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });
});
