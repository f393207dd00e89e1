import { booleanSetting, parseSettings } from '@onc-orders/jobs';
import { z } from 'zod';

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
