/** The run list that `run` answers with, and the 200-or-202 rule that goes with it. */
import type { Behaviour } from '../behaviour.js';
import { jsonReply, type Reply } from '../reply.js';
import { RUN_STATUS, isTerminal, type RunStatus } from '../run-timeline.js';
import type { SimRequest, SimRun, SimState } from '../sim-state.js';

/** How the service spells a status in run/cancel/restart answers. */
export function reportedStatus(status: RunStatus, b: Behaviour): string {
  switch (status) {
    case 'notStarted':
    case 'queued':
      return 'queued';
    case 'running':
      return b.runningStatus;
    case 'complete':
    case 'error':
    case 'cancelled':
      return status;
    default: {
      const never: never = status;
      throw new Error(`unknown run status ${String(never)}`);
    }
  }
}

function runEntry(state: SimState, run: SimRun, b: Behaviour, now: number): Record<string, unknown> {
  const status = state.statusOf(run, now);
  const fileCount = status === RUN_STATUS.complete ? run.files.length : 0;
  return { dpRunId: run.dpRunId, [b.fileCountKey]: fileCount, status: reportedStatus(status, b) };
}

/** 200 when every run has finished (complete, error or cancelled), 202 while any has not. */
export function runListReply(state: SimState, request: SimRequest, now: number): Reply {
  const runs = state.runsOf(request);
  const done = runs.every((run) => isTerminal(state.statusOf(run, now)));
  return jsonReply(
    done ? 200 : 202,
    runs.map((run) => runEntry(state, run, request.behaviour, now)),
  );
}
