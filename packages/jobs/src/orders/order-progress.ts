import { and, count, eq, gte, inArray, sql, sum } from 'drizzle-orm';
import type { AppDatabase } from '../db/database.js';
import { dialectOf, tablesOf } from '../db/tables.js';
import type { SourceViews } from '../sources/source-views.js';
import type { OrderProgress } from './order-view-schema.js';

type View = NonNullable<ReturnType<SourceViews['viewOf']>>;

/** How far back the rate looks: long enough to smooth one slow file, short enough to follow a change of pace. */
export const rateWindowMs = 60_000;

/** Products whose conversation is not over: their status may read differently in the source's words. */
const openStatuses = ['pending', 'preparing', 'downloading'] as const;

async function productTallies(db: AppDatabase, orderId: string, view: View | undefined) {
  const { products } = tablesOf(db);
  const byStatus = await db
    .select({ status: products.status, n: count() })
    .from(products)
    .where(eq(products.orderId, orderId))
    .groupBy(products.status);
  const tallies: Record<string, number> = {};
  for (const row of byStatus)
    if (!(openStatuses as readonly string[]).includes(row.status)) tallies[row.status] = row.n;
  // Only open products are read whole: their source may name their status (ONC: "running") and estimate their bytes.
  const open = await db
    .select({ id: products.id, status: products.status, params: products.params, state: products.state })
    .from(products)
    .where(and(eq(products.orderId, orderId), inArray(products.status, [...openStatuses])));
  let estimate: number | null = 0;
  for (const product of open) {
    const state = JSON.parse(product.state) as unknown;
    const shown = view?.productStatus?.(product.status, state) ?? product.status;
    tallies[shown] = (tallies[shown] ?? 0) + 1;
    const expected = view?.expectedBytes?.(JSON.parse(product.params) as unknown, state) ?? null;
    estimate = estimate === null || expected === null ? null : estimate + expected;
  }
  return { tallies, openEstimate: estimate };
}

/**
 * An order's progress, from aggregates (cheap on an order of 10,000 products): products and files by status; the
 * real files (a look past a run's last file is not one); bytes written and, when every open product's source can
 * say, bytes expected; the pace over the last minute and the time left at that pace.
 */
export async function orderProgress(
  db: AppDatabase,
  orderId: string,
  view: View | undefined,
  now = Date.now(),
): Promise<OrderProgress> {
  const { files } = tablesOf(db);
  const { tallies, openEstimate } = await productTallies(db, orderId, view);
  const byStatus = await db
    .select({
      status: files.status,
      n: count(),
      bytes: sum(files.bytesDownloaded).mapWith(Number),
      size: sum(files.size).mapWith(Number),
    })
    .from(files)
    .where(eq(files.orderId, orderId))
    .groupBy(files.status);
  const fileTallies: Record<string, number> = {};
  let filesTotal = 0;
  let bytesDownloaded = 0;
  let completeBytes = 0;
  for (const row of byStatus) {
    fileTallies[row.status] = row.n;
    if (row.status !== 'absent') filesTotal += row.n;
    bytesDownloaded += row.bytes || 0;
    if (row.status === 'complete') completeBytes = row.size || 0;
  }
  const filesComplete = fileTallies['complete'] ?? 0;
  const [recent] = await db
    .select({ n: count(), size: sum(files.size).mapWith(Number) })
    .from(files)
    // On SQLite, `+status` keeps the planner from picking the status index, which holds the complete files of every
    // order ever run: this order's own files are far fewer. PostgreSQL's planner weighs the two by its statistics.
    .where(
      and(
        eq(files.orderId, orderId),
        dialectOf(db) === 'sqlite' ? sql`+${files.status} = 'complete'` : eq(files.status, 'complete'),
        gte(files.updatedAt, now - rateWindowMs),
      ),
    );
  const filesPerSecond = ((recent?.n ?? 0) * 1000) / rateWindowMs;
  const bytesPerSecond = ((recent?.size || 0) * 1000) / rateWindowMs;
  // Bytes of the files still open that are already on disk count toward both sides.
  const bytesExpected = openEstimate === null ? null : completeBytes + openEstimate;
  const openProducts = Object.entries(tallies).reduce(
    (sum, [status, n]) => (['complete', 'nodata', 'failed', 'cancelled'].includes(status) ? sum : sum + n),
    0,
  );
  const filesLeft = filesTotal - filesComplete - (fileTallies['failed'] ?? 0) - (fileTallies['cancelled'] ?? 0);
  const etaSeconds =
    bytesExpected !== null && bytesPerSecond > 0
      ? Math.max(0, Math.round((bytesExpected - completeBytes) / bytesPerSecond))
      : openProducts === 0 || filesPerSecond === 0 || filesLeft <= 0
        ? null
        : Math.round(filesLeft / filesPerSecond);
  return {
    products: tallies,
    files: fileTallies,
    filesTotal,
    filesComplete,
    bytesDownloaded,
    bytesExpected,
    rate: { windowSeconds: rateWindowMs / 1000, filesPerSecond, bytesPerSecond },
    etaSeconds: openProducts === 0 ? 0 : etaSeconds,
  };
}
