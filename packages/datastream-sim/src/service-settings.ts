/**
 * How the simulated service behaves, apart from its data: politeness limits, where the next link goes, load
 * thresholds that imitate the real server under a heavy `$top`, latency, compression. Settable at start and
 * changeable while running (`sim.configure`, `POST /_sim/config`); every patch is checked whole before any of it
 * applies.
 */
import { DEFAULT_RATE_LIMIT, checkRateLimit, type RateLimitSettings } from './rate-limiter.js';
import { RESOURCES, isResource, type Resource } from './resources.js';

export type NextLinkPlacement = 'both' | 'body' | 'header';

export interface ServiceSettings {
  /** The politeness limit, or false for none (benchmarks). Default {@link DEFAULT_RATE_LIMIT}. */
  rateLimit: RateLimitSettings | false;
  /** Where the next page's link goes: `@odata.nextLink` in the body, a `Link` header, or both. Default 'both'. */
  nextLinkIn: NextLinkPlacement;
  /**
   * Origin (`scheme://host[:port]`) of next links. Default null: the origin the request came to (its Host header).
   * Set another to test that a client refuses a link that leaves the API's origin.
   */
  nextLinkOrigin: string | null;
  /** Delay before every admitted API answer, in ms. Default 0. */
  latencyMs: number;
  /** Answer `timeoutStatus` when `$top` is above this (the server's 30 s limit on a heavy page). Default null: never. */
  timeoutAboveTop: number | null;
  /** The timeout status: 504 (gateway) or 408. Default 504. */
  timeoutStatus: 408 | 504;
  /** How long a timeout answer takes, in ms (the real one takes 30 s). Default 0. */
  timeoutDelayMs: number;
  /** Answer 413 when `$top` is above this. Default null: never. */
  tooLargeAboveTop: number | null;
  /** Answer 413 when the page's JSON (before compression) would exceed this many bytes. Default null: never. */
  tooLargeAboveBytes: number | null;
  /** Resources the three thresholds apply to. Default ['Observations', 'Records']. */
  thresholdResources: readonly Resource[];
  /** Compress answers of 256 bytes or more with br or gzip when the request's Accept-Encoding allows. Default true. */
  compression: boolean;
  /**
   * `$count` answers above this are estimates (off by at most 0.0005 %, the documented accuracy), as the real API
   * says it does for large counts. Default null: always exact.
   */
  countEstimateAbove: number | null;
  /** Leave fields whose value is null out of rows, instead of sending `null`. Default false. */
  omitNulls: boolean;
}

export const DEFAULT_SERVICE_SETTINGS: Readonly<ServiceSettings> = {
  rateLimit: DEFAULT_RATE_LIMIT,
  nextLinkIn: 'both',
  nextLinkOrigin: null,
  latencyMs: 0,
  timeoutAboveTop: null,
  timeoutStatus: 504,
  timeoutDelayMs: 0,
  tooLargeAboveTop: null,
  tooLargeAboveBytes: null,
  thresholdResources: ['Observations', 'Records'],
  compression: true,
  countEstimateAbove: null,
  omitNulls: false,
};

/** A change to the settings; `rateLimit` merges over the current limit (`true` restores the default one). */
export type SettingsPatch = Partial<Omit<ServiceSettings, 'rateLimit'>> & {
  rateLimit?: Partial<RateLimitSettings> | boolean;
};

const nonNegative = (value: number | null): boolean => value === null || (Number.isFinite(value) && value >= 0);

export function applySettingsPatch(current: ServiceSettings, patch: SettingsPatch): ServiceSettings {
  const { rateLimit: limitPatch, ...rest } = patch;
  let rateLimit: RateLimitSettings | false = current.rateLimit;
  if (limitPatch === false) rateLimit = false;
  else if (limitPatch === true) rateLimit = { ...DEFAULT_RATE_LIMIT };
  else if (limitPatch !== undefined) rateLimit = { ...(current.rateLimit || DEFAULT_RATE_LIMIT), ...limitPatch };
  const next: ServiceSettings = { ...current, ...rest, rateLimit };

  const problems: string[] = [];
  if (rateLimit) {
    try {
      checkRateLimit(rateLimit);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (!['both', 'body', 'header'].includes(next.nextLinkIn))
    problems.push(`nextLinkIn must be both, body or header, got ${String(next.nextLinkIn)}`);
  if (next.nextLinkOrigin !== null && !/^https?:\/\/[^/?#\s]+$/.test(next.nextLinkOrigin))
    problems.push(`nextLinkOrigin must be like https://host[:port] (no path), got ${String(next.nextLinkOrigin)}`);
  for (const key of [
    'latencyMs',
    'timeoutDelayMs',
    'timeoutAboveTop',
    'tooLargeAboveTop',
    'tooLargeAboveBytes',
    'countEstimateAbove',
  ] as const) {
    const value = next[key];
    if (typeof value !== 'number' && value !== null) problems.push(`${key} must be a number`);
    else if (!nonNegative(value)) problems.push(`${key} must be >= 0, got ${value}`);
  }
  if (next.latencyMs === null || next.timeoutDelayMs === null)
    problems.push('latencyMs and timeoutDelayMs take numbers, not null');
  if (next.timeoutStatus !== 408 && next.timeoutStatus !== 504)
    problems.push(`timeoutStatus must be 408 or 504, got ${String(next.timeoutStatus)}`);
  const resources: unknown = next.thresholdResources;
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string' && isResource(r)))
    problems.push(`thresholdResources must list resources among ${RESOURCES.join(', ')}`);
  if (typeof next.compression !== 'boolean') problems.push('compression must be true or false');
  if (typeof next.omitNulls !== 'boolean') problems.push('omitNulls must be true or false');
  for (const key of Object.keys(rest)) if (!(key in DEFAULT_SERVICE_SETTINGS)) problems.push(`unknown setting ${key}`);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  return next;
}
