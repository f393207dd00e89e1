import { availableParallelism } from 'node:os';
import { booleanSetting, parseSettings } from '@onc-orders/jobs';
import { z } from 'zod';

/**
 * One core is left to the event loop: with a read thread on every core, a busy machine kept the loop waiting for a
 * core (on 2 cores, 2 threads let /healthz take up to 140 ms under ten big reads, 1 thread under 30 ms, at the same
 * reads per second). The cap of 4 is a guess: more threads help only while that many big reads run at once.
 */
const defaultReadThreads = Math.max(1, Math.min(4, availableParallelism() - 1));

/** The API's own settings; the core's and each source's are read elsewhere. */
export const apiSettingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Comma-separated bearer keys; when set, every route but /healthz needs one. */
  API_KEYS: z.string().optional(),
  /**
   * Whether this API's /metrics carries the fleet's state (queue depths, orders and files by status). Exactly one
   * process should: there is one API and many workers, so it is the API unless told otherwise.
   */
  METRICS_EXPORT_STATE: booleanSetting(true),
  /** Threads that read the order views off the event loop; 0 reads them on it. */
  API_READ_THREADS: z.coerce.number().int().min(0).max(64).default(defaultReadThreads),
});

export type ApiSettings = z.infer<typeof apiSettingsSchema>;

export function parseApiSettings(env: Record<string, string | undefined>): ApiSettings {
  return parseSettings(apiSettingsSchema, env);
}

export function apiKeysOf(settings: ApiSettings): string[] {
  return (settings.API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}
