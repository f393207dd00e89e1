import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobKind } from '../queues/job-kinds.js';
import type { RetryReason } from '../retry/retry-reason.js';
import type { JobOutcome } from './job-outcome.js';
import { outcomeClassOf, type CallAnswer, type PolitenessCap, type ServiceObserver } from './service-observer.js';

/** Every metric of this project starts with it. */
export const metricsPrefix = 'onc_orders_';

/** From a few milliseconds (a step that finds nothing to do) to a long download (ten minutes and more). */
const jobDurationBuckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600, 1800];

/**
 * One process's metrics, in their own registry (never prom-client's global one, so a test can build several side
 * by side): what this process's jobs came to, the bytes it downloaded, its calls to each service, its retries and
 * the time its calls waited for the fleet-wide caps, and Node's process metrics. Counts are this process's own;
 * Prometheus adds them up over the fleet. The state of the fleet as a whole (queues, orders, files) is added by one
 * process only (see addStateMetrics).
 *
 * Label values come from closed sets (job kinds, outcomes, reasons, status classes) or from the deployment's own
 * names (sources, services): never an order id, a path, a URL or a message.
 */
export class PipelineMetrics implements ServiceObserver {
  readonly registry = new Registry();
  readonly #jobs: Counter<'kind' | 'outcome'>;
  readonly #jobDuration: Histogram<'kind' | 'outcome'>;
  readonly #downloadedBytes: Counter<'source'>;
  readonly #serviceCalls: Counter<'service' | 'outcome_class'>;
  readonly #retries: Counter<'kind' | 'reason'>;
  readonly #politenessWait: Counter<'service' | 'cap'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.#jobs = new Counter({
      name: `${metricsPrefix}jobs_total`,
      help: 'Job runs this process ended, by job kind and how the run ended',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.#jobDuration = new Histogram({
      name: `${metricsPrefix}job_duration_seconds`,
      help: 'How long one run of a job took in this process, by job kind and how it ended',
      labelNames: ['kind', 'outcome'],
      buckets: jobDurationBuckets,
      registers,
    });
    this.#downloadedBytes = new Counter({
      name: `${metricsPrefix}downloaded_bytes_total`,
      help: "Bytes received from services and written to the files' copies, by source (counted as they arrive)",
      labelNames: ['source'],
      registers,
    });
    this.#serviceCalls = new Counter({
      name: `${metricsPrefix}service_calls_total`,
      help: 'HTTP calls to each service, by outcome class (2xx … 5xx, or timeout/network when no answer came)',
      labelNames: ['service', 'outcome_class'],
      registers,
    });
    this.#retries = new Counter({
      name: `${metricsPrefix}retries_total`,
      help: 'Job attempts that failed and will be tried again, by job kind and reason',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.#politenessWait = new Counter({
      name: `${metricsPrefix}politeness_wait_seconds_total`,
      help: "Seconds this process's calls spent waiting for their service's fleet-wide caps, by service and cap",
      labelNames: ['service', 'cap'],
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** One run of a job ended. `kind` is undefined for a job whose kind this version does not know. */
  jobEnded(kind: JobKind | undefined, outcome: JobOutcome, seconds: number): void {
    const labels = { kind: kind ?? 'unknown', outcome };
    this.#jobs.inc(labels);
    this.#jobDuration.observe(labels, seconds);
  }

  retried(kind: JobKind, reason: RetryReason): void {
    this.#retries.inc({ kind, reason });
  }

  downloaded(source: string, bytes: number): void {
    if (bytes > 0) this.#downloadedBytes.inc({ source }, bytes);
  }

  callEnded(service: string, answer: CallAnswer): void {
    this.#serviceCalls.inc({ service, outcome_class: outcomeClassOf(answer) });
  }

  waitedForCap(service: string, cap: PolitenessCap, seconds: number): void {
    if (seconds >= 0) this.#politenessWait.inc({ service, cap }, seconds);
  }

  /** The exposition, in Prometheus' text format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
