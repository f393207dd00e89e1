import { redisUrlForTests, uniquePrefix } from '@onc-orders/testkit';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataProductsSource, createOncService, parseOncSettings, type DataProductsSource } from '../src/index.js';

/** What a data product file that stays gone (410) leads to: ordering its product again, or failing it. */
describe('a data product file that stays gone', () => {
  let redis: Redis;
  let source: DataProductsSource;
  beforeAll(async () => {
    redis = new Redis(await redisUrlForTests(), { maxRetriesPerRequest: null, lazyConnect: true });
    const settings = parseOncSettings({ ONC_BASE_URL: 'http://127.0.0.1:9', ONC_TOKEN: 'unused' });
    const service = createOncService(settings, {
      redis,
      queuePrefix: uniquePrefix('gone'),
      logger: pino({ level: 'silent' }),
    });
    source = createDataProductsSource(service);
  });
  afterAll(() => {
    redis.disconnect();
  });
  const spec = (deleteFile: boolean) => ({ deleteFile }) as Parameters<DataProductsSource['afterGone']>[0];

  it('is ordered again when ONC was asked to delete files after download, now or when the order was submitted', () => {
    expect(source.afterGone(spec(true), spec(true))).toBe('reorder');
    // Restarted with deleteFile false after a download under the submitted deleteFile true: ONC may have deleted it.
    expect(source.afterGone(spec(false), spec(true))).toBe('reorder');
    expect(source.afterGone(spec(true), spec(false))).toBe('reorder');
  });

  it('fails when ONC was never asked to delete files: someone else removed it', () => {
    expect(source.afterGone(spec(false), spec(false))).toBe('fail');
  });
});
