import { FleetRateLimiter, FleetSemaphore, type ServiceLimits, type SourceDependencies } from '@onc-orders/jobs';
import { DataStreamClient } from './datastream-client.js';
import { simulatorApiKey, type DataStreamSettings } from './datastream-settings.js';
import { ForbiddenTracker } from './forbidden-tracker.js';

/** A call that has not ended after this long is abandoned; DataStream's own limit on a query is 30 s. */
export const callTimeoutMs = 45_000;
/** How long a worker that died mid-call keeps the fleet's one slot: longer than any call it may have been making. */
const slotHoldMs = callTimeoutMs + 15_000;

/** What every DataStream step shares: one client behind the fleet-wide limits, the API base, and its limits. */
export interface DataStreamService {
  client: DataStreamClient;
  baseUrl: string;
  limits: ServiceLimits;
  forbidden: ForbiddenTracker;
}

/**
 * The DataStream client every step uses. Before every call it takes the fleet's one DataStream slot (one request in
 * flight across all workers), then a place in the per-second budget (`DATASTREAM_MAX_RPS`) — in that order, so that
 * a call starts right after its budget place and the service sees no more than the budget in any second.
 */
export function createDataStreamService(settings: DataStreamSettings, deps: SourceDependencies): DataStreamService {
  const semaphore = new FleetSemaphore(deps.redis, `${deps.queuePrefix}:datastream-in-flight`, 1, slotHoldMs);
  const limiter = new FleetRateLimiter(deps.redis, `${deps.queuePrefix}:datastream-calls`, settings.DATASTREAM_MAX_RPS);
  const client = new DataStreamClient({
    apiKey: settings.DATASTREAM_API_KEY ?? simulatorApiKey,
    timeoutMs: callTimeoutMs,
    guard: (call, signal) =>
      semaphore.hold(async () => {
        await limiter.acquire(signal);
        return call();
      }, signal),
    onCall: (call) =>
      deps.logger.debug({ datastream: call }, `DataStream GET ${call.path} → ${call.status ?? 'no answer'}`),
  });
  return {
    client,
    baseUrl: settings.DATASTREAM_BASE_URL.replace(/\/+$/, ''),
    limits: { name: 'datastream', maxConcurrentDownloads: 1 },
    forbidden: new ForbiddenTracker(),
  };
}
