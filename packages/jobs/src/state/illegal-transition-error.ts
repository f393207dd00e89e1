/** A status change the state machine forbids, or one that lost a race with another process. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly entity: string,
    readonly entityId: string | number,
    readonly from: string | undefined,
    readonly to: string,
  ) {
    super(`${entity} ${entityId}: cannot go from ${from ?? '(missing)'} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}
