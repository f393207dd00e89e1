import { parsePrometheusText, waitFor, type PrometheusExposition } from '@onc-orders/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@onc-orders/testkit';
import { startSystemHarness, type SystemHarness } from '../support/system-harness.js';

// The built API and a built worker as separate processes, scraped over HTTP as Prometheus would: the worker's own
// /metrics on METRICS_PORT (its jobs, bytes, calls, retries), the API's /metrics behind its key (the fleet's state).

const apiKey = 'metrics-key';

interface OrderBody {
  id: string;
  status: string;
  products: Array<{ dpRequestId: number | null; files: Array<{ size: number | null; status: string }> }>;
}

/** Every label value of every sample. */
function labelValues(exposition: PrometheusExposition): string[] {
  return exposition.samples.flatMap((sample) => Object.values(sample.labels));
}

describe('Prometheus metrics of the API and a worker', () => {
  let harness: SystemHarness;
  let apiUrl: string;
  let workerMetricsUrl: string;
  let order: OrderBody;
  let api: PrometheusExposition;
  let worker: PrometheusExposition;
  let apiScrape: Response;

  async function scrape(url: string, key?: string): Promise<{ response: Response; text: string }> {
    const response = await fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});
    return { response, text: await response.text() };
  }

  beforeAll(async () => {
    harness = await startSystemHarness({ sim: { behaviour: { filesPerRun: 2, fileSizeBytes: 4_096 } } });
    // One download answered 503, one whose connection is reset: both retried, each counted by its reason.
    harness.sim.injectFault({ methods: ['download'], times: 1, action: { kind: 'status', status: 503 } });
    harness.sim.injectFault({ methods: ['download'], times: 1, action: { kind: 'reset' } });
    ({ url: apiUrl } = await harness.startApi({ API_KEYS: apiKey }));
    const metricsPort = await freePort();
    harness.startWorker({ METRICS_PORT: String(metricsPort) });
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await waitFor('the worker to serve /metrics', async () => {
      const answer = await fetch(workerMetricsUrl).catch(() => undefined);
      return answer?.ok ? true : undefined;
    });

    const submitted = await fetch(`${apiUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        filters: {
          dataProductCode: 'TSSD',
          extension: 'csv',
          locationCode: 'BACAX',
          deviceCategoryCode: 'CTD',
          dateFrom: '2016-07-25',
          dateTo: '2016-07-27',
        },
        split: 'P1D',
      }),
    });
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    await harness.waitForOrder(id);
    order = (await (
      await fetch(`${apiUrl}/orders/${id}`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as OrderBody;

    const fromApi = await scrape(`${apiUrl}/metrics`, apiKey);
    apiScrape = fromApi.response;
    api = parsePrometheusText(fromApi.text);
    worker = parsePrometheusText((await scrape(workerMetricsUrl)).text);
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('ran the order to completion', () => {
    expect(order.status).toBe('completed');
    expect(order.products.flatMap((product) => product.files).length).toBeGreaterThan(2);
  });

  it("counts the worker's jobs by kind and outcome, with their durations", () => {
    for (const kind of ['expand', 'prepare', 'download', 'finalize']) {
      expect(worker.sum('onc_orders_jobs_total', { kind, outcome: 'completed' }), kind).toBeGreaterThan(0);
    }
    expect(worker.sum('onc_orders_jobs_total', { kind: 'download', outcome: 'retried' })).toBe(2);
    expect(worker.types.get('onc_orders_job_duration_seconds')).toBe('histogram');
    const downloadRuns = worker.sum('onc_orders_jobs_total', { kind: 'download' });
    expect(worker.sum('onc_orders_job_duration_seconds_count', { kind: 'download' })).toBe(downloadRuns);
    expect(worker.sum('onc_orders_job_duration_seconds_sum', { kind: 'download' })).toBeGreaterThan(0);
  });

  it('counts the bytes downloaded: the sum of the files delivered', () => {
    const delivered = order.products
      .flatMap((product) => product.files)
      .filter((file) => file.status === 'complete')
      .reduce((total, file) => total + (file.size ?? 0), 0);
    expect(delivered).toBeGreaterThan(0);
    expect(worker.sum('onc_orders_downloaded_bytes_total', { source: 'onc-data-products' })).toBe(delivered);
  });

  it("counts the worker's calls to ONC by outcome class", () => {
    const served = harness.sim.calls();
    const answered = served.filter((call) => call.status !== null && call.status >= 200 && call.status < 300).length;
    expect(worker.sum('onc_orders_service_calls_total', { service: 'onc', outcome_class: '2xx' })).toBe(answered);
    expect(worker.sum('onc_orders_service_calls_total', { service: 'onc', outcome_class: '5xx' })).toBe(1);
    expect(worker.sum('onc_orders_service_calls_total', { service: 'onc', outcome_class: 'network' })).toBe(1);
    expect(
      worker.sum('onc_orders_politeness_wait_seconds_total', { service: 'onc', cap: 'calls-per-second' }),
    ).toBeGreaterThan(0);
  });

  it('counts retries by reason', () => {
    expect(worker.sum('onc_orders_retries_total', { kind: 'download', reason: 'server-error' })).toBe(1);
    expect(worker.sum('onc_orders_retries_total', { kind: 'download', reason: 'network' })).toBe(1);
  });

  it("exports the fleet's state from the API, behind its key", async () => {
    expect(apiScrape.status).toBe(200);
    expect(apiScrape.headers.get('content-type')).toContain('text/plain');
    expect((await scrape(`${apiUrl}/metrics`)).response.status).toBe(401);
    expect(api.sum('onc_orders_orders', { status: 'completed' })).toBe(1);
    expect(api.sum('onc_orders_orders', { status: 'running' })).toBe(0);
    expect(api.sum('onc_orders_products', { status: 'complete' })).toBe(2);
    const files = order.products.flatMap((product) => product.files).filter((file) => file.status === 'complete');
    expect(api.sum('onc_orders_files', { status: 'complete' })).toBe(files.length);
    expect(api.sum('onc_orders_queues_up')).toBe(1);
    for (const queue of ['control', 'downloads-onc']) {
      expect(api.find('onc_orders_queue_jobs', { queue }).map((sample) => sample.labels['state'])).toEqual(
        expect.arrayContaining(['waiting', 'active', 'delayed', 'completed', 'failed']),
      );
    }
    expect(api.sum('onc_orders_queue_jobs', { queue: 'downloads-onc', state: 'completed' })).toBeGreaterThanOrEqual(
      files.length,
    );
    expect(api.find('process_cpu_user_seconds_total')).toHaveLength(1);
  });

  it('leaves the state to the API: the worker exports no queue depths nor orders or files by status', () => {
    for (const name of ['onc_orders_queue_jobs', 'onc_orders_queues_up', 'onc_orders_orders', 'onc_orders_files']) {
      expect(worker.types.has(name), name).toBe(false);
      expect(worker.find(name), name).toEqual([]);
    }
    expect(worker.find('process_cpu_user_seconds_total')).toHaveLength(1);
  });

  it('never names an order or an ONC request in a label', () => {
    const ids = [order.id, ...order.products.map((product) => String(product.dpRequestId))];
    for (const values of [labelValues(api), labelValues(worker)]) {
      expect(values.length).toBeGreaterThan(0);
      for (const id of ids) expect(values).not.toContain(id);
      expect(values.some((value) => value.includes(order.id))).toBe(false);
    }
  });
});
