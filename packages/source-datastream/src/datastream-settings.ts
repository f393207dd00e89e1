import { parseSettings } from '@onc-orders/jobs';
import { z } from 'zod';
import { maxTop } from './datastream-resources.js';

/** DataStream's public API, as its OpenAPI file names the production server. */
export const dataStreamDefaultBaseUrl = 'https://api.datastream.org/v1/odata/v4';

/** DataStream's settings, read from the environment by the apps. */
export const dataStreamSettingsSchema = z.object({
  /** The API base, resources hang under it. Point it at a datastream-sim to simulate. */
  DATASTREAM_BASE_URL: z.string().url().default(dataStreamDefaultBaseUrl),
  /** The user's key, sent as `x-api-key`; never logged, stored or returned. */
  DATASTREAM_API_KEY: z.string().min(1).optional(),
  /** DataStream calls per second across all workers together; the API asks for at most 2, and none in parallel. */
  DATASTREAM_MAX_RPS: z.coerce.number().positive().default(2),
  /**
   * A call not answered by then is abandoned and retried (DataStream stops its own queries at 30 s). A worker that dies
   * mid-call keeps the fleet's one DataStream slot this long plus 5 s, so lower it to recover from crashes sooner.
   */
  DATASTREAM_CALL_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(45_000),
  /** Rows asked for per page (`$top`) when a partition starts; the API allows at most 10,000. */
  DATASTREAM_PAGE_SIZE: z.coerce.number().int().min(1).max(maxTop).default(maxTop),
});

export type DataStreamSettings = z.infer<typeof dataStreamSettingsSchema>;

/** The setting that enables DataStream, named in the refusal of an order when it is not configured. */
export const dataStreamEnablingSetting = 'DATASTREAM_API_KEY (or DATASTREAM_BASE_URL pointing at a datastream-sim)';

/**
 * The key sent to a simulator when no key is configured: datastream-sim's documented default key, which is no
 * secret. DataStream itself is never sent it (without a key, DataStream orders are refused).
 */
export const simulatorApiKey = 'datastream-sim-key-0000';

export function parseDataStreamSettings(env: Record<string, string | undefined>): DataStreamSettings {
  return parseSettings(dataStreamSettingsSchema, env);
}

/** Whether DataStream can be called: with a key, or at an address that is not DataStream's own (a simulator). */
export function dataStreamIsConfigured(settings: DataStreamSettings): boolean {
  return settings.DATASTREAM_API_KEY !== undefined || !isDataStreamItself(settings.DATASTREAM_BASE_URL);
}

export function isDataStreamItself(baseUrl: string): boolean {
  return new URL(baseUrl).hostname.endsWith('datastream.org');
}
