/**
 * `status`: the search header with its searches (runs), in the shape seeds/004 documents. A run's dpRunId is its
 * `newSearches[].searchId`, so an orchestrator that crashed after `run` answered can recover its run ids here.
 *
 * The documentation shows `searchHdrStatus` "OPEN" (before run) and "COMPLETED" (all runs done); the other header
 * values and the `taskStatus` wording below are the simulator's best guess.
 */
import { extensionInfo } from '../catalogue.js';
import { formatOncDate } from '../onc-dates.js';
import { jsonReply, type Reply } from '../reply.js';
import { RUN_STATUS, type RunStatus } from '../run-timeline.js';
import type { SimRequest, SimRun } from '../sim-state.js';
import { requestParam, type MethodContext } from './context.js';

function taskStatus(status: RunStatus): string | null {
  switch (status) {
    case 'notStarted':
      return null;
    case 'queued':
      return 'Queued';
    case 'running':
      return 'Running';
    case 'complete':
      return 'Completed';
    case 'error':
      return 'Error';
    case 'cancelled':
      return 'Cancelled';
    default: {
      const never: never = status;
      throw new Error(`unknown run status ${String(never)}`);
    }
  }
}

function headerStatus(statuses: RunStatus[]): string {
  if (statuses.every((s) => s === RUN_STATUS.notStarted)) return 'OPEN';
  if (statuses.every((s) => s === RUN_STATUS.complete)) return 'COMPLETED';
  if (statuses.some((s) => s === RUN_STATUS.error)) return 'ERROR';
  if (statuses.every((s) => s === RUN_STATUS.cancelled || s === RUN_STATUS.complete)) return 'CANCELLED';
  return 'RUNNING';
}

export function handleStatus(ctx: MethodContext): Reply {
  const found = requestParam(ctx);
  if (!found.ok) return found.reply;
  const { request } = found;
  const runs = ctx.state.runsOf(request);
  const statuses = runs.map((run) => ctx.state.statusOf(run, ctx.now));
  const modifyDate = formatOncDate(request.ranAt ?? request.createdAt);
  return jsonReply(200, {
    cartId: null,
    cartStatus: 0,
    description: '',
    fixed_dates: false,
    modifyBy: 49860,
    modifyDate,
    name: '',
    newSearches: runs.map((run, i) => newSearch(request, run, statuses[i] ?? RUN_STATUS.notStarted, i)),
    runningSearches: {},
    searchHdrId: request.dpRequestId,
    searchHdrStatus: headerStatus(statuses),
    searchSourceId: 5,
  });
}

function newSearch(request: SimRequest, run: SimRun, status: RunStatus, ordinal: number) {
  const { search } = request;
  const device = search.devices[ordinal % search.devices.length];
  const ext = extensionInfo(search.extension);
  const options = JSON.stringify(search.options);
  const category = device?.deviceCategoryCode ?? search.deviceCategoryCode;
  return {
    dataProductFormat: {
      archiveFileTypeId: 12,
      dataProductFormatId: 2,
      dataProductFormatName: null,
      dataProductId: 1,
      extension: { ...ext, extension: search.extension },
      mode: null,
      modifyBy: 2685,
      modifyDate: '2009-11-12T10:54:08.000Z',
    },
    dateCreated: formatOncDate(request.createdAt),
    dateFrom: formatOncDate(search.fromMs),
    dateTo: formatOncDate(search.toMs),
    deviceCategoryName: category,
    deviceId: search.deviceCode !== null && device ? device.deviceId : null,
    deviceName: search.deviceCode !== null && device ? device.deviceName : null,
    formatId: null,
    interopId: null,
    interopIdentifier: null,
    interopSubIdentifier: null,
    itemId: null,
    maxDepth: null,
    maxLat: null,
    maxLon: null,
    minDepth: null,
    minLat: null,
    minLon: null,
    notification: null,
    parameter: options,
    productId: null,
    results: null,
    searchDtls: device
      ? [{ deviceId: device.deviceId, deviceName: device.deviceName, sensorId: null, sensorName: null }]
      : null,
    searchId: run.dpRunId,
    searchNodeId: 15,
    searchTypeId: 8,
    sensorId: null,
    sensorName: search.propertyCode,
    siteDeviceId: null,
    slow: false,
    subsamplePeriod: null,
    subsampleType: null,
    taskHistoryId: run.startedAt === null ? null : 18_000_000 + run.dpRunId,
    taskStatus: taskStatus(status),
    venusSearchParameter: {
      dataFormatId: 0,
      extraParameters: options,
      locationId: 0,
      regionId: 0,
      siteId: 0,
      studyAreaId: 0,
      waterPropertyId: 0,
    },
  };
}
