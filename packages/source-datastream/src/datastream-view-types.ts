import type { FileView, OrderView, ProductView } from '@onc-orders/jobs';
import type { z } from 'zod';
import type { dataStreamViewSchema } from './datastream-view.js';

type Fields<Shape extends z.ZodRawShape> = { [K in keyof Shape]: z.infer<Shape[K]> };
type OrderFields = Fields<typeof dataStreamViewSchema.order>;
type ProductFields = Fields<typeof dataStreamViewSchema.product>;
type FileFields = Fields<typeof dataStreamViewSchema.file>;

/** A DataStream partition's file as the API shows it. */
export type DataStreamFileView = FileView<FileFields>;
/** A DataStream partition as the API shows it. */
export type DataStreamProductView = ProductView<ProductFields, FileFields>;
/** A DataStream order as the API shows it. */
export type DataStreamOrderView = OrderView<OrderFields, ProductFields, FileFields>;
