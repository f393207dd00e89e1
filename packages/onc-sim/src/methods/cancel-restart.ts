/** `cancel` stops queued and running runs; `restart` queues cancelled runs again (keeping their dpRunIds). */
import { jsonReply, type Reply } from '../reply.js';
import { requestParam, type MethodContext } from './context.js';

export function handleCancel(ctx: MethodContext): Reply {
  const found = requestParam(ctx);
  if (!found.ok) return found.reply;
  const cancelled = ctx.state.cancelRequest(found.request, ctx.now);
  return jsonReply(
    200,
    cancelled.map((run) => ({ dpRunId: run.dpRunId, status: 'cancelled' })),
  );
}

export function handleRestart(ctx: MethodContext): Reply {
  const found = requestParam(ctx);
  if (!found.ok) return found.reply;
  const restarted = ctx.state.restartRequest(found.request, ctx.now);
  return jsonReply(
    200,
    restarted.map((run) => ({ dpRunId: run.dpRunId, status: 'queued' })),
  );
}
