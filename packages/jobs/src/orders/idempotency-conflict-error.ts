/** The Idempotency-Key was used before for a different order spec. */
export class IdempotencyConflictError extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly existingOrderId: string,
  ) {
    super(`Idempotency-Key "${idempotencyKey}" was already used for order ${existingOrderId} with a different spec`);
    this.name = 'IdempotencyConflictError';
  }
}
