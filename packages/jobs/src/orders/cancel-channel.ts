/** The Redis pub/sub channel on which an order's cancellation reaches every worker process. */
export function cancelChannel(queuePrefix: string): string {
  return `${queuePrefix}:cancel-order`;
}
