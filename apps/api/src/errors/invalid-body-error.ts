import type { SpecIssue } from '@onc-orders/jobs';

/** A request body that cannot be read as JSON at all, or that holds a key no input may have; answered with 400. */
export class InvalidBodyError extends Error {
  readonly statusCode = 400;

  constructor(readonly issues: SpecIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.name = 'InvalidBodyError';
  }
}
