import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { ProductSnapshot, StepContext } from '@onc-orders/jobs';
import { deleteKeysWithPrefix, redisUrlForTests, uniquePrefix } from '@onc-orders/testkit';
import type { WebcoosSimulator } from '@onc-orders/webcoos-sim';
import {
  createWebcoosService,
  createWebcoosSource,
  parseWebcoosSettings,
  type WebcoosService,
  type WebcoosSource,
  type WebcoosSpec,
  type WebcoosState,
} from '../../src/index.js';
import type { WebcoosParams } from '../../src/webcoos-state.js';

export const silentLogger = pino({ level: 'silent' });

export interface ServiceForTests {
  service: WebcoosService;
  source: WebcoosSource;
  close(): Promise<void>;
}

/** The source against a simulator, with its fleet limiter under a prefix of its own in the test Redis. */
export async function serviceForTests(
  sim: WebcoosSimulator,
  env: Record<string, string> = {},
): Promise<ServiceForTests> {
  const redisUrl = await redisUrlForTests();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = uniquePrefix('webcoos');
  const settings = parseWebcoosSettings({
    WEBCOOS_BASE_URL: sim.url,
    WEBCOOS_TOKEN: sim.token,
    WEBCOOS_MAX_RPS: '1000',
    WEBCOOS_PAGE_SIZE: '50',
    ...env,
  });
  const service = createWebcoosService(settings, { redis, queuePrefix: prefix, logger: silentLogger });
  return {
    service,
    source: createWebcoosSource(service),
    async close() {
      await service.client.close();
      redis.disconnect();
      await deleteKeysWithPrefix(redisUrl, prefix);
    },
  };
}

export const stepContext: StepContext<WebcoosState> = {
  signal: undefined,
  logger: silentLogger,
  failpoint: () => undefined,
  checkpoint: () => Promise.resolve(),
};

export function snapshot(
  spec: WebcoosSpec,
  params: WebcoosParams,
  state: WebcoosState,
  ordinal = 0,
): ProductSnapshot<WebcoosSpec, WebcoosParams, WebcoosState> {
  return { id: ordinal + 1, orderId: 'order-1', ordinal, params, state, reorders: 0, spec };
}
