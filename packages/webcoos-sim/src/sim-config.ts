/**
 * The settings that can change while the simulator runs (in process with `configure`, out of process with
 * `POST /_sim/config`), and their validation: a patch is checked whole before any of it applies.
 */
import type { MediaAuthorizationPolicy } from './media-handler.js';
import { validateRateLimit, type RateLimitOptions } from './rate-limit.js';

export interface SimConfigPatch {
  /** Delay before every API answer, in ms (real time). */
  latencyMs?: number;
  /** The API's rate limit; null turns it off. */
  rateLimit?: RateLimitOptions | null;
  /** Whether the media host honours Range. */
  rangeSupport?: boolean;
  /** Speed limit per media download in bytes per second; 0 for none. */
  mediaBytesPerSecond?: number;
  /** What the media host does with an Authorization header: `reject` (400, as S3) or `ignore`. */
  mediaAuthorization?: MediaAuthorizationPolicy;
}

export function validateConfigPatch(patch: SimConfigPatch): void {
  if (patch.latencyMs !== undefined && !(patch.latencyMs >= 0))
    throw new RangeError(`latencyMs must be >= 0, got ${patch.latencyMs}`);
  if (patch.rateLimit) validateRateLimit(patch.rateLimit);
  if (patch.mediaBytesPerSecond !== undefined && !(patch.mediaBytesPerSecond >= 0))
    throw new RangeError(`mediaBytesPerSecond must be >= 0, got ${patch.mediaBytesPerSecond}`);
  if (patch.mediaAuthorization !== undefined && !['reject', 'ignore'].includes(patch.mediaAuthorization))
    throw new RangeError(`mediaAuthorization must be 'reject' or 'ignore', got ${String(patch.mediaAuthorization)}`);
  if (patch.rangeSupport !== undefined && typeof patch.rangeSupport !== 'boolean')
    throw new RangeError('rangeSupport must be a boolean');
}
