export interface SpecIssue {
  /** Dotted path into the submitted spec, e.g. "filters.dateTo" or "split". */
  field: string;
  message: string;
}

/** A submitted order that cannot be accepted; nothing was written. */
export class OrderSpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid order: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`);
    this.name = 'OrderSpecError';
  }
}

/** An order that would expand to more products than the configured cap. */
export class OrderTooLargeError extends Error {
  constructor(
    readonly productCount: number,
    readonly limit: number,
  ) {
    super(
      `the order expands to ${productCount.toLocaleString('en')} products; the limit is ${limit.toLocaleString('en')}`,
    );
    this.name = 'OrderTooLargeError';
  }
}
