import type { RunStatus } from '../outcome.js';

/**
 * ONC's many spellings of a run's state mapped onto five: "queued", "Queued" or null; "running" or
 * "data product running"; "complete" or "Completed"; "error", "Error" or "Failed"; "cancelled" or "Cancelled".
 * Unrecognised text counts as running: the run has not said it is finished, and callers bound their polling.
 */
export function normaliseRunStatus(raw: string | null | undefined): RunStatus {
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '' || text.includes('queue')) return 'queued';
  if (text.includes('error') || text.includes('fail')) return 'error';
  if (text.includes('cancel')) return 'cancelled';
  if (text.includes('complete')) return 'complete';
  return 'running';
}

const PROGRESS: Record<RunStatus, number> = { queued: 0, running: 1, complete: 2, cancelled: 2, error: 2 };

/** The least advanced of several statuses: what "the request" is waiting on. */
export function leastAdvanced(statuses: RunStatus[]): RunStatus | undefined {
  return statuses.reduce<RunStatus | undefined>(
    (slowest, status) => (slowest === undefined || PROGRESS[status] < PROGRESS[slowest] ? status : slowest),
    undefined,
  );
}
