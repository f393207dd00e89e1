/**
 * `request`: validates the filters, creates the request (and its runs, not yet queued) and answers with either
 * the generated-product shape (estimates as strings) or the archived-files shape (numFiles, fileSize …).
 */
import { filesForRun, type Behaviour } from '../behaviour.js';
import { errorReply, jsonReply, type Reply } from '../reply.js';
import { resolveSearch } from '../search.js';
import type { SimRequest } from '../sim-state.js';
import type { MethodContext } from './context.js';

const DISCLAIMER =
  'Software Engineering is implementing estimates of processing times and file sizes for data requests. These are ' +
  'extremely rough to begin with, but bear with us. We expect these estimates will gradually improve.';

export function handleRequest(ctx: MethodContext): Reply {
  const filters: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.params)) if (k !== 'token' && k !== 'method') filters[k] = v;

  const resolved = resolveSearch(ctx.catalogue, filters, ctx.now);
  if (!resolved.ok) return errorReply(400, ...resolved.errors);
  const { search } = resolved;

  const behaviour = ctx.behaviourFor(filters, search.product.behaviour);
  const forced = behaviour.requestError;
  if (forced) {
    const { httpStatus = 400, ...entry } = forced;
    return errorReply(httpStatus, entry);
  }
  const request = ctx.state.createRequest(ctx.token, filters, search, behaviour, ctx.now);
  return jsonReply(
    200,
    behaviour.requestShape === 'archive' ? archiveBody(request) : generatedBody(ctx, request, filters),
  );
}

function totalDataFiles(b: Behaviour): number {
  let n = 0;
  for (let i = 0; i < b.runs; i++) n += filesForRun(b, i);
  return n;
}

function archiveBody(request: SimRequest) {
  const b = request.behaviour;
  const numFiles = totalDataFiles(b);
  const fileSize = numFiles * b.fileSizeBytes;
  // ONC's example divides bytes by 10^6 × the nominal speed; kept as is.
  const seconds = (mbps: number) => fileSize / (mbps * 1_000_000);
  return {
    compressedFileSize: Math.round(fileSize * 0.18),
    downloadTimes: { '10Mbps': seconds(10), '50Mbps': seconds(50), '150Mbps': seconds(150) },
    dpRequestId: request.dpRequestId,
    fileSize,
    numFiles,
  };
}

function generatedBody(ctx: MethodContext, request: SimRequest, filters: Record<string, string>) {
  const b = request.behaviour;
  const bytes = totalDataFiles(b) * b.fileSizeBytes;
  const seconds = Math.max(1, Math.ceil((b.queuedMs + b.runningMs) / 1000));
  const query = new URLSearchParams({ method: 'request', ...filters }).toString();
  const search = request.search;
  const year = new Date(ctx.now).getUTCFullYear();
  const queryPid = 9_000_000 + request.dpRequestId;
  return {
    citations: search.devices.map((d) => ({
      citation:
        `Ocean Networks Canada Society. ${year}. ${d.deviceName} at ${d.locationCode}. ` +
        `Ocean Networks Canada Society. https://doi.org/10.80242/sim-${d.deviceId}.`,
      doi: `10.80242/sim-${d.deviceId}`,
      landingPageUrl: `https://doi.org/10.80242/sim-${d.deviceId}`,
      queryPid,
    })),
    disclaimer: DISCLAIMER,
    dpRequestId: request.dpRequestId,
    estimatedFileSize: formatSize(bytes, b.estimates),
    estimatedProcessingTime: formatDuration(seconds, b.estimates),
    messages: [...b.requestMessages],
    queryPids: [queryPid],
    queryURL: `${ctx.serviceUrl}?${query}`,
  };
}

function formatSize(bytes: number, style: Behaviour['estimates']): string {
  switch (style) {
    case 'bare':
      return String(bytes);
    case 'units':
      if (bytes < 1000) return `${bytes} B`;
      if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
      if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
      return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
    case 'prose':
      return 'no estimated file size avalible.';
    default: {
      const never: never = style;
      throw new Error(`unknown estimates style ${String(never)}`);
    }
  }
}

function formatDuration(seconds: number, style: Behaviour['estimates']): string {
  switch (style) {
    case 'bare':
      return String(seconds);
    case 'units':
      if (seconds < 60) return `${seconds} s`;
      if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
      return `${Math.round(seconds / 3600)} hour`;
    case 'prose':
      return 'No processing time estimates found for this type of data.';
    default: {
      const never: never = style;
      throw new Error(`unknown estimates style ${String(never)}`);
    }
  }
}
