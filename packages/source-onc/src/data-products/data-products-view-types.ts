import type { FileView, OrderView, ProductView } from '@onc-orders/jobs';
import type { z } from 'zod';
import type { dataProductsViewSchema } from './data-products-view.js';

type Fields<Shape extends z.ZodRawShape> = { [K in keyof Shape]: z.infer<Shape[K]> };
type OrderFields = Fields<typeof dataProductsViewSchema.order>;
type ProductFields = Fields<typeof dataProductsViewSchema.product>;
type FileFields = Fields<typeof dataProductsViewSchema.file>;

/** An ONC data product's file as the API shows it: the core's fields and ONC's (index, run, dpRunId). */
export type DataProductFileView = FileView<FileFields>;
/** An ONC data product as the API shows it. */
export type DataProductView = ProductView<ProductFields, FileFields>;
/** An ONC data-products order as the API shows it. */
export type DataProductsOrderView = OrderView<OrderFields, ProductFields, FileFields>;
