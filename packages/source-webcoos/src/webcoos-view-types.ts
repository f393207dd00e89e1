import type { FileView, OrderView, ProductView } from '@onc-orders/jobs';
import type { z } from 'zod';
import type { webcoosViewSchema } from './webcoos-view.js';

type Fields<Shape extends z.ZodRawShape> = { [K in keyof Shape]: z.infer<Shape[K]> };
type OrderFields = Fields<typeof webcoosViewSchema.order>;
type ProductFields = Fields<typeof webcoosViewSchema.product>;
type FileFields = Fields<typeof webcoosViewSchema.file>;

/** A WebCOOS element as the API shows it: the core's fields and the element's (uuid, start, expected size). */
export type WebcoosFileView = FileView<FileFields>;
/** One window of one asset as the API shows it. */
export type WebcoosProductView = ProductView<ProductFields, FileFields>;
/** A WebCOOS order as the API shows it. */
export type WebcoosOrderView = OrderView<OrderFields, ProductFields, FileFields>;
