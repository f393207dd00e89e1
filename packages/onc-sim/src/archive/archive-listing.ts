/**
 * The archive listings' answer: `{ next, queryUrl, files, messages? }`. Files are names, or objects with
 * returnOptions=all / archiveLocation. When more rows match than `rowLimit`, `next.parameters` is the complete query
 * for the following page (options: `paging`, `echoToken`) and `next.url` that query as a URL; otherwise `next` is
 * null. "No data" differs by method, as the official clients' live tests show: archivefile/location answers 400 with
 * error 127, archivefile/device 200 with `files: []`.
 */
import { formatOncDate } from '../onc-dates.js';
import { oncError } from '../onc-errors.js';
import { errorReply, jsonReply, type Reply } from '../reply.js';
import type { ServiceContext } from '../service-context.js';
import type { ArchiveFile, ArchiveSelection, WalkNotes } from './archive-files.js';
import type { ListingQuery } from './archive-query.js';

/** A file as a listing writes it for the query's returnOptions. */
function row(file: ArchiveFile, query: ListingQuery): unknown {
  const archiveLocation = `/archive/${file.dataProductCode}/${file.deviceCode}`;
  switch (query.returnOptions) {
    case 'names':
      return file.filename;
    case 'archiveLocation':
      return { archiveLocation, filename: file.filename };
    case 'all': {
      const day = formatOncDate(file.dateFromMs).slice(0, 10).replace(/-/g, '/');
      return {
        archiveLocation,
        archivedDate: formatOncDate(file.archivedMs),
        compression: file.compression,
        dataProductCode: file.dataProductCode,
        dateFrom: formatOncDate(file.dateFromMs),
        dateTo: formatOncDate(file.dateToMs),
        deviceCode: file.deviceCode,
        fileSize: file.fileSize,
        filename: file.filename,
        modifyDate: formatOncDate(file.archivedMs),
        path: `${file.deviceCode}/${day}`,
        uncompressedFileSize: file.uncompressedFileSize,
      };
    }
    default: {
      const never: never = query.returnOptions;
      throw new Error(`unknown returnOptions ${String(never)}`);
    }
  }
}

/** The call's own parameters, as it sent them, without the token unless the option echoes it. */
function ownParameters(ctx: ServiceContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.params)) if (k !== 'token' || ctx.archiveOptions.echoToken) out[k] = v;
  return out;
}

const urlOf = (ctx: ServiceContext, parameters: Record<string, string>): string =>
  `${ctx.siteUrl}${ctx.path.slice(1)}?${new URLSearchParams(parameters).toString()}`;

export function selectionOf(query: ListingQuery, nowMs: number): ArchiveSelection {
  return {
    devices: query.devices,
    fromMs: query.fromMs,
    toMs: query.toMs,
    archivedFromMs: query.archivedFromMs,
    archivedToMs: query.archivedToMs,
    fileExtension: query.fileExtension,
    dataProductCode: query.dataProductCode,
    nowMs,
  };
}

export function listingReply(ctx: ServiceContext, query: ListingQuery): Reply {
  const selection = selectionOf(query, ctx.now);
  const notes: WalkNotes = { withheld: 0 };
  const files: ArchiveFile[] = [];
  let following: ArchiveFile | null = null;
  if (query.getLatest) {
    const latest = ctx.archiveFiles.latest(selection);
    if (latest && query.page === 1) files.push(latest);
  } else {
    const skip = (query.page - 1) * query.rowLimit;
    for (const file of ctx.archiveFiles.walk(selection, notes, skip)) {
      if (files.length === query.rowLimit) {
        following = file;
        break;
      }
      files.push(file);
    }
  }

  const noData = files.length === 0 && ctx.archiveFiles.walk(selection).next().done === true;
  if (noData && query.method === 'archivefile/location') return errorReply(400, oncError.noArchivedFiles());

  const own = ownParameters(ctx);
  let next: { parameters: Record<string, string>; url: string } | null = null;
  if (following) {
    const parameters = { ...own };
    if (ctx.archiveOptions.paging === 'page') {
      parameters['page'] = String(query.page + 1);
    } else {
      parameters['dateFrom'] = formatOncDate(following.dateFromMs);
      if (Number.isFinite(query.toMs)) parameters['dateTo'] = formatOncDate(query.toMs);
      delete parameters['page'];
    }
    next = { parameters, url: urlOf(ctx, parameters) };
  }
  const messages = [...ctx.archiveOptions.messages];
  if (notes.withheld > 0)
    messages.push(
      `${notes.withheld} recent file(s) matching the query are not listed yet: files are withheld until they are ` +
        'old enough; list again later.',
    );
  return jsonReply(200, {
    next,
    queryUrl: urlOf(ctx, own),
    files: files.map((f) => row(f, query)),
    ...(messages.length > 0 ? { messages } : {}),
  });
}
