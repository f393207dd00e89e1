/** The order named in the URL does not exist; answered with 404. */
export class OrderNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} not found`);
    this.name = 'OrderNotFoundError';
  }
}
