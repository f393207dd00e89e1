import type { JobType } from 'bullmq';
import { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import type { AppDatabase } from '../db/database.js';
import { countByStatus, type CountedTable } from '../db/status-counts.js';
import type { PipelineQueues } from '../queues/pipeline-queues.js';
import { withinDeadline } from '../queues/within-deadline.js';
import { FileStatus } from '../state/file-status.js';
import { OrderStatus } from '../state/order-status.js';
import { ProductStatus } from '../state/product-status.js';
import { metricsPrefix, type PipelineMetrics } from './pipeline-metrics.js';

/** The queue states counted: BullMQ's lists and sets of one queue. */
const queueStates: JobType[] = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'completed',
  'failed',
];

/** A scrape must answer even when Redis does not: the queue gauge is left empty then, and `queues_up` says so. */
const queueCountsDeadlineMs = 2_000;

type QueueCounts = Array<readonly [queue: string, counts: Record<string, number>]>;

/**
 * The fleet's state, read at scrape time: jobs in each queue by state (BullMQ's counts, from Redis) and orders,
 * products and files by status (GROUP BYs on SQLite). They are the same whichever process reads them, so exactly one
 * process should add them (the API by default): N workers exporting them would multiply them in any sum. Every
 * status is exported, zero included, so that a series does not vanish when its count drops to none.
 */
export function addStateMetrics(
  metrics: PipelineMetrics,
  deps: { db: AppDatabase; queues: PipelineQueues; logger: Logger },
): void {
  const registers = [metrics.registry];
  // prom-client collects the metrics of one scrape side by side: the two queue gauges share one read of Redis.
  let inFlight: Promise<QueueCounts | undefined> | undefined;
  const queueCounts = () => {
    inFlight ??= readQueueCounts(deps.queues, deps.logger).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  new Gauge({
    name: `${metricsPrefix}queues_up`,
    help: 'Whether Redis answered the queue counts of this scrape in time (1) or not (0)',
    registers,
    async collect() {
      this.set((await queueCounts()) ? 1 : 0);
    },
  });
  new Gauge({
    name: `${metricsPrefix}queue_jobs`,
    help: 'Jobs in each queue by BullMQ state, read from Redis at scrape time',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const counted = await queueCounts();
      this.reset();
      for (const [queue, counts] of counted ?? []) {
        for (const state of queueStates) this.set({ queue, state }, counts[state] ?? 0);
      }
    },
  });
  const statusGauge = (table: CountedTable, statuses: readonly string[], help: string) =>
    new Gauge({
      name: `${metricsPrefix}${table}`,
      help,
      labelNames: ['status'],
      registers,
      async collect() {
        const byStatus = await countByStatus(deps.db, table);
        this.reset();
        for (const status of new Set([...statuses, ...Object.keys(byStatus)])) {
          this.set({ status }, byStatus[status] ?? 0);
        }
      },
    });
  statusGauge('orders', Object.values(OrderStatus), 'Orders by status, read from the database at scrape time');
  statusGauge('products', Object.values(ProductStatus), 'Products by status, read from the database at scrape time');
  statusGauge('files', Object.values(FileStatus), 'Files by status, read from the database at scrape time');
}

/** Every queue's counts, or undefined when Redis did not answer them in time. */
async function readQueueCounts(queues: PipelineQueues, logger: Logger): Promise<QueueCounts | undefined> {
  const work = Promise.all(
    queues.all().map(async (queue) => [queue.name, await queue.getJobCounts(...queueStates)] as const),
  );
  const onFailure = (error: unknown) => logger.warn({ err: error }, 'metrics: the queue counts could not be read');
  try {
    if ((await withinDeadline(work, queueCountsDeadlineMs, onFailure)) === 'late') {
      logger.warn(`metrics: Redis did not answer the queue counts within ${queueCountsDeadlineMs} ms`);
      return undefined;
    }
    return await work;
  } catch (error) {
    onFailure(error);
    return undefined;
  }
}
