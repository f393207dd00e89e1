import { deleteKeysWithPrefix, makeTempDir, redisUrlForTests, uniquePrefix } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import {
  createQueues,
  createWriteBatcher,
  Failpoints,
  pipelineConfig,
  PipelineMetrics,
  SettlesInFlight,
  SourceRegistry,
  type PipelineContext,
  type WriteBatcher,
} from '../../src/index.js';
import { openTestState, type TestState } from './test-state.js';

export interface CoreContext {
  ctx: PipelineContext;
  state: TestState;
  /** The writes the core asked for so far: transactions, and writes of one statement. */
  writesAsked: { transactions: number; single: number };
  /** Drops the database and the folder first, then the queues and their keys. */
  close(): Promise<void>;
}

/**
 * What the core's processors work with, made of real parts: a state store of the dialect TEST_DATABASE names, queues
 * on Redis under a prefix of their own (a downloads queue for each of `services`), and a write batcher that counts
 * what it is asked to write.
 */
export async function openCoreContext(label: string, services: readonly string[] = []): Promise<CoreContext> {
  const state = await openTestState(label);
  const dir = await makeTempDir(`${label}-downloads`);
  const redisUrl = await redisUrlForTests();
  const prefix = uniquePrefix(label);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const writes = createWriteBatcher(state.database);
  const writesAsked = { transactions: 0, single: 0 };
  const counted: WriteBatcher = {
    write: (work, options) => {
      writesAsked.transactions += 1;
      return writes.write(work, options);
    },
    writeOne: (work) => {
      writesAsked.single += 1;
      return writes.writeOne(work);
    },
  };
  const config = pipelineConfig({ downloadDir: dir.path, queuePrefix: prefix });
  const ctx: PipelineContext = {
    db: state.database.db,
    writes: counted,
    queues: createQueues(redis, { prefix, maxAttempts: config.maxAttempts, services }),
    sources: new SourceRegistry([]),
    config,
    logger: pino({ level: 'silent' }),
    failpoints: new Failpoints(''),
    metrics: new PipelineMetrics({ processMetrics: false }),
    settles: new SettlesInFlight(),
  };
  return {
    ctx,
    state,
    writesAsked,
    close: async () => {
      await state.close();
      await dir.remove();
      await ctx.queues.close();
      redis.disconnect();
      await deleteKeysWithPrefix(redisUrl, prefix);
    },
  };
}
