import { Queue, type JobsOptions } from 'bullmq';
import pLimit from 'p-limit';
import type { Redis } from 'ioredis';
import type { AnyJobData, JobData, JobKind, JobPayloads } from './job-kinds.js';

/** The control queue's name: every source's steps and the orders' bookkeeping. */
export const controlQueueName = 'control';

/** The queue of one service's downloads; its global concurrency is that service's fleet-wide cap. */
export function downloadsQueueName(service: string): string {
  return `downloads-${service}`;
}

export interface PipelineQueues {
  readonly prefix: string;
  readonly control: Queue<JobData>;
  /** One downloads queue per service, by service name. */
  readonly downloads: ReadonlyMap<string, Queue<JobData>>;
  /** The downloads queue of `service`; throws for a service this deployment does not know. */
  downloadsOf(service: string): Queue<JobData>;
  all(): Array<Queue<JobData>>;
  close(): Promise<void>;
}

export interface QueueSettings {
  prefix: string;
  maxAttempts: number;
  /** The services whose downloads get a queue (see SourceRegistry.services). */
  services: readonly string[];
}

/**
 * The queues. Each service's downloads have their own, so that its fleet-wide concurrency cap applies to them alone;
 * everything else (the sources' short calls and the bookkeeping) shares the control queue.
 */
export function createQueues(connection: Redis, settings: QueueSettings): PipelineQueues {
  const defaultJobOptions: JobsOptions = {
    attempts: settings.maxAttempts,
    backoff: { type: 'jitter' },
    // Kept a while so operators can read them on the dashboard; job ids carry a generation, so a kept job never
    // blocks the re-enqueue that a restart or re-order needs.
    removeOnComplete: { age: 3_600, count: 5_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
  const options = { connection, prefix: settings.prefix, defaultJobOptions };
  const control = new Queue<JobData>(controlQueueName, options);
  const downloads = new Map(
    settings.services.map((service) => [service, new Queue<JobData>(downloadsQueueName(service), options)]),
  );
  const all = () => [control, ...downloads.values()];
  return {
    prefix: settings.prefix,
    control,
    downloads,
    downloadsOf(service) {
      const queue = downloads.get(service);
      if (!queue) throw new Error(`no downloads queue for service "${service}"`);
      return queue;
    },
    all,
    close: async () => {
      await Promise.all(all().map((queue) => queue.close()));
    },
  };
}

/** A job id that is the same every time the same work is enqueued, so enqueuing twice never duplicates it. */
export function jobIdFor<K extends JobKind>(kind: K, payload: JobPayloads[K], generation: number): string {
  const subject = Object.values(payload).join('-');
  return `${kind}-${subject}-g${generation}`;
}

export interface EnqueueOptions {
  title: string;
  orderId: string;
  generation: number;
  delayMs?: number;
  /** The service whose downloads queue takes a download job. */
  service?: string;
  /** Starts new work on the service: waits behind work already started (see priorityOf). */
  newWork?: boolean;
}

export interface JobToEnqueue<K extends JobKind = JobKind> {
  kind: K;
  payload: JobPayloads[K];
  options: EnqueueOptions;
}

/**
 * Jobs that start new work on a service wait behind jobs that finish work already started: with 200 products queued
 * at once, the first product's later steps and downloads should not wait for the 200th product's first step. (In
 * BullMQ, a job without a priority goes before any prioritized one.)
 */
function priorityOf(job: JobToEnqueue): number | undefined {
  if (job.kind === 'expand') return 20;
  return job.options.newWork ? 10 : undefined;
}

function queueFor(queues: PipelineQueues, job: JobToEnqueue): Queue<JobData> {
  if (job.kind !== 'download') return queues.control;
  if (!job.options.service) throw new Error(`download job ${JSON.stringify(job.payload)} names no service`);
  return queues.downloadsOf(job.options.service);
}

function toBulkEntry(job: JobToEnqueue) {
  const data = { kind: job.kind, title: job.options.title, orderId: job.options.orderId, ...job.payload } as AnyJobData;
  const priority = priorityOf(job);
  return {
    name: `${job.kind}: ${job.options.title}`,
    data,
    opts: {
      jobId: jobIdFor(job.kind, job.payload, job.options.generation),
      ...(priority ? { priority } : {}),
      ...(job.options.delayMs ? { delay: Math.round(job.options.delayMs) } : {}),
    },
  };
}

export async function enqueue<K extends JobKind>(
  queues: PipelineQueues,
  kind: K,
  payload: JobPayloads[K],
  options: EnqueueOptions,
): Promise<void> {
  const job: JobToEnqueue = { kind, payload, options };
  const entry = toBulkEntry(job);
  await queueFor(queues, job).add(entry.name, entry.data, entry.opts);
}

/**
 * Like enqueueMany, for jobs that may already exist: a job with the same id that has already finished (or that a
 * Redis wipe left without its data) would make BullMQ silently skip the add, so it is removed first. Jobs waiting,
 * delayed or running are left alone. Used by the reconciler, where the database says the work is still missing.
 */
export async function enqueueMissing(queues: PipelineQueues, jobs: readonly JobToEnqueue[]): Promise<number> {
  const limit = pLimit(16);
  let replaced = 0;
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        const queue = queueFor(queues, job);
        const id = jobIdFor(job.kind, job.payload, job.options.generation);
        const state = await queue.getJobState(id);
        if (state === 'completed' || state === 'failed') {
          await queue.remove(id);
          replaced += 1;
        } else if (state !== 'unknown') {
          const existing = await queue.getJob(id);
          if (existing?.data.kind) return;
          // A husk: Redis lost the job's data while a worker still held it. Clear it so the job can be added again.
          await queue.remove(id).catch(() => 0);
          replaced += 1;
        }
        const entry = toBulkEntry(job);
        await queue.add(entry.name, entry.data, entry.opts);
      }),
    ),
  );
  return replaced;
}

/** Enqueues many jobs in few round trips (addBulk per queue, in chunks). */
export async function enqueueMany(queues: PipelineQueues, jobs: readonly JobToEnqueue[]): Promise<void> {
  const chunkSize = 500;
  const byQueue = new Map<Queue<JobData>, ReturnType<typeof toBulkEntry>[]>();
  for (const job of jobs) {
    const queue = queueFor(queues, job);
    const entries = byQueue.get(queue) ?? [];
    entries.push(toBulkEntry(job));
    byQueue.set(queue, entries);
  }
  for (const [queue, entries] of byQueue) {
    for (let start = 0; start < entries.length; start += chunkSize) {
      await queue.addBulk(entries.slice(start, start + chunkSize));
    }
  }
}
