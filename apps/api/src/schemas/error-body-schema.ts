import { z } from 'zod';

/** Every refusal and failure has this body; the optional fields appear where they apply. */
export const errorBodySchema = z
  .object({
    error: z.string().describe('what went wrong, for people'),
    issues: z
      .array(z.object({ field: z.string().describe('dotted path, e.g. "filters.dateTo"'), message: z.string() }))
      .optional()
      .describe('every refused field of an invalid input'),
    productCount: z.number().int().optional().describe('products the order would expand to (order too large)'),
    limit: z.number().int().optional().describe('the configured product cap (order too large)'),
    orderId: z.string().optional().describe('the order an Idempotency-Key already belongs to'),
    status: z.string().optional().describe('the order status that forbids the action'),
  })
  .describe('error');

export type ErrorBody = z.infer<typeof errorBodySchema>;
