import {
  callAnswerOf,
  FleetRateLimiter,
  FleetSemaphore,
  silentServiceObserver,
  TransientFailure,
  type ServiceLimits,
  type SourceDependencies,
} from '@onc-orders/jobs';
import { DataStreamClient, type DataStreamAnswer } from './datastream-client.js';
import { simulatorApiKey, type DataStreamSettings } from './datastream-settings.js';
import { FleetPause } from './fleet-pause.js';
import { ForbiddenTracker } from './forbidden-tracker.js';
import { SlotBusy } from './slot-busy.js';

/** DataStream's name in the queues (`downloads-datastream`) and the metrics. */
const dataStreamServiceName = 'datastream';

/** How much longer than its longest call a worker that died mid-call keeps the fleet's one slot. */
const slotHoldMarginMs = 5_000;

/** What every DataStream step shares: one client behind the fleet-wide limits, the API base, and its limits. */
export interface DataStreamService {
  client: DataStreamClient;
  baseUrl: string;
  limits: ServiceLimits;
  forbidden: ForbiddenTracker;
  /** `$top` of a partition's first page. */
  pageSize: number;
}

/**
 * The DataStream client every step uses. Before every call it takes the fleet's one DataStream slot (one request in
 * flight across all workers), then a place in the per-second budget (`DATASTREAM_MAX_RPS`) — in that order, so that
 * a call starts right after its budget place and the service sees no more than the budget in any second. After a
 * 429, every worker waits out its Retry-After (or a second) before calling again.
 */
export function createDataStreamService(settings: DataStreamSettings, deps: SourceDependencies): DataStreamService {
  const callTimeoutMs = settings.DATASTREAM_CALL_TIMEOUT_MS;
  const observer = deps.observer ?? silentServiceObserver;
  const semaphore = new FleetSemaphore(
    deps.redis,
    `${deps.queuePrefix}:datastream-in-flight`,
    1,
    callTimeoutMs + slotHoldMarginMs,
    { onWaited: (seconds) => observer.waitedForCap(dataStreamServiceName, 'in-flight', seconds) },
  );
  const limiter = new FleetRateLimiter(
    deps.redis,
    `${deps.queuePrefix}:datastream-calls`,
    settings.DATASTREAM_MAX_RPS,
    {
      onWaited: (seconds) => observer.waitedForCap(dataStreamServiceName, 'calls-per-second', seconds),
    },
  );
  const pause = new FleetPause(deps.redis, `${deps.queuePrefix}:datastream-paused`);
  /** Waits out a pause the fleet keeps after a 429, and counts the time waited. */
  const waitOutPause = async (signal: AbortSignal | undefined, atMostMs?: number): Promise<number> => {
    const started = performance.now();
    try {
      return await pause.wait(signal, atMostMs);
    } finally {
      observer.waitedForCap(dataStreamServiceName, 'pause', (performance.now() - started) / 1_000);
    }
  };
  const client = new DataStreamClient({
    apiKey: settings.DATASTREAM_API_KEY ?? simulatorApiKey,
    timeoutMs: callTimeoutMs,
    guard: async (call, signal, slotWaitMs) => {
      await waitOutPause(signal);
      const giveUp = slotWaitMs === undefined ? undefined : AbortSignal.timeout(slotWaitMs);
      const acquireSignal = giveUp && signal ? AbortSignal.any([signal, giveUp]) : (giveUp ?? signal);
      let holding = false;
      let answer: DataStreamAnswer;
      try {
        answer = await semaphore.hold(async () => {
          holding = true;
          // A 429 may have come while this call waited for the slot: it is honoured here too.
          const left = await waitOutPause(signal, slotHoldMarginMs);
          if (left > 0) throw new TransientFailure('DataStream asked every caller to wait (429)', left);
          await limiter.acquire(signal);
          const answered = await call();
          // Paused before the slot is given up: the next holder looks for a pause only once it has the slot.
          if (answered.kind === 'refused' && answered.status === 429)
            await pause.pauseFor(answered.retryAfterMs ?? 1_000);
          return answered;
        }, acquireSignal);
      } catch (error) {
        if (!holding && giveUp?.aborted && !signal?.aborted) {
          throw new SlotBusy(`the fleet's DataStream slot stayed taken for ${slotWaitMs} ms`);
        }
        throw error;
      }
      return answer;
    },
    onCall: (call) => {
      observer.callEnded(dataStreamServiceName, callAnswerOf(call.status, call.failure));
      deps.logger.debug({ datastream: call }, `DataStream GET ${call.path} → ${call.status ?? 'no answer'}`);
    },
  });
  return {
    client,
    baseUrl: settings.DATASTREAM_BASE_URL.replace(/\/+$/, ''),
    limits: { name: dataStreamServiceName, maxConcurrentDownloads: 1 },
    forbidden: new ForbiddenTracker(),
    pageSize: settings.DATASTREAM_PAGE_SIZE,
  };
}
