import type { PrepareOutcome } from '@onc-orders/jobs';
import { acceptRuns } from './accept-runs.js';
import type { DataProductFileMeta, DataProductState } from './data-products-state.js';
import { describeOutcome, transientFromOutcome } from '../describe-outcome.js';
import { pollDelayOf, type DataProductStep } from './step-context.js';

type Outcome = PrepareOutcome<DataProductState, DataProductFileMeta>;

/**
 * Checks on ONC's processing with `status` (never a second `run`). While ONC works, the same step comes back after
 * 2% of ONC's estimate: waiting costs a delayed job, not a worker slot.
 */
export async function pollStep(step: DataProductStep, dpRequestId: number): Promise<Outcome> {
  const { product, context, service } = step;
  const outcome = await service.client.status(dpRequestId, context.signal);
  switch (outcome.kind) {
    case 'ok':
      return acceptRuns(step, product.state, outcome.value.runs, 'ONC finished processing');
    case 'notReady':
      return {
        kind: 'wait',
        state: product.state,
        waitMs: pollDelayOf(service, product.state),
        reason: 'ONC is still processing',
      };
    case 'transient':
      throw transientFromOutcome(outcome);
    case 'runFailed':
    case 'rejected':
    case 'endOfFiles':
    case 'gone':
    case 'cancelled':
      return { kind: 'rejected', state: product.state, error: describeOutcome(outcome) };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
