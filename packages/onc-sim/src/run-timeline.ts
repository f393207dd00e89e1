/**
 * A run's life, derived from the clock rather than stored: a run that was started at `startedAt` is queued for
 * `queuedMs`, running for `runningMs`, then complete (or error, per its behaviour); each of its files reaches the
 * FTP server `ftpLagMs * i` after completion and is cleaned up `retentionMs` later. Only cancellation, restart and
 * file removal are stored (see sim-state.ts), so there is no background timer and a ManualClock controls it all.
 */
import type { Behaviour } from './behaviour.js';

/** Run statuses the service reports (seeds/004), plus `notStarted` for a requested-but-not-run search. */
export const RUN_STATUS = {
  notStarted: 'notStarted',
  queued: 'queued',
  running: 'running',
  complete: 'complete',
  error: 'error',
  cancelled: 'cancelled',
} as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

export interface RunClockState {
  /** When run or restart last queued the run (ms since epoch); null until the request is run. */
  startedAt: number | null;
  /** When cancel stopped the run; null when not cancelled. */
  cancelledAt: number | null;
}

export const completionTime = (startedAt: number, b: Behaviour): number => startedAt + b.queuedMs + b.runningMs;

export function runStatusAt(run: RunClockState, b: Behaviour, now: number): RunStatus {
  if (run.startedAt === null) return RUN_STATUS.notStarted;
  if (run.cancelledAt !== null) return RUN_STATUS.cancelled;
  const elapsed = now - run.startedAt;
  if (elapsed < b.queuedMs) return RUN_STATUS.queued;
  if (elapsed < b.queuedMs + b.runningMs) return RUN_STATUS.running;
  return b.outcome === 'error' ? RUN_STATUS.error : RUN_STATUS.complete;
}

export const isTerminal = (status: RunStatus): boolean => {
  switch (status) {
    case 'complete':
    case 'error':
    case 'cancelled':
      return true;
    case 'notStarted':
    case 'queued':
    case 'running':
      return false;
    default: {
      const never: never = status;
      throw new Error(`unknown run status ${String(never)}`);
    }
  }
};

/** Where a completed run's file stands. */
export type FilePresence = 'not-on-ftp-yet' | 'available' | 'cleaned-up';

/**
 * @param position 1-based data file index, or `fileCount + 1` for the metadata file (it arrives last).
 */
export function filePresenceAt(startedAt: number, b: Behaviour, position: number, now: number): FilePresence {
  const arrives = completionTime(startedAt, b) + b.ftpLagMs * position;
  if (now < arrives) return 'not-on-ftp-yet';
  if (now >= arrives + b.retentionMs) return 'cleaned-up';
  return 'available';
}

/** Progress text a download 202 carries while the run is queued or running (ONC's GUI wording). */
export function progressMessage(
  status: 'queued' | 'running',
  startedAt: number,
  b: Behaviour,
  now: number,
  segments: number,
): string {
  if (status === 'queued') return 'Queued... waiting for the task queue to start the data product.';
  const fraction = b.runningMs === 0 ? 1 : (now - startedAt - b.queuedMs) / b.runningMs;
  const total = Math.max(segments, 1);
  if (fraction < 0.8) {
    const segment = Math.min(total, Math.floor((fraction / 0.8) * total) + 1);
    return `Running... getting data for time segment ${segment} of ${total}.`;
  }
  return `Running... writing data products, time range 1 of 1...`;
}
