import type { OncCallContext } from '../call-context.js';
import { OncProtocolError } from '../errors/onc-protocol-error.js';
import type { RunInfo } from '../outcome.js';
import { isRecord, readInteger } from './json-shape.js';
import { normaliseRunStatus } from './run-status.js';

/**
 * The runs in a run/cancel/restart answer: `[{"dpRunId":1,"fileCount":5,"status":"complete"}]`, with the file count
 * spelled fileCount or filecount. A lone object is accepted as a list of one.
 */
export function parseRunList(body: unknown, context: OncCallContext, httpStatus: number): RunInfo[] {
  const entries = Array.isArray(body) ? (body as unknown[]) : isRecord(body) && 'dpRunId' in body ? [body] : undefined;
  if (entries === undefined) throw new OncProtocolError(context, httpStatus, 'expected a list of runs');
  return entries.map((entry, position) => {
    const dpRunId = isRecord(entry) ? readInteger(entry.dpRunId) : undefined;
    if (!isRecord(entry) || dpRunId === undefined) {
      throw new OncProtocolError(context, httpStatus, `run ${position} has no numeric dpRunId`);
    }
    const rawStatus = typeof entry.status === 'string' ? entry.status : '';
    const fileCount = readInteger(entry.fileCount ?? entry.filecount);
    const run: RunInfo = { dpRunId, status: normaliseRunStatus(rawStatus), rawStatus };
    if (fileCount !== undefined) run.fileCount = fileCount;
    return run;
  });
}
