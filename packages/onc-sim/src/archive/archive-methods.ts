/**
 * The archivefile service's three methods, whichever URL form named them: list by location, list by device, and
 * download one file by name (96 when the archive has no such file, or not yet).
 */
import type { ArchiveMethod } from '../methods/method-names.js';
import { oncError } from '../onc-errors.js';
import { errorReply, type Reply } from '../reply.js';
import { ready, refuse, type Prepared, type ServiceContext } from '../service-context.js';
import { listingReply } from './archive-listing.js';
import { nameProblems, parseListing } from './archive-query.js';

function prepareListing(method: 'archivefile/location' | 'archivefile/device', ctx: ServiceContext): Prepared {
  const parsed = parseListing(method, ctx.params, ctx.catalogue, ctx.archiveOptions, ctx.now);
  if (!parsed.ok) return refuse(errorReply(400, ...parsed.errors));
  return ready(() => listingReply(ctx, parsed.value));
}

function prepareDownload(ctx: ServiceContext): Prepared {
  const problems = nameProblems('archivefile/download', ctx.params);
  if (problems.length > 0) return refuse(errorReply(400, ...problems));
  const filename = ctx.params['filename'] ?? '';
  return ready((): Reply => {
    const file = ctx.archiveFiles.find(filename, ctx.now);
    if (!file) return errorReply(400, oncError.unknownArchiveFile());
    return { kind: 'file', file: ctx.archiveFiles.spec(file), delivery: ctx.fileDelivery, onSent: () => undefined };
  });
}

export function prepareArchiveMethod(method: ArchiveMethod, ctx: ServiceContext): Prepared {
  switch (method) {
    case 'archivefile/location':
    case 'archivefile/device':
      return prepareListing(method, ctx);
    case 'archivefile/download':
      return prepareDownload(ctx);
    default: {
      const never: never = method;
      throw new Error(`unknown archive method ${String(never)}`);
    }
  }
}
