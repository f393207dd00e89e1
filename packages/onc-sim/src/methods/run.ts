/** `run`: queues the request's runs and answers with their list. A second call is a 400 unless behaviour says otherwise. */
import { oncError } from '../onc-errors.js';
import { errorReply, type Reply } from '../reply.js';
import { requestParam, type MethodContext } from './context.js';
import { runListReply } from './run-list.js';

export function handleRun(ctx: MethodContext): Reply {
  const found = requestParam(ctx);
  if (!found.ok) return found.reply;
  const { request } = found;
  if (request.ranAt !== null) {
    if (request.behaviour.repeatRun === 'reject') return errorReply(400, oncError.alreadyRun());
  } else {
    ctx.state.startRequest(request, ctx.now);
  }
  return runListReply(ctx.state, request, ctx.now);
}
