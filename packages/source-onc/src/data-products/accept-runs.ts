import type { ListedFile, PrepareOutcome, StepEvent } from '@onc-orders/jobs';
import type { RunInfo } from '@onc-orders/onc-client';
import { fileRef, type DataProductFileMeta, type DataProductState, type SavedRun } from './data-products-state.js';
import { pollDelayOf, type DataProductStep } from './step-context.js';

type Outcome = PrepareOutcome<DataProductState, DataProductFileMeta>;

/**
 * ONC's runs, matched by their position in its answer. A re-ordered product gets new dpRunIds for the same
 * positions, so its files (keyed by position and index) carry over. `status` tells no file count: the one `run`
 * gave for the same run is kept.
 */
function recordRuns(saved: readonly SavedRun[], reported: readonly RunInfo[]): SavedRun[] {
  return reported.map((run, ordinal) => {
    const before = saved[ordinal];
    const fileCount = run.fileCount ?? (before?.dpRunId === run.dpRunId ? before.fileCount : null);
    return { dpRunId: run.dpRunId, status: run.status, fileCount };
  });
}

/**
 * Every file the product's runs yield: all indices when ONC told the count, otherwise index 1 (each success adds the
 * next until ONC answers 204/404), plus each run's metadata file when the order asks for it.
 */
function filesOf(step: DataProductStep, runs: readonly SavedRun[]): Array<ListedFile<DataProductFileMeta>> {
  return runs.flatMap((run, position) => {
    const indices: string[] = [];
    for (let index = 1; index <= Math.max(1, run.fileCount ?? 0); index += 1) indices.push(String(index));
    if (step.product.spec.includeMetadataFile) indices.push('meta');
    return indices.map((index) => {
      const meta = { run: position, index, dpRunId: null };
      return { ref: fileRef(step.product.ordinal, meta), meta };
    });
  });
}

/**
 * What ONC's report of a product's runs means: a run in error or cancelled on ONC's side ends the product; when every
 * run is complete its files are known; otherwise it waits for ONC's processing (polled with `status`).
 */
export function acceptRuns(
  step: DataProductStep,
  state: DataProductState,
  reported: readonly RunInfo[],
  reason: string,
  events: StepEvent[] = [],
): Outcome {
  if (reported.length === 0) throw new Error(`ONC reported no run for dpRequestId ${state.dpRequestId}`);
  const next: DataProductState = { ...state, runs: recordRuns(state.runs, reported) };
  const broken = reported.find((run) => run.status === 'error' || run.status === 'cancelled');
  if (broken) {
    const what = broken.status === 'error' ? 'ended in error' : 'was cancelled on ONC';
    return {
      kind: 'rejected',
      state: next,
      error: { code: null, parameter: null, message: `ONC run ${broken.dpRunId} ${what} (${broken.rawStatus})` },
    };
  }
  if (reported.every((run) => run.status === 'complete')) {
    return {
      kind: 'files',
      state: next,
      files: filesOf(step, next.runs),
      reason: `${reason}; every run is complete`,
      events,
    };
  }
  const waiting = state.runs.length === 0 ? [...events, { kind: 'step', reason }] : events;
  return { kind: 'wait', state: next, waitMs: pollDelayOf(step.service, next), reason, events: waiting };
}
