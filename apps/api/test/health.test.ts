import { openDatabase } from '@onc-orders/jobs';
import { closedPort } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from './support/redis-client.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('GET /healthz', () => {
  let api: TestApi;
  const unreachableClients: Redis[] = [];

  beforeEach(async () => {
    api = await startTestApi({ apiKeys: ['health-test-key'] });
  });
  afterEach(async () => {
    for (const client of unreachableClients.splice(0)) client.disconnect();
    await api.close();
  });

  async function unreachableRedis(options: { maxRetriesPerRequest: number | null }): Promise<Redis> {
    const client = new Redis(`redis://127.0.0.1:${await closedPort()}`, { lazyConnect: true, ...options });
    client.on('error', () => {}); // connection refused is the point of this client
    unreachableClients.push(client);
    return client;
  }

  it('answers 200 when the database and Redis answer, without an API key', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: api.database.dialect,
      checks: { database: 'ok', redis: 'ok' },
      sources: {
        enabled: ['onc-data-products', 'onc-archive-files'],
        disabled: [
          { name: 'webcoos', missing: 'WEBCOOS_TOKEN (or WEBCOOS_BASE_URL pointing at a webcoos-sim)' },
          { name: 'datastream', missing: expect.stringContaining('DATASTREAM_API_KEY') as string },
        ],
      },
    });
  });

  it('answers 503 naming Redis when Redis refuses connections', async () => {
    const app = await api.buildVariant({ redis: await unreachableRedis({ maxRetriesPerRequest: 1 }) });

    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', redis: 'failed' } });
  });

  it('answers 503 in time when the Redis client waits for a connection forever, as the runtime one does', async () => {
    const redis = await unreachableRedis({ maxRetriesPerRequest: null });
    const app = await api.buildVariant({ redis, healthCheckTimeoutMs: 300 });

    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ checks: { redis: 'failed' } });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('answers 503 naming the database when it cannot be queried', async () => {
    const closedDatabase = openDatabase(':memory:');
    closedDatabase.close();
    const app = await api.buildVariant({ database: closedDatabase });

    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable', checks: { database: 'failed', redis: 'ok' } });
  });
});
