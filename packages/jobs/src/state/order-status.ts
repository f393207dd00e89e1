/** An order's life: queued until expanded, running while any product works, then one terminal state. */
export const OrderStatus = {
  queued: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export const orderTransitions: Record<OrderStatus, readonly OrderStatus[]> = {
  queued: ['running', 'cancelled', 'failed'],
  running: ['completed', 'failed', 'cancelled'],
  // A finished order can be restarted (failed/cancelled) and a completed one re-verified by a restart too.
  completed: ['queued'],
  failed: ['queued'],
  cancelled: ['queued'],
};
