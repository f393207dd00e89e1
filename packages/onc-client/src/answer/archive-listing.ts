import type { OncCallContext } from '../call-context.js';
import { OncProtocolError } from '../errors/onc-protocol-error.js';
import { isRecord, readInteger, readString } from './json-shape.js';

/** One archived file as a listing describes it; only the name is always there (names-only listings). */
export interface ArchiveFileEntry {
  filename: string;
  /** The archived size (compressed, when `compression` says so). */
  fileSize?: number;
  uncompressedFileSize?: number;
  compression?: string;
  dateFrom?: string;
  dateTo?: string;
  archivedDate?: string;
  deviceCode?: string;
  dataProductCode?: string;
}

/** One page of a listing: its files, and the complete query of the next page (without the token), or null. */
export interface ArchiveListing {
  files: ArchiveFileEntry[];
  next: Record<string, string> | null;
  messages: string[];
}

function entryOf(value: unknown, context: OncCallContext): ArchiveFileEntry {
  if (typeof value === 'string' && value !== '') return { filename: value };
  if (!isRecord(value) || typeof value.filename !== 'string' || value.filename === '') {
    throw new OncProtocolError(context, 200, 'a listed file without a filename');
  }
  const entry: ArchiveFileEntry = { filename: value.filename };
  const fileSize = readInteger(value.fileSize);
  if (fileSize !== undefined) entry.fileSize = fileSize;
  const uncompressed = readInteger(value.uncompressedFileSize);
  if (uncompressed !== undefined) entry.uncompressedFileSize = uncompressed;
  for (const key of ['compression', 'dateFrom', 'dateTo', 'archivedDate', 'deviceCode', 'dataProductCode'] as const) {
    const text = readString(value[key]);
    if (text) entry[key] = text;
  }
  return entry;
}

/**
 * Reads a listing page. `next.parameters` is kept as plain strings without `token`: ONC may echo the caller's token
 * there, and the query is saved and logged.
 */
export function parseArchiveListing(json: unknown, context: OncCallContext): ArchiveListing {
  if (!isRecord(json) || !Array.isArray(json.files)) {
    throw new OncProtocolError(context, 200, 'a listing without a files array');
  }
  let next: Record<string, string> | null = null;
  if (json.next !== null && json.next !== undefined) {
    const parameters = isRecord(json.next) ? json.next.parameters : undefined;
    if (!isRecord(parameters)) throw new OncProtocolError(context, 200, 'a next page without parameters');
    next = {};
    for (const [name, value] of Object.entries(parameters)) {
      if (name === 'token' || value === null || value === undefined) continue;
      next[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const messages = Array.isArray(json.messages) ? json.messages.filter((m): m is string => typeof m === 'string') : [];
  return { files: json.files.map((value) => entryOf(value, context)), next, messages };
}
