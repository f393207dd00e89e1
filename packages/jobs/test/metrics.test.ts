import { parsePrometheusText } from '@onc-orders/testkit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineMetrics } from '../src/metrics/pipeline-metrics.js';
import { startMetricsServer, type MetricsServer } from '../src/metrics/metrics-server.js';
import { callAnswerOf, outcomeClassOf } from '../src/metrics/service-observer.js';
import { retryReasonOf } from '../src/retry/retry-reason-of.js';
import { TransientFailure } from '../src/retry/transient-failure.js';

/** An error as undici or Node raise it, with its code. */
function codedError(code: string): Error {
  return Object.assign(new Error(`failed (${code})`), { code });
}

describe('what a failed attempt is counted as', () => {
  it('takes the reason its thrower gave', () => {
    expect(retryReasonOf(new TransientFailure('range', undefined, { reason: 'range' }))).toBe('range');
  });

  it('reads an HTTP status anywhere in the cause chain', () => {
    const oncLike = Object.assign(new Error('ONC download failed transiently: HTTP 503'), { httpStatus: 503 });
    expect(retryReasonOf(new TransientFailure('wrapped', undefined, { cause: oncLike }))).toBe('server-error');
    expect(retryReasonOf(Object.assign(new Error('slow down'), { httpStatus: 429 }))).toBe('rate-limited');
    expect(retryReasonOf(Object.assign(new Error('too slow'), { httpStatus: 408 }))).toBe('timeout');
  });

  it('tells timeouts from other network failures', () => {
    const wrap = (cause: unknown) => new TransientFailure('call failed', undefined, { cause });
    expect(retryReasonOf(wrap(codedError('ECONNRESET')))).toBe('network');
    expect(retryReasonOf(wrap(codedError('UND_ERR_SOCKET')))).toBe('network');
    expect(retryReasonOf(wrap(codedError('UND_ERR_HEADERS_TIMEOUT')))).toBe('timeout');
    expect(retryReasonOf(wrap(new DOMException('The operation timed out', 'TimeoutError')))).toBe('timeout');
  });

  it('falls back to transient for a TransientFailure, error for anything else', () => {
    expect(retryReasonOf(new TransientFailure('the answer is odd'))).toBe('transient');
    expect(retryReasonOf(new Error('a bug'))).toBe('error');
    expect(retryReasonOf('not even an error')).toBe('error');
  });
});

describe('the outcome class of a service call', () => {
  it('is the status class, or why no answer came', () => {
    expect(outcomeClassOf(callAnswerOf(200, undefined))).toBe('2xx');
    expect(outcomeClassOf(callAnswerOf(206, undefined))).toBe('2xx');
    expect(outcomeClassOf(callAnswerOf(302, undefined))).toBe('3xx');
    expect(outcomeClassOf(callAnswerOf(404, undefined))).toBe('4xx');
    expect(outcomeClassOf(callAnswerOf(503, undefined))).toBe('5xx');
    expect(outcomeClassOf(callAnswerOf(999, undefined))).toBe('other-status');
    expect(outcomeClassOf(callAnswerOf(undefined, 'timeout'))).toBe('timeout');
    expect(outcomeClassOf(callAnswerOf(null, undefined))).toBe('network');
  });
});

describe("a process's metrics", () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps each registry apart, so several can live in one process', async () => {
    const first = new PipelineMetrics({ processMetrics: false });
    const second = new PipelineMetrics({ processMetrics: false });
    first.jobEnded('download', 'completed', 0.5);
    first.retried('download', 'server-error');
    first.downloaded('onc-data-products', 1_024);
    first.callEnded('onc', { httpStatus: 200 });
    first.waitedForCap('onc', 'calls-per-second', 0.25);

    const one = parsePrometheusText((await first.exposition()).body);
    const other = parsePrometheusText((await second.exposition()).body);
    expect(one.sum('onc_orders_jobs_total', { kind: 'download', outcome: 'completed' })).toBe(1);
    expect(one.sum('onc_orders_job_duration_seconds_sum', { kind: 'download' })).toBe(0.5);
    expect(one.sum('onc_orders_retries_total', { kind: 'download', reason: 'server-error' })).toBe(1);
    expect(one.sum('onc_orders_downloaded_bytes_total', { source: 'onc-data-products' })).toBe(1_024);
    expect(one.sum('onc_orders_service_calls_total', { service: 'onc', outcome_class: '2xx' })).toBe(1);
    expect(one.sum('onc_orders_politeness_wait_seconds_total', { service: 'onc', cap: 'calls-per-second' })).toBe(0.25);
    expect(other.sum('onc_orders_jobs_total')).toBe(0);
    expect(other.sum('onc_orders_downloaded_bytes_total')).toBe(0);
  });

  it('adds the process metrics unless told not to', async () => {
    const withProcess = parsePrometheusText((await new PipelineMetrics().exposition()).body);
    expect(withProcess.find('process_cpu_user_seconds_total')).toHaveLength(1);
    const without = parsePrometheusText((await new PipelineMetrics({ processMetrics: false }).exposition()).body);
    expect(without.find('process_cpu_user_seconds_total')).toEqual([]);
  });

  it('serves them on a port of their own, and nothing else there', async () => {
    const metrics = new PipelineMetrics({ processMetrics: false });
    metrics.jobEnded('prepare', 'waiting', 0.01);
    server = await startMetricsServer(metrics, { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }) });

    const answer = await fetch(server.url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const scraped = parsePrometheusText(await answer.text());
    expect(scraped.sum('onc_orders_jobs_total', { kind: 'prepare', outcome: 'waiting' })).toBe(1);
    // Only the fleet's one exporter (see addStateMetrics) carries its state.
    expect(scraped.types.has('onc_orders_orders')).toBe(false);
    expect(scraped.types.has('onc_orders_queue_jobs')).toBe(false);
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(404);
  });
});
