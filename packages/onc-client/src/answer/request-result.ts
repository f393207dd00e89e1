import type { OncCallContext } from '../call-context.js';
import { OncProtocolError } from '../errors/onc-protocol-error.js';
import type { RequestResult } from '../outcome.js';
import { parseByteSize, parseSeconds } from '../parse/estimates.js';
import { isRecord, readInteger, readNumber, readString } from './json-shape.js';

/** Estimates arrive as strings ("151 kB") but a number is just as readable. */
function readEstimate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return readString(value);
}

function readDownloadTimes(value: unknown): Record<string, number> | undefined {
  if (!isRecord(value)) return undefined;
  const times: Record<string, number> = {};
  for (const [speed, seconds] of Object.entries(value)) {
    const parsed = readNumber(seconds);
    if (parsed !== undefined) times[speed] = parsed;
  }
  return times;
}

function readMessages(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((message) => (typeof message === 'string' ? message : JSON.stringify(message)));
}

/**
 * A request answer in either shape: generated products (estimatedFileSize/estimatedProcessingTime, disclaimer,
 * citations, messages) or products already in the archive (numFiles, fileSize, compressedFileSize, downloadTimes).
 */
export function parseRequestResult(body: unknown, context: OncCallContext, httpStatus: number): RequestResult {
  if (!isRecord(body)) throw new OncProtocolError(context, httpStatus, 'expected a JSON object');
  const dpRequestId = readInteger(body.dpRequestId);
  if (dpRequestId === undefined)
    throw new OncProtocolError(context, httpStatus, 'the answer has no numeric dpRequestId');

  const result: RequestResult = {
    dpRequestId,
    citations: Array.isArray(body.citations) ? (body.citations as unknown[]) : [],
    messages: readMessages(body.messages),
    raw: body,
  };
  const sizeText = readEstimate(body.estimatedFileSize);
  if (sizeText !== undefined) {
    result.estimatedFileSizeText = sizeText;
    result.estimatedFileSizeBytes = parseByteSize(sizeText);
  }
  const timeText = readEstimate(body.estimatedProcessingTime);
  if (timeText !== undefined) {
    result.estimatedProcessingTimeText = timeText;
    result.estimatedProcessingSeconds = parseSeconds(timeText);
  }
  const numFiles = readInteger(body.numFiles);
  if (numFiles !== undefined) result.numFiles = numFiles;
  const fileSize = readNumber(body.fileSize);
  if (fileSize !== undefined) result.fileSize = fileSize;
  const compressedFileSize = readNumber(body.compressedFileSize);
  if (compressedFileSize !== undefined) result.compressedFileSize = compressedFileSize;
  const downloadTimes = readDownloadTimes(body.downloadTimes);
  if (downloadTimes !== undefined) result.downloadTimes = downloadTimes;
  const disclaimer = readString(body.disclaimer);
  if (disclaimer !== undefined) result.disclaimer = disclaimer;
  return result;
}
