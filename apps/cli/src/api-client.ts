import type { OrderCheckReport, OrderView } from '@onc-orders/jobs';

/** The API's order view, as the core defines it: the command line reads the core's fields of it. */
export type OrderProgressView = OrderView;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`API answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'ApiError';
  }
}

/** A thin client of the orchestrator's HTTP API (global fetch). */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed as T;
  }

  submit(spec: unknown, idempotencyKey?: string): Promise<OrderProgressView> {
    return this.call('POST', '/orders', spec, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  /** What the order would be and each combination's verdict from its service's catalogue; orders nothing. */
  check(spec: unknown): Promise<OrderCheckReport> {
    return this.call('POST', '/orders/check', spec);
  }

  /** The order; `productLimit` 0 leaves its products out (progress alone). */
  order(id: string, options: { productLimit?: number } = {}): Promise<OrderProgressView> {
    const query = options.productLimit !== undefined ? `?productLimit=${options.productLimit}` : '';
    return this.call('GET', `/orders/${encodeURIComponent(id)}${query}`);
  }

  cancel(id: string): Promise<OrderProgressView> {
    return this.call('POST', `/orders/${encodeURIComponent(id)}/cancel`);
  }

  restart(id: string, deleteFile?: boolean): Promise<OrderProgressView> {
    return this.call(
      'POST',
      `/orders/${encodeURIComponent(id)}/restart`,
      deleteFile === undefined ? {} : { deleteFile },
    );
  }
}
