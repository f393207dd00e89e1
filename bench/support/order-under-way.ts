/**
 * Makes a freshly submitted ONC data-products order look like one well under way, without running it: the rows the
 * pipeline would have written by then (product states with dpRequestIds and runs, files with paths, sizes and
 * sha256, the history of every transition), written straight into the shared SQLite file in one transaction.
 * Running 10,000 products through real workers would take minutes of the whole machine and measure nothing the views
 * care about: they read only these rows.
 */
import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '@onc-orders/jobs';

export interface OrderUnderWay {
  productsByStatus: Record<string, number>;
  files: number;
  filesByStatus: Record<string, number>;
  events: number;
}

/**
 * Which stage each product has reached, by its ordinal's last digit: 0–5 complete (3 files), 6 downloading (1 of its
 * 3 files complete, 1 downloading, 1 pending), 7 running at ONC, 8 requested, 9 still pending. Every page of the
 * order's products therefore holds each stage.
 */
type Stage = 'complete' | 'downloading' | 'running' | 'requested' | 'pending';
const stageOf = (ordinal: number): Stage =>
  (['complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'downloading', 'running', 'requested'][
    ordinal % 10
  ] ?? 'pending') as Stage;

/** The product's ONC state at its stage, as the data-products source saves it (data-products-state.ts). */
function stateAt(stage: Stage, ordinal: number, at: number) {
  const requested = stage !== 'pending';
  const run = stage === 'complete' || stage === 'downloading' || stage === 'running';
  return {
    dpRequestId: requested ? 10_000_000 + ordinal : null,
    runRequestedAt: run ? at : null,
    requestSentAt: null,
    requestsSent: requested ? 1 : 0,
    requestsLost: 0,
    estimatedFileSizeBytes: requested ? 2_400_000 : null,
    estimatedProcessingSeconds: requested ? 45 : null,
    messages: requested ? ['Data product request submitted; one run per device.'] : [],
    runs: run
      ? [
          {
            dpRunId: 20_000_000 + ordinal,
            status: stage === 'running' ? 'running' : 'complete',
            fileCount: stage === 'running' ? 0 : 2,
          },
        ]
      : [],
  };
}

const noteAt: Record<Stage, string | null> = {
  complete: 'Request Complete',
  downloading: 'Request Complete',
  running: 'Data product running: generating (2 of 3 files)',
  requested: null,
  pending: null,
};

/** The product's status transitions up to its stage (the core's names), as `events` records them. */
const productPath: Record<Stage, Array<[string, string]>> = {
  complete: [
    ['pending', 'preparing'],
    ['preparing', 'downloading'],
    ['downloading', 'complete'],
  ],
  downloading: [
    ['pending', 'preparing'],
    ['preparing', 'downloading'],
  ],
  running: [['pending', 'preparing']],
  requested: [['pending', 'preparing']],
  pending: [],
};
const coreStatus: Record<Stage, string> = {
  complete: 'complete',
  downloading: 'downloading',
  running: 'preparing',
  requested: 'preparing',
  pending: 'pending',
};

const filePath: Record<string, Array<[string, string]>> = {
  complete: [
    ['pending', 'downloading'],
    ['downloading', 'complete'],
  ],
  downloading: [['pending', 'downloading']],
  pending: [],
};

interface ProductRowIds {
  id: number;
  ordinal: number;
  params: string;
}

/** A file name as ONC sends them: site, device, window and the processing level. */
function remoteName(params: string, index: string): string {
  const filters = JSON.parse(params) as Record<string, string>;
  const stamp = (text: string | undefined) => (text ?? '').replace(/[-:]/g, '').replace(/\.000Z$/, 'Z');
  const base = `${filters['locationCode']}_${filters['deviceCategoryCode']}_${stamp(filters['dateFrom'])}_${stamp(filters['dateTo'])}`;
  return index === 'meta' ? `${base}_META.txt` : `${base}-clean-${index}.${filters['extension'] ?? 'csv'}`;
}

/** Writes the order's progress; the order must be freshly submitted (its products all pending, no files). */
export function putOrderUnderWay(database: SqliteDatabase, orderId: string, now = Date.now()): OrderUnderWay {
  const { sqlite } = database;
  const products = sqlite
    .prepare('select id, ordinal, params from products where order_id = ? order by ordinal')
    .all(orderId) as ProductRowIds[];
  const updateProduct = sqlite.prepare(
    'update products set status = ?, state = ?, note = ?, step = ?, attempts = ?, updated_at = ? where id = ?',
  );
  const insertFile = sqlite.prepare(
    `insert into files (order_id, product_id, ref, status, meta, remote_name, relative_path, size, sha256,
       bytes_downloaded, attempts, fetch_count, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = sqlite.prepare(
    `insert into events (order_id, entity, entity_id, kind, from_status, to_status, reason, at)
     values (?, ?, ?, 'transition', ?, ?, ?, ?)`,
  );
  const productsByStatus: Record<string, number> = {};
  const filesByStatus: Record<string, number> = {};
  let events = 0;
  let files = 0;
  const write = sqlite.transaction(() => {
    // The history starts an hour ago; each product's steps follow one another a fraction of a second apart.
    let at = now - 3_600_000;
    sqlite
      .prepare("update orders set status = 'running', updated_at = ? where id = ? and status = 'queued'")
      .run(now, orderId);
    insertEvent.run(orderId, 'order', orderId, 'queued', 'running', 'expanded into products', at);
    events += 1;
    for (const product of products) {
      const stage = stageOf(product.ordinal);
      at += 100;
      for (const [from, to] of productPath[stage]) {
        insertEvent.run(orderId, 'product', String(product.id), from, to, `${to} (bench)`, (at += 10));
        events += 1;
      }
      const status = coreStatus[stage];
      productsByStatus[status] = (productsByStatus[status] ?? 0) + 1;
      updateProduct.run(
        status,
        JSON.stringify(stateAt(stage, product.ordinal, at)),
        noteAt[stage],
        productPath[stage].length,
        stage === 'pending' ? 0 : 1,
        at,
        product.id,
      );
      if (stage !== 'complete' && stage !== 'downloading') continue;
      const fileStatuses =
        stage === 'complete' ? ['complete', 'complete', 'complete'] : ['complete', 'downloading', 'pending'];
      ['1', '2', 'meta'].forEach((index, position) => {
        const fileStatus = fileStatuses[position] ?? 'pending';
        const name = remoteName(product.params, index);
        const size = index === 'meta' ? 4_096 : 1_000_000 + ((product.ordinal * 7_919 + position) % 1_000_000);
        const complete = fileStatus === 'complete';
        const ref = `product-${product.ordinal}/run-1/${index === 'meta' ? 'meta' : `file-${index}`}`;
        const meta = JSON.stringify({ run: 0, index, dpRunId: 20_000_000 + product.ordinal });
        const info = insertFile.run(
          orderId,
          product.id,
          ref,
          fileStatus,
          meta,
          fileStatus === 'pending' ? null : name,
          fileStatus === 'pending' ? null : `${orderId}/${name}`,
          complete ? size : null,
          complete ? createHash('sha256').update(ref).digest('hex') : null,
          complete ? size : fileStatus === 'downloading' ? Math.floor(size / 3) : 0,
          fileStatus === 'pending' ? 0 : 1,
          complete ? 1 : 0,
          at,
          (at += 50),
        );
        files += 1;
        filesByStatus[fileStatus] = (filesByStatus[fileStatus] ?? 0) + 1;
        for (const [from, to] of filePath[fileStatus] ?? []) {
          insertEvent.run(orderId, 'file', String(info.lastInsertRowid), from, to, `${to} (bench)`, (at += 10));
          events += 1;
        }
      });
    }
  });
  write.immediate();
  return { productsByStatus, files, filesByStatus, events };
}
