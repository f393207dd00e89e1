import type { Behaviour } from '../behaviour.js';
import type { Catalogue } from '../catalogue.js';
import { oncError } from '../onc-errors.js';
import { errorReply, type Reply } from '../reply.js';
import type { SimRequest, SimState } from '../sim-state.js';

/** What a method handler gets: the state, the caller's (valid) token, its other parameters and the time. */
export interface MethodContext {
  state: SimState;
  catalogue: Catalogue;
  token: string;
  /** Query parameters (first value of each), including `token` and `method`. */
  params: Readonly<Record<string, string>>;
  now: number;
  /** The full behaviour for a new request with these filters. */
  behaviourFor: (
    filters: Readonly<Record<string, string>>,
    productBehaviour: Partial<Behaviour> | undefined,
  ) => Behaviour;
  /** The service's base URL as the client called it, e.g. `http://127.0.0.1:4321/api/dataProductDelivery`. */
  serviceUrl: string;
}

const ID = /^\d{1,15}$/;

/** A positive integer id parameter, or the reply that explains why it is not one. */
export function idParam(ctx: MethodContext, name: string): { ok: true; id: number } | { ok: false; reply: Reply } {
  const text = ctx.params[name];
  if (text === undefined || text === '') return { ok: false, reply: errorReply(400, oncError.missing(name)) };
  if (!ID.test(text)) return { ok: false, reply: errorReply(400, oncError.invalidValue(name)) };
  return { ok: true, id: Number(text) };
}

/** The caller's request named by `dpRequestId`, or the 400 ONC answers. */
export function requestParam(ctx: MethodContext): { ok: true; request: SimRequest } | { ok: false; reply: Reply } {
  const id = idParam(ctx, 'dpRequestId');
  if (!id.ok) return id;
  const request = ctx.state.request(id.id, ctx.token);
  if (!request) return { ok: false, reply: errorReply(400, oncError.invalidRequestId()) };
  return { ok: true, request };
}
