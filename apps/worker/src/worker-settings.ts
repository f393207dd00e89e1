import { booleanSetting, parseSettings } from '@onc-orders/jobs';
import { z } from 'zod';

/** The worker's own settings; the core's and each source's are read elsewhere. */
export const workerSettingsSchema = z.object({
  /** The port of this worker's /metrics; unset or 0 serves none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Where /metrics listens. It asks for no key: keep it on an interface only the scraper reaches. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Whether this worker's /metrics carries the fleet's state (queue depths, orders and files by status). Off: the API
   * exports it, and every worker exporting it too would multiply it by the number of workers.
   */
  METRICS_EXPORT_STATE: booleanSetting(false),
});

export type WorkerSettings = z.infer<typeof workerSettingsSchema>;

export function parseWorkerSettings(env: Record<string, string | undefined>): WorkerSettings {
  return parseSettings(workerSettingsSchema, env);
}
