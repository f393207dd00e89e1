import { Queue, type JobsOptions } from 'bullmq';
import pLimit from 'p-limit';
import type { Redis } from 'ioredis';
import { QueueName, queueOfKind, type JobData, type JobKind, type JobPayloads } from './job-kinds.js';

export interface PipelineQueues {
  readonly prefix: string;
  readonly control: Queue<JobData>;
  readonly downloads: Queue<JobData>;
  close(): Promise<void>;
}

export interface QueueSettings {
  prefix: string;
  maxAttempts: number;
}

/**
 * The two queues. Downloads have their own so that a fleet-wide concurrency cap applies to them alone; everything
 * else (short ONC calls and bookkeeping) shares the control queue.
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
  const control = new Queue<JobData>(QueueName.control, options);
  const downloads = new Queue<JobData>(QueueName.downloads, options);
  return {
    prefix: settings.prefix,
    control,
    downloads,
    close: async () => {
      await Promise.all([control.close(), downloads.close()]);
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
}

export interface JobToEnqueue<K extends JobKind = JobKind> {
  kind: K;
  payload: JobPayloads[K];
  options: EnqueueOptions;
}

/**
 * Jobs that start new work on ONC wait behind jobs that finish work already started: with 200 products queued at
 * once, the first product's `run` and downloads should not wait for the 200th product's `request`. (In BullMQ, a job
 * without a priority goes before any prioritized one.)
 */
const priorityOfKind: Partial<Record<JobKind, number>> = { expand: 20, request: 10 };

function queueNamed(queues: PipelineQueues, name: QueueName): Queue<JobData> {
  return name === 'downloads' ? queues.downloads : queues.control;
}

function queueFor(queues: PipelineQueues, kind: JobKind): Queue<JobData> {
  return queueNamed(queues, queueOfKind[kind]);
}

function toBulkEntry<K extends JobKind>(job: JobToEnqueue<K>) {
  const data = { kind: job.kind, title: job.options.title, orderId: job.options.orderId, ...job.payload };
  return {
    name: `${job.kind}: ${job.options.title}`,
    data,
    opts: {
      jobId: jobIdFor(job.kind, job.payload, job.options.generation),
      ...(priorityOfKind[job.kind] ? { priority: priorityOfKind[job.kind] } : {}),
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
  const entry = toBulkEntry({ kind, payload, options });
  await queueFor(queues, kind).add(entry.name, entry.data, entry.opts);
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
        const queue = queueFor(queues, job.kind);
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
  for (const name of [QueueName.control, QueueName.downloads] as const) {
    const entries = jobs.filter((job) => queueOfKind[job.kind] === name).map((job) => toBulkEntry(job));
    for (let start = 0; start < entries.length; start += chunkSize) {
      await queueNamed(queues, name).addBulk(entries.slice(start, start + chunkSize));
    }
  }
}
