import { parseSettings, positiveInt } from '@onc-orders/jobs';
import { z } from 'zod';

/** WebCOOS's own address: an order sent there needs a real token. */
export const webcoosDefaultBaseUrl = 'https://app.webcoos.org/webcoos/api/v1';

/** WebCOOS's settings, read from the environment by the apps. */
export const webcoosSettingsSchema = z.object({
  /** The API root (…/webcoos/api/v1). Point it at a webcoos-sim to simulate. */
  WEBCOOS_BASE_URL: z.string().url().default(webcoosDefaultBaseUrl),
  /** The user's API token, sent as `Authorization: Token …` to the API only; never logged, stored or returned. */
  WEBCOOS_TOKEN: z.string().regex(/^\S+$/, 'must not contain spaces').optional(),
  /** API calls per second, across all workers together. */
  WEBCOOS_MAX_RPS: z.coerce.number().positive().default(5),
  /** Media downloads at once, across all workers together. */
  WEBCOOS_MAX_DOWNLOADS: positiveInt(4),
  /** Elements asked for per page of a listing (the server may send fewer). */
  WEBCOOS_PAGE_SIZE: positiveInt(500),
  /** Listings of one window at most, when its count disagrees with the inventory's. */
  WEBCOOS_MAX_LISTINGS: positiveInt(3),
  /** Bound on connecting and waiting for an answer's headers, and on a silence inside a body, in ms. */
  WEBCOOS_TIMEOUT_MS: positiveInt(30_000),
});

export type WebcoosSettings = z.infer<typeof webcoosSettingsSchema>;

/** The setting that enables WebCOOS, named in the refusal of an order when it is not configured. */
export const webcoosEnablingSetting = 'WEBCOOS_TOKEN (or WEBCOOS_BASE_URL pointing at a webcoos-sim)';

export function parseWebcoosSettings(env: Record<string, string | undefined>): WebcoosSettings {
  return parseSettings(webcoosSettingsSchema, env);
}

/** Whether a base URL is WebCOOS itself rather than a simulator or a proxy. */
export function isWebcoosItself(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === 'webcoos.org' || host.endsWith('.webcoos.org');
}

/**
 * Whether WebCOOS can be called with these settings: with a token, or at an address that is not WebCOOS's own (a
 * simulator, whose token the source then sends). Without either, WebCOOS orders are refused naming WEBCOOS_TOKEN.
 */
export function webcoosIsConfigured(settings: WebcoosSettings): boolean {
  return settings.WEBCOOS_TOKEN !== undefined || !isWebcoosItself(settings.WEBCOOS_BASE_URL);
}
