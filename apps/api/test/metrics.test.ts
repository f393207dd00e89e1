import { addStateMetrics, createQueues, PipelineMetrics } from '@onc-orders/jobs';
import { startOncSimulator, type OncSimulator } from '@onc-orders/onc-sim';
import { closedPort, ctdAtBarkleyCanyon, parsePrometheusText } from '@onc-orders/testkit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiServer } from '../src/api-server.js';
import { sixProductSpec } from './support/order-specs.js';
import { Redis } from './support/redis-client.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const apiKey = 'metrics-test-key';
const auth = { authorization: `Bearer ${apiKey}` };

describe('GET /metrics', () => {
  let api: TestApi | undefined;
  let sim: OncSimulator | undefined;
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await api?.close();
    await sim?.close();
    api = undefined;
    sim = undefined;
  });

  async function start(options: { exportStateMetrics?: boolean } = {}): Promise<TestApi> {
    sim = await startOncSimulator();
    api = await startTestApi({
      apiKeys: [apiKey],
      sourceEnv: { ONC_BASE_URL: sim.url, ONC_TOKEN: sim.token },
      ...options,
    });
    return api;
  }

  const listening = new WeakMap<ApiServer, string>();

  /** Scrapes `app` over real HTTP, as Prometheus does. */
  async function scrape(app: ApiServer, headers: Record<string, string> = auth) {
    const url = listening.get(app) ?? (await app.listen({ host: '127.0.0.1', port: 0 }));
    listening.set(app, url);
    const response = await fetch(`${url}/metrics`, { headers });
    return { response, text: await response.text() };
  }

  it("exports the fleet's state: orders, products and files by status, and the queues' depths", async () => {
    const target = await start();
    const submitted = await target.app.inject({
      method: 'POST',
      url: '/orders',
      headers: auth,
      payload: sixProductSpec(),
    });
    expect(submitted.statusCode).toBe(201);
    const orderId = submitted.json<{ id: string }>().id;

    const { response, text } = await scrape(target.app);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const metrics = parsePrometheusText(text);
    expect(metrics.types.get('onc_orders_orders')).toBe('gauge');
    expect(metrics.sum('onc_orders_orders', { status: 'queued' })).toBe(1);
    // Every status is there, at zero when nothing has it.
    expect(metrics.find('onc_orders_orders').map((sample) => sample.labels['status'])).toEqual(
      expect.arrayContaining(['queued', 'running', 'completed', 'failed', 'cancelled']),
    );
    expect(metrics.sum('onc_orders_orders')).toBe(1);
    expect(metrics.sum('onc_orders_products', { status: 'pending' })).toBe(6);
    expect(metrics.sum('onc_orders_files')).toBe(0);
    expect(metrics.find('onc_orders_files', { status: 'complete' })).toHaveLength(1);
    // The order's first job waits behind work already started: BullMQ keeps it with the prioritized jobs.
    expect(metrics.sum('onc_orders_queue_jobs', { queue: 'control', state: 'prioritized' })).toBe(1);
    expect(metrics.sum('onc_orders_queue_jobs', { queue: 'downloads-onc' })).toBe(0);
    expect(metrics.find('onc_orders_queue_jobs', { queue: 'downloads-onc', state: 'waiting' })).toHaveLength(1);
    expect(metrics.sum('onc_orders_queues_up')).toBe(1);
    expect(text).not.toContain(orderId);
  });

  it('asks for the API key, as every route but /healthz does', async () => {
    const target = await start();
    expect((await scrape(target.app, {})).response.status).toBe(401);
    expect((await scrape(target.app, { authorization: 'Bearer wrong' })).response.status).toBe(401);
  });

  it("counts the API's own calls to ONC (the catalogue check) by outcome class", async () => {
    const target = await start();
    sim?.injectFault({ methods: ['dataProducts'], times: 1, action: { kind: 'status', status: 503 } });
    // The first check finds the catalogue answering 503 (its verdict: unchecked); the second is answered.
    for (const checked of ['unchecked', 'accepted']) {
      const answer = await target.app.inject({
        method: 'POST',
        url: '/orders/check',
        headers: auth,
        payload: { filters: ctdAtBarkleyCanyon },
      });
      expect(answer.json<{ combinations: Array<{ verdict: string }> }>().combinations[0]?.verdict).toBe(checked);
    }

    const metrics = parsePrometheusText((await scrape(target.app)).text);
    const calls = sim?.calls() ?? [];
    const answered = calls.filter((call) => call.status !== null && call.status >= 200 && call.status < 300);
    expect(answered.length).toBeGreaterThan(0);
    expect(metrics.sum('onc_orders_service_calls_total', { service: 'onc', outcome_class: '2xx' })).toBe(
      answered.length,
    );
    expect(metrics.sum('onc_orders_service_calls_total', { service: 'onc', outcome_class: '5xx' })).toBe(1);
    expect(metrics.sum('onc_orders_politeness_wait_seconds_total', { service: 'onc' })).toBeGreaterThan(0);
  });

  it('leaves the state out when told to (METRICS_EXPORT_STATE=false)', async () => {
    const target = await start({ exportStateMetrics: false });
    const metrics = parsePrometheusText((await scrape(target.app)).text);
    for (const name of ['onc_orders_orders', 'onc_orders_products', 'onc_orders_files', 'onc_orders_queue_jobs']) {
      expect(metrics.types.has(name), name).toBe(false);
    }
    expect(metrics.types.get('onc_orders_jobs_total')).toBe('counter');
  });

  it('still answers, in time, when Redis does not: the queue depths are left out and queues_up says 0', async () => {
    const target = await start();
    const deadRedis = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: null });
    deadRedis.on('error', () => {}); // connection refused is the point of this client
    cleanups.push(() => deadRedis.disconnect());
    const deadQueues = createQueues(deadRedis, { prefix: 'unreachable', maxAttempts: 1, services: ['onc'] });
    for (const queue of deadQueues.all()) queue.on('error', () => {});
    const metrics = new PipelineMetrics({ processMetrics: false });
    addStateMetrics(metrics, { db: target.database.db, queues: deadQueues, logger: pino({ level: 'silent' }) });
    const app = await target.buildVariant({ metrics, redis: deadRedis, queues: deadQueues });

    const started = Date.now();
    const { response, text } = await scrape(app);

    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const scraped = parsePrometheusText(text);
    expect(scraped.sum('onc_orders_queues_up')).toBe(0);
    expect(scraped.find('onc_orders_queue_jobs')).toEqual([]);
    expect(scraped.find('onc_orders_orders', { status: 'queued' })).toHaveLength(1);
  });
});
