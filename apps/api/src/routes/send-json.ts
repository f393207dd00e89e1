import type { FastifyReply } from 'fastify';

/**
 * Sends JSON a read has already serialized (with the route's own response schema, see reads/answer-read.ts): fastify
 * sends a string as it is, so the event loop only passes the bytes on.
 */
export function sendJson(reply: FastifyReply, json: string, statusCode = 200): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(json);
}
