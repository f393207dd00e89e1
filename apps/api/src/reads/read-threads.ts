import { Worker } from 'node:worker_threads';
import type { StateStoreLocation } from '@onc-orders/jobs';
import type { Logger } from 'pino';
import type { OrderReads, ReadAnswer, ReadRequest } from './order-reads.js';
import type { ReadMessage, ReadReply, ReadThreadData } from './read-thread-messages.js';

export interface ReadThreadsOptions {
  /** The database the API opened (and migrated): each thread opens it again, to read only. */
  location: StateStoreLocation;
  threads: number;
  logger: Logger;
  /** The thread's script; by default `read-thread.js` beside this file, in the built API. */
  script?: URL;
  /** Node's flags for the threads; by default this process's. */
  execArgv?: string[];
}

interface Waiting {
  resolve(answer: unknown): void;
  reject(error: Error): void;
}

interface ReadThread {
  worker: Worker;
  waiting: Map<number, Waiting>;
  ready: boolean;
}

/** How long a thread that died before it was ready waits to be replaced, so a database that cannot be opened is not retried in a tight loop. */
const restartDelayMs = 1_000;

/**
 * Reads answered by `threads` worker threads, each on its own read-only connection: a big order's read keeps one of
 * them busy instead of the event loop, which stays free for other requests (/healthz among them) and for the answers
 * to go out. A read goes to the thread with the fewest reads waiting. A thread that dies is replaced; the reads it
 * held are refused (the client sees a 500 and may ask again). Resolves once every thread has opened the database.
 */
export async function startReadThreads(options: ReadThreadsOptions): Promise<OrderReads> {
  const script = options.script ?? new URL('./read-thread.js', import.meta.url);
  const threads = new Set<ReadThread>();
  let nextId = 0;
  let closing = false;

  const start = (): { thread: ReadThread; ready: Promise<void> } => {
    // Only the location's own fields cross to the thread (a test's store carries functions, which cannot).
    const { location } = options;
    const workerData: ReadThreadData = {
      location:
        location.dialect === 'postgres'
          ? { dialect: 'postgres', url: location.url }
          : { dialect: 'sqlite', path: location.path },
    };
    const worker = new Worker(script, { workerData, ...(options.execArgv ? { execArgv: options.execArgv } : {}) });
    const thread: ReadThread = { worker, waiting: new Map(), ready: false };
    threads.add(thread);
    let markReady: () => void = () => undefined;
    let failStart: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    thread.worker.on('message', (reply: ReadReply) => {
      if ('ready' in reply) {
        thread.ready = true;
        markReady();
        return;
      }
      const waiting = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(`read failed: ${reply.error}`));
      else waiting?.resolve(reply.answer);
    });
    let failure: Error | undefined;
    thread.worker.on('error', (error) => {
      failure = error;
      options.logger.error({ err: error }, 'a read thread failed');
    });
    thread.worker.on('exit', (code) => {
      threads.delete(thread);
      const error = new Error(
        `the read thread stopped (exit code ${code})${failure ? `: ${failure.message}` : ''}`,
        failure ? { cause: failure } : {},
      );
      for (const waiting of thread.waiting.values()) waiting.reject(error);
      thread.waiting.clear();
      failStart(error);
      if (closing) return;
      options.logger.error({ code }, 'a read thread stopped; starting another');
      const replace = () => {
        if (!closing) start().ready.catch(() => undefined);
      };
      if (thread.ready) replace();
      else setTimeout(replace, restartDelayMs).unref();
    });
    return { thread, ready };
  };

  const started = Array.from({ length: Math.max(1, options.threads) }, start);
  try {
    await Promise.all(started.map((one) => one.ready));
  } catch (error) {
    closing = true;
    await Promise.all([...threads].map((thread) => thread.worker.terminate()));
    throw error;
  }

  return {
    read<R extends ReadRequest>(request: R): Promise<ReadAnswer<R>> {
      let chosen: ReadThread | undefined;
      for (const thread of threads) if (!chosen || thread.waiting.size < chosen.waiting.size) chosen = thread;
      if (closing || !chosen) return Promise.reject(new Error('no read thread is running'));
      const target = chosen;
      const id = (nextId += 1);
      return new Promise<ReadAnswer<R>>((resolve, reject) => {
        target.waiting.set(id, { resolve, reject });
        target.worker.postMessage({ id, request } satisfies ReadMessage);
      });
    },
    async close() {
      closing = true;
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
    },
  };
}
