import { TransientFailure, type PrepareOutcome, type ProductSnapshot, type StepContext } from '@onc-orders/jobs';
import { minTimeoutTop } from './datastream-resources.js';
import type { DataStreamService } from './datastream-service.js';
import type { DataStreamSpec } from './datastream-spec.js';
import { firstPageUrl, nextLinkProblem, withTop } from './partition-query.js';
import {
  partitionFileName,
  partitionTitle,
  type PartitionFileMeta,
  type PartitionParams,
  type PartitionState,
} from './partition-state.js';
import { readRefusal } from './read-refusal.js';
import { SlotBusy } from './slot-busy.js';
import { doisAfterPage, serialisePage } from './serialise-page.js';

/**
 * How long a page waits for the fleet's one DataStream slot before it gives its worker slot back and comes again:
 * a partition queued behind many others does not sit on a worker's job slot meanwhile.
 */
const slotWaitMs = 2_000;

export type PullSnapshot = ProductSnapshot<DataStreamSpec, PartitionParams, PartitionState>;
type Outcome = PrepareOutcome<PartitionState, PartitionFileMeta>;

export function partitionFile(spec: DataStreamSpec, params: PartitionParams) {
  const meta: PartitionFileMeta = {
    resource: spec.resource,
    locationId: params.locationId,
    year: params.year,
    format: spec.format,
  };
  const name = partitionFileName(meta);
  return { ref: name, name, meta };
}

/** The URL of the page a partition's state points at, asking for the state's `$top`. */
function currentUrl(service: DataStreamService, product: PullSnapshot): string {
  const { state } = product;
  return state.next === null
    ? firstPageUrl(service.baseUrl, product.spec, product.params, state.top)
    : withTop(state.next, state.top);
}

/** What a timeout or a 413 does to the state: retry once, then (or at once, for 413) halve `$top`. */
function lowerTop(product: PullSnapshot, kind: 'timeout' | 'too-large', message: string): Outcome | undefined {
  const { state } = product;
  if (kind === 'timeout' && !state.timeoutRetried) {
    return {
      kind: 'continue',
      state: { ...state, timeoutRetried: true },
      reason: `${message}; asking for the page once more`,
    };
  }
  const floor = kind === 'timeout' ? minTimeoutTop : 1;
  if (state.top <= floor) return undefined;
  const top = Math.max(floor, Math.floor(state.top / 2));
  return { kind: 'continue', state: { ...state, top }, reason: `${message}; $top ${state.top} → ${top}` };
}

/**
 * One page of a partition: the page the committed state points at is asked for, its rows serialised, and handed to
 * the core with the state that points past it (the next link, the counts, the DOIs). The core appends the rows at the
 * file's committed length, fsyncs, then commits that state: so a crash anywhere repeats at most this page, and the
 * rows that page already put on disk are cut off before it is written again.
 */
export async function pullStep(
  service: DataStreamService,
  product: PullSnapshot,
  context: StepContext<PartitionState>,
): Promise<Outcome> {
  const { spec, params, state } = product;
  const file = partitionFile(spec, params);
  if (state.done) {
    return { kind: 'rows', state, file, chunk: Buffer.alloc(0), rows: 0, done: true, reason: 'last page committed' };
  }
  const url = currentUrl(service, product);
  let answer;
  try {
    answer = await service.client.get(url, context.signal, slotWaitMs);
  } catch (error) {
    if (!(error instanceof SlotBusy)) throw error;
    return { kind: 'wait', state, waitMs: slotWaitMs + Math.floor(Math.random() * slotWaitMs), reason: error.message };
  }
  if (answer.kind === 'refused') {
    const reading = readRefusal(answer, service.forbidden);
    switch (reading.kind) {
      case 'transient':
        throw reading.failure;
      case 'bad-key':
        return { kind: 'rejected', state, error: reading.error, endsOrder: true };
      case 'refused':
        return { kind: 'rejected', state, error: reading.error };
      case 'timeout':
      case 'too-large': {
        const lowered = lowerTop(product, reading.kind, reading.error.message);
        if (lowered) return lowered;
        if (reading.kind === 'timeout') {
          throw new TransientFailure(`${reading.error.message}, even with $top ${state.top}`);
        }
        return {
          kind: 'rejected',
          state,
          error: { ...reading.error, message: `${reading.error.message}, even for one row: select fewer fields` },
        };
      }
    }
  }
  service.forbidden.accepted();
  const firstPage = state.pages === 0;
  if (firstPage && answer.value.length === 0 && answer.nextLink === null) {
    return {
      kind: 'nodata',
      state: { ...state, timeoutRetried: false },
      error: {
        code: null,
        parameter: null,
        message: `DataStream has no ${spec.resource} for ${partitionTitle(params)}`,
      },
    };
  }
  if (answer.nextLink !== null) {
    const problem = nextLinkProblem(answer.nextLink, url, service.baseUrl);
    if (problem) return { kind: 'rejected', state, error: { code: null, parameter: null, message: problem } };
  }
  const chunk = serialisePage(spec, answer, firstPage);
  const done = answer.nextLink === null;
  const next: PartitionState = {
    next: answer.nextLink,
    top: state.top,
    pages: state.pages + 1,
    rows: state.rows + answer.value.length,
    dois: doisAfterPage(state.dois, answer.value, params.doi),
    timeoutRetried: false,
    done,
  };
  return {
    kind: 'rows',
    state: next,
    file,
    chunk,
    rows: answer.value.length,
    done,
    reason: `page ${next.pages}: ${answer.value.length} rows${done ? ', the last' : ''}`,
  };
}
