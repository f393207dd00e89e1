import type { OrderCheckReport, OrderEvent, OrderSummary, OrderView, ProductView } from '@onc-orders/jobs';

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

/** The API did not answer at all (down, wrong address, refused): says where it tried and why. */
export class ApiUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = (cause as { cause?: { code?: string; message?: string } }).cause;
    super(`cannot reach the API at ${url}: ${reason?.code ?? reason?.message ?? (cause as Error).message}`);
    this.name = 'ApiUnreachableError';
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
    const url = new URL(path, this.baseUrl);
    const response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: unknown) => {
      throw new ApiUnreachableError(this.baseUrl, error);
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

  list(query: { status?: string; limit?: number }): Promise<{ items: OrderSummary[]; total: number }> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.limit) params.set('limit', String(query.limit));
    return this.call('GET', `/orders?${params.toString()}`);
  }

  /** Every event of the order, page by page. */
  async events(id: string): Promise<OrderEvent[]> {
    const all: OrderEvent[] = [];
    for (;;) {
      const after = all.at(-1)?.id;
      const page = await this.call<OrderEvent[]>(
        'GET',
        `/orders/${encodeURIComponent(id)}/events?limit=1000${after !== undefined ? `&after=${after}` : ''}`,
      );
      all.push(...page);
      if (page.length < 1000) return all;
    }
  }

  /** Every product of the order with its files, page by page (the order view holds only the first of a big order). */
  async products(id: string): Promise<ProductView[]> {
    const all: ProductView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: ProductView[]; nextCursor: string | null } | undefined = await this.call<{
        items: ProductView[];
        nextCursor: string | null;
      }>('GET', `/orders/${encodeURIComponent(id)}/products?limit=500${query}`).catch((error: unknown) => {
        // An API from before products were paged: its order view holds every product of an order of up to 500.
        if (error instanceof ApiError && error.status === 404 && all.length === 0) return undefined;
        throw error;
      });
      if (!page) return (await this.order(id)).products;
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
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
