import type { Reply } from '../reply.js';
import { handleCancel, handleRestart } from './cancel-restart.js';
import type { MethodContext } from './context.js';
import { handleDownload } from './download.js';
import type { OncMethod } from './method-names.js';
import { handleRequest } from './request.js';
import { handleRun } from './run.js';
import { handleStatus } from './status.js';

const HANDLERS: Record<OncMethod, (ctx: MethodContext) => Reply> = {
  request: handleRequest,
  status: handleStatus,
  run: handleRun,
  download: handleDownload,
  cancel: handleCancel,
  restart: handleRestart,
};

export const dispatchMethod = (method: OncMethod, ctx: MethodContext): Reply => HANDLERS[method](ctx);
