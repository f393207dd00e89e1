/**
 * `download`: one file of a run, by index (1..n) or `meta`. While the run works the answer is a 202 with its
 * progress; once complete, the file (200), or 202/410 while it is not on the FTP server yet, 410 once deleted or
 * cleaned up, and 204 or 404 past the last file. A cancelled run answers 400 with a body that has no `errors` list,
 * as the live service does. With `deleteFile` true or absent, a file is deleted once fully sent.
 */
import type { FileSpec } from '../file-content.js';
import { oncError } from '../onc-errors.js';
import { emptyReply, errorReply, jsonReply, type PlainReply, type Reply } from '../reply.js';
import { filePresenceAt, progressMessage } from '../run-timeline.js';
import type { FileIndex } from '../sim-state.js';
import { idParam, type MethodContext } from './context.js';

const INDEX = /^-?\d{1,9}$/;

function indexParam(text: string | undefined): { ok: true; index: FileIndex } | { ok: false; reply: Reply } {
  if (text === undefined || text === '') return { ok: false, reply: errorReply(400, oncError.missing('index')) };
  if (text === 'meta') return { ok: true, index: 'meta' };
  if (!INDEX.test(text)) return { ok: false, reply: errorReply(400, oncError.invalidValue('index')) };
  const n = Number(text);
  if (n <= 0) return { ok: false, reply: errorReply(400, oncError.indexNotPositive()) };
  return { ok: true, index: n };
}

function deleteFileParam(text: string | undefined): boolean | null {
  if (text === undefined || text === '') return true;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return null;
}

export function handleDownload(ctx: MethodContext): Reply {
  const missing = ['dpRunId', 'index'].filter((n) => (ctx.params[n] ?? '') === '');
  if (missing.length > 0) return errorReply(400, oncError.missing(...missing));
  const runId = idParam(ctx, 'dpRunId');
  if (!runId.ok) return runId.reply;
  const index = indexParam(ctx.params['index']);
  if (!index.ok) return index.reply;
  const deleteFile = deleteFileParam(ctx.params['deleteFile']);
  if (deleteFile === null) return errorReply(400, oncError.invalidValue('deleteFile'));

  const run = ctx.state.run(runId.id, ctx.token);
  if (!run || run.startedAt === null) return errorReply(400, oncError.invalidRunId());
  const { behaviour: b } = ctx.state.requestOf(run);
  const status = ctx.state.statusOf(run, ctx.now);
  const startedAt = run.startedAt;

  switch (status) {
    case 'notStarted':
      return errorReply(400, oncError.invalidRunId());
    case 'cancelled':
      return jsonReply(400, { status: 'cancelled', message: 'The data product run has been cancelled.' });
    case 'queued':
    case 'running':
      return jsonReply(202, { status, message: progressMessage(status, startedAt, b, ctx.now, run.files.length) });
    case 'error':
      return jsonReply(202, { status: 'error', message: 'Error: the data product could not be generated.' });
    case 'complete':
      break;
    default: {
      const never: never = status;
      throw new Error(`unknown run status ${String(never)}`);
    }
  }

  const i = index.index;
  if (i === 'meta' && !run.meta) return errorReply(400, oncError.noMetadataFile());
  const file = i === 'meta' ? run.meta : run.files[i - 1];
  if (!file) return emptyReply(b.pastLastFile);

  const position = i === 'meta' ? run.files.length + 1 : i;
  const presence = run.removed.has(i) ? 'cleaned-up' : filePresenceAt(startedAt, b, position, ctx.now);
  switch (presence) {
    case 'not-on-ftp-yet':
      return b.ftpLagAnswer === 410 ? goneReply() : notOnFtpYetReply(file);
    case 'cleaned-up':
      return goneReply();
    case 'available':
      break;
    default: {
      const never: never = presence;
      throw new Error(`unknown file presence ${String(never)}`);
    }
  }

  return {
    kind: 'file',
    file,
    delivery: b,
    onSent: () => {
      if (deleteFile) ctx.state.removeFile(run, i);
    },
  };
}

/** The 202 a download gets while its file is on its way to the FTP server. */
export const notOnFtpYetReply = (file: FileSpec): PlainReply =>
  jsonReply(202, { status: 'running', message: `Transferring (${file.name}) to the FTP server` });

/** The 410 for a file that is not (or no longer) where the download expects it. */
export const goneReply = (): PlainReply =>
  jsonReply(410, {
    status: 'error',
    message:
      'File not found: it was deleted after an earlier download, removed by clean-up, or is not on the FTP server yet.',
  });
