import {
  IdempotencyConflictError,
  OrderSpecError,
  OrderTooLargeError,
  SourceUnavailableError,
  UnknownCursorError,
} from '@onc-orders/jobs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { InvalidBodyError } from './invalid-body-error.js';
import { OrderNotFoundError } from './order-not-found-error.js';
import { validationIssues } from './validation-issues.js';
import '../route-config.js';

/** One of fastify's own errors that is the client's fault (status 400–499), e.g. a body that is not JSON. */
function asClientError(error: unknown): { status: number; message: string } | undefined {
  if (!(error instanceof Error) || !('statusCode' in error)) return undefined;
  const status = error.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? { status, message: error.message } : undefined;
}

/**
 * The one place that turns errors into responses. Known refusals keep their meaning (400 naming the fields, 404, 409);
 * fastify's own client errors (bad JSON, wrong content type, body too large) keep their status and message; anything
 * else is logged in full and answered with a bare 500, so no internal detail or secret reaches the client.
 */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return reply.code(400).send({
      error: request.routeOptions.config.invalidInputError ?? 'invalid request',
      issues: validationIssues(error.validation, error.validationContext ?? 'request'),
    });
  }
  if (error instanceof InvalidBodyError) {
    return reply
      .code(400)
      .send({ error: request.routeOptions.config.invalidInputError ?? 'invalid request', issues: error.issues });
  }
  if (error instanceof OrderNotFoundError) {
    return reply.code(404).send({ error: 'order not found' });
  }
  if (error instanceof OrderSpecError) {
    return reply.code(400).send({ error: 'invalid order', issues: error.issues });
  }
  if (error instanceof OrderTooLargeError) {
    return reply.code(400).send({ error: error.message, productCount: error.productCount, limit: error.limit });
  }
  if (error instanceof UnknownCursorError) {
    return reply.code(400).send({ error: 'invalid query', issues: [{ field: 'cursor', message: error.message }] });
  }
  if (error instanceof SourceUnavailableError) {
    // An existing order of a source this deployment has no settings for (a restart, say): not the client's mistake
    // in the request, and nothing it can fix but the deployment's settings.
    return reply.code(409).send({ error: error.message });
  }
  if (error instanceof IdempotencyConflictError) {
    return reply.code(409).send({
      error: 'this Idempotency-Key was already used for a different order spec',
      orderId: error.existingOrderId,
    });
  }
  const clientError = asClientError(error);
  if (clientError) return reply.code(clientError.status).send({ error: clientError.message });
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: 'internal error' });
}
