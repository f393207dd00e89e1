import { createQueues, getOrderView, type PipelineQueues } from '@onc-orders/jobs';
import { closedPort, uniquePrefix } from '@onc-orders/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneProductSpec } from './support/order-specs.js';
import { Redis } from './support/redis-client.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('POST /orders while Redis is down', () => {
  let api: TestApi;
  let deadRedis: Redis;
  let deadQueues: PipelineQueues;

  beforeEach(async () => {
    api = await startTestApi();
    // Like the runtime's client (BullMQ needs maxRetriesPerRequest null): commands wait for a Redis that never comes.
    deadRedis = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: null });
    deadRedis.on('error', () => {}); // connection refused is the point of this client
    deadQueues = createQueues(deadRedis, { prefix: uniquePrefix('dead'), maxAttempts: 3, services: ['onc'] });
    for (const queue of deadQueues.all()) queue.on('error', () => {});
  });
  afterEach(async () => {
    deadRedis.disconnect();
    await api.close();
  });

  it('answers 201 within the bound, says queueing is pending, and has stored the order', async () => {
    const app = await api.buildVariant({ redis: deadRedis, queues: deadQueues, enqueueTimeoutMs: 500 });
    const started = performance.now();
    const response = await app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() });
    const elapsedMs = performance.now() - started;

    expect(response.statusCode).toBe(201);
    const body = response.json<{ id: string; status: string; queueing: string }>();
    expect(body.queueing).toBe('pending');
    expect(body.status).toBe('queued');
    // The bound plus the time to validate and write; far from the 30 s a Redis outage used to cost.
    expect(elapsedMs).toBeLessThan(3_000);
    expect((await getOrderView(api.database.db, api.sources, body.id))?.productCount).toBe(1);
  });

  it('says queueing is done when Redis took the job', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/orders', payload: oneProductSpec() });

    expect(response.statusCode).toBe(201);
    expect(response.json<{ queueing: string }>().queueing).toBe('done');
  });
});
