import { parseSettings, positiveInt } from '@onc-orders/jobs';
import { z } from 'zod';

/** ONC's settings, read from the environment by the apps. Every ONC source shares them. */
export const oncSettingsSchema = z.object({
  /** Site root of ONC's API; the client appends /api/…. Point it at onc-sim to simulate. */
  ONC_BASE_URL: z.string().url().default('https://data.oceannetworks.ca'),
  /** The user's ONC token; required for ONC itself, never logged, stored or returned. */
  ONC_TOKEN: z.string().optional(),
  /** "path" (current official client) or "method" (the documented ?method= form). */
  ONC_URL_STYLE: z.enum(['path', 'method']).default('path'),
  /** Downloads from ONC at once, across all workers together (ONC suggests about 3). */
  ONC_MAX_DOWNLOADS: positiveInt(3),
  /** ONC calls per second, across all workers together. */
  ONC_MAX_RPS: z.coerce.number().positive().default(5),
  /** Bounds of the wait between two checks of a product ONC is processing, in ms (2% of ONC's estimate). */
  POLL_MIN_MS: positiveInt(1_000),
  POLL_MAX_MS: positiveInt(30_000),
});

export type OncSettings = z.infer<typeof oncSettingsSchema>;

/** The setting that enables ONC, named in the refusal of an order when ONC is not configured. */
export const oncEnablingSetting = 'ONC_TOKEN (or ONC_BASE_URL pointing at an onc-sim)';

/** Token sent to a simulator when no ONC token is configured: onc-sim accepts any non-empty token. */
export const simulatorToken = 'onc-sim-token';

export function parseOncSettings(env: Record<string, string | undefined>): OncSettings {
  return parseSettings(oncSettingsSchema, env);
}

/**
 * Whether ONC can be called with these settings: with a token, or at an address that is not ONC's own (onc-sim
 * takes any token). Without either, ONC orders are refused naming ONC_TOKEN.
 */
export function oncIsConfigured(settings: OncSettings): boolean {
  return settings.ONC_TOKEN !== undefined || !isOncItself(settings.ONC_BASE_URL);
}

export function isOncItself(baseUrl: string): boolean {
  return new URL(baseUrl).hostname.endsWith('oceannetworks.ca');
}
