import type { PrepareOutcome } from '@onc-orders/jobs';
import { isAlreadyRun, type RunInfo } from '@onc-orders/onc-client';
import { acceptRuns } from './accept-runs.js';
import type { DataProductFileMeta, DataProductState } from './data-products-state.js';
import { describeOutcome, transientFromOutcome } from '../describe-outcome.js';
import type { DataProductStep } from './step-context.js';

type Outcome = PrepareOutcome<DataProductState, DataProductFileMeta>;

/**
 * Starts ONC's processing of a product. `run` is called at most once per dpRequestId: the time of the call is
 * committed first, and a retry that finds it set (the worker died before the answer was recorded) asks `status` for
 * the runs instead of calling `run` again.
 */
export async function runStep(step: DataProductStep, dpRequestId: number): Promise<Outcome> {
  const { product, context, service } = step;
  if (product.state.runRequestedAt !== null) {
    const recovered = await recoverRunsFromStatus(step, dpRequestId, product.state);
    if (recovered !== 'not-started') return recovered;
  }
  const state: DataProductState = { ...product.state, runRequestedAt: Date.now() };
  await context.checkpoint(state);
  const outcome = await service.client.run(dpRequestId, context.signal);
  context.failpoint('after-run-before-save');
  switch (outcome.kind) {
    case 'ok':
      return acceptRuns(step, state, outcome.value, 'ONC ran the request');
    case 'notReady':
      return acceptRuns(
        step,
        state,
        outcome.value ?? [],
        `ONC queued the request: ${outcome.message || outcome.status}`,
      );
    case 'rejected': {
      if (isAlreadyRun(outcome.errors)) {
        const recovered = await recoverRunsFromStatus(step, dpRequestId, state, { acceptUnstarted: true });
        if (recovered !== 'not-started') return recovered;
      }
      return { kind: 'rejected', state, error: describeOutcome(outcome) };
    }
    case 'transient':
      throw transientFromOutcome(outcome);
    case 'runFailed':
    case 'endOfFiles':
    case 'gone':
    case 'cancelled':
      return { kind: 'rejected', state, error: describeOutcome(outcome) };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Finds the runs of a request whose `run` call may have happened, through `status`. ONC lists a request's searches
 * before they are run, with no task status: those mean `run` never reached ONC ('not-started'), unless ONC has just
 * said the request was already run (`acceptUnstarted`), in which case they are taken as queued.
 */
async function recoverRunsFromStatus(
  step: DataProductStep,
  dpRequestId: number,
  state: DataProductState,
  options: { acceptUnstarted?: boolean } = {},
): Promise<Outcome | 'not-started'> {
  const outcome = await step.service.client.status(dpRequestId, step.context.signal);
  if (outcome.kind === 'transient') throw transientFromOutcome(outcome);
  if (outcome.kind === 'runFailed') return { kind: 'rejected', state, error: describeOutcome(outcome) };
  if (outcome.kind !== 'ok' || outcome.value.runs.length === 0) return 'not-started';
  const runs = outcome.value.runs;
  const unstarted = runs.every((run) => run.rawStatus === '');
  if (unstarted && !options.acceptUnstarted) return 'not-started';
  if (runs.some((run) => run.status === 'cancelled')) return restartCancelledRuns(step, dpRequestId, state);
  step.context.logger.info({ productId: step.product.id, dpRequestId }, 'recovered runs through status');
  return acceptRuns(step, state, runs, 'runs recovered through status');
}

/** The order was cancelled and restarted: ONC's `restart` puts the cancelled runs back in its queue. */
async function restartCancelledRuns(
  step: DataProductStep,
  dpRequestId: number,
  state: DataProductState,
): Promise<Outcome> {
  const outcome = await step.service.client.restart(dpRequestId, step.context.signal);
  if (outcome.kind === 'transient') throw transientFromOutcome(outcome);
  if (outcome.kind === 'ok' && outcome.value.length > 0) {
    const restarted: RunInfo[] = outcome.value;
    return acceptRuns(step, state, restarted, 'ONC restarted the cancelled runs', [
      { kind: 'onc-restart', reason: `ONC restarted ${restarted.length} run(s)` },
    ]);
  }
  // ONC would not restart them: order the product again instead.
  return { kind: 'reorder', state, reason: `ONC restart answered ${outcome.kind}` };
}
