import { z } from 'zod';
import { orderViewSchema } from './order-schemas.js';

export const productSchema = orderViewSchema.shape.products.element;

export const productPageSchema = z
  .object({
    items: z.array(productSchema).describe('in ordinal order, each as in GET /orders/:id'),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  })
  .describe('a page of products');
