/* global document, window, fetch, EventSource, URLSearchParams, setTimeout, clearTimeout */
// The order page: the orders at `/`, one order at `/orders/:id/page`. It reads the same API routes as any client.
// Everything a server sends (file names, a service's messages, labels) is shown with textContent, never as markup.

const orderStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'];
const productStatuses = ['pending', 'preparing', 'downloading', 'complete', 'nodata', 'failed', 'cancelled'];
const endedStatuses = new Set(['completed', 'failed', 'cancelled']);
const productsPerPage = 100;

/** An element with attributes and children; strings become text nodes, so they are never parsed as markup. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'testid') element.dataset.testid = String(value);
    else if (name === 'onclick') element.addEventListener('click', value);
    else if (name === 'onchange') element.addEventListener('change', value);
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && typeof body.error === 'string' ? body.error : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, init = {}) {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function formatBytes(bytes) {
  if (typeof bytes !== 'number') return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function statusBadge(status, testid) {
  return el('span', { class: `status status-${String(status)}`, testid }, String(status));
}

/** Any value a view holds, shown whole: objects as lists of fields, lists of objects as tables. */
function renderValue(value) {
  if (value === null || value === undefined) return el('span', { class: 'none' }, '—');
  if (Array.isArray(value)) {
    if (value.length === 0) return el('span', { class: 'none' }, 'none');
    if (value.every((item) => item === null || typeof item !== 'object')) return value.map(String).join(', ');
    return renderTable(value);
  }
  if (typeof value === 'object') return renderFields(value);
  return String(value);
}

function renderFields(object, skip = []) {
  const list = el('dl');
  for (const [key, value] of Object.entries(object)) {
    if (skip.includes(key)) continue;
    list.append(el('dt', {}, key), el('dd', { 'data-field': key }, renderValue(value)));
  }
  return list;
}

function renderTable(rows, testid) {
  const columns = [];
  for (const row of rows) for (const key of Object.keys(row ?? {})) if (!columns.includes(key)) columns.push(key);
  return el(
    'table',
    { testid },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((column) => el('th', {}, column)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          {},
          columns.map((column) => el('td', { 'data-field': column }, renderValue(row?.[column]))),
        ),
      ),
    ),
  );
}

function statusSelect(statuses, selected, onChange, testid) {
  const select = el(
    'select',
    { testid, onchange: () => onChange(select.value || undefined) },
    el('option', { value: '' }, 'every status'),
    statuses.map((status) => el('option', { value: status, selected: status === selected }, status)),
  );
  return select;
}

/** Files and bytes done of what is known; the progress object's other fields are shown as they come. */
function renderProgress(progress) {
  if (!progress) return el('span', { class: 'none' }, '—');
  const total = progress.filesTotal ?? 0;
  const complete = progress.filesComplete ?? 0;
  const bytesTotal = progress.bytesExpected ?? progress.bytesTotal;
  return el(
    'div',
    { testid: 'progress' },
    el('progress', { value: complete, max: Math.max(total, 1) }),
    ' ',
    el('span', { testid: 'files-complete' }, String(complete)),
    ' / ',
    el('span', { testid: 'files-total' }, String(total)),
    ' files, ',
    el('span', { testid: 'bytes-downloaded' }, formatBytes(progress.bytesDownloaded)),
    typeof bytesTotal === 'number' ? ` of ${formatBytes(bytesTotal)}` : '',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The orders

async function showOrderList(app) {
  const params = new URLSearchParams(window.location.search);
  const status = params.get('status') || undefined;
  const table = el('tbody', { testid: 'orders' });
  const more = el('button', { testid: 'more-orders', hidden: true }, 'More');
  const message = el('p', { class: 'error', testid: 'list-error' });
  app.replaceChildren(
    el('h1', {}, 'Orders'),
    el(
      'div',
      { class: 'controls' },
      'Status: ',
      statusSelect(
        orderStatuses,
        status,
        (chosen) => {
          const next = new URLSearchParams(chosen ? { status: chosen } : {});
          window.location.search = next.toString();
        },
        'order-status-filter',
      ),
    ),
    message,
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Order', 'Status', 'Source', 'Products', 'Progress', 'Created', 'Finished'].map((name) =>
            el('th', {}, name),
          ),
        ),
      ),
      table,
    ),
    more,
  );
  let cursor;
  const loadPage = async () => {
    const query = new URLSearchParams({ limit: '50' });
    if (status) query.set('status', status);
    if (cursor) query.set('cursor', cursor);
    try {
      const page = await api(`/orders?${query.toString()}`);
      for (const order of page.items) table.append(orderRow(order));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      message.textContent = '';
    } catch (error) {
      message.textContent = `Could not read the orders: ${error.message}`;
    }
  };
  more.addEventListener('click', () => void loadPage());
  await loadPage();
}

let progressReads = Promise.resolve();

function orderRow(order) {
  const progressCell = el('td', {}, renderProgress(order.progress));
  const row = el(
    'tr',
    { 'data-order-id': order.id, testid: 'order-row' },
    el('td', {}, el('a', { href: `/orders/${encodeURIComponent(order.id)}/page` }, order.label ?? order.id)),
    el('td', {}, statusBadge(order.status)),
    el('td', {}, order.source),
    el('td', {}, String(order.productCount)),
    progressCell,
    el('td', {}, order.createdAt),
    el('td', {}, order.finishedAt ?? '—'),
  );
  // List entries may not carry their progress: then it is read from the order itself, one order at a time.
  if (!order.progress) {
    progressReads = progressReads
      .then(() => api(`/orders/${encodeURIComponent(order.id)}`))
      .then((view) => progressCell.replaceChildren(renderProgress(view.progress)))
      .catch(() => progressCell.replaceChildren(el('span', { class: 'none' }, '?')));
  }
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// One order

async function showOrder(app, orderId) {
  const base = `/orders/${encodeURIComponent(orderId)}`;
  const title = el('h1', { testid: 'order-title' });
  const statusHolder = el('span');
  const errorLine = el('p', { class: 'error', testid: 'order-error' });
  const progressHolder = el('div');
  const summaryHolder = el('div');
  const liveLine = el('span', { testid: 'live' });
  const actionMessage = el('span', { testid: 'action-message' });
  const productsHolder = el('div', { testid: 'products' });
  const pageLine = el('span', { testid: 'products-page' });
  const previous = el('button', { testid: 'previous-products', disabled: true }, 'Previous');
  const next = el('button', { testid: 'next-products', disabled: true }, 'Next');
  const historyHolder = el('div', { testid: 'history' });
  let productStatus;
  // Products whose jobs were asked for: still shown when the products are drawn again.
  const jobsShown = new Set();
  let cursors = [undefined];
  let stream;
  let refreshTimer;

  const showSummary = (order) => {
    title.replaceChildren(order.label ?? order.id, ' ');
    statusHolder.replaceChildren(statusBadge(order.status, 'order-status'));
    errorLine.textContent = order.error ?? '';
    progressHolder.replaceChildren(renderProgress(order.progress), order.progress ? renderFields(order.progress) : '');
    summaryHolder.replaceChildren(renderFields(order, ['products', 'progress', 'spec', 'label', 'error', 'status']));
  };

  const loadProducts = async () => {
    const query = new URLSearchParams({ limit: String(productsPerPage) });
    if (productStatus) query.set('status', productStatus);
    const cursor = cursors.at(-1);
    if (cursor !== undefined) query.set('cursor', cursor);
    const page = await api(`${base}/products?${query.toString()}`);
    productsHolder.replaceChildren(...page.items.map((product) => productCard(base, product, jobsShown)));
    if (page.items.length === 0) productsHolder.append(el('p', { class: 'none' }, 'No products.'));
    const first = page.items[0]?.ordinal;
    const last = page.items.at(-1)?.ordinal;
    pageLine.textContent = page.items.length ? `products ${first}–${last}` : '';
    previous.disabled = cursors.length <= 1;
    next.disabled = page.nextCursor === null;
    next.dataset.cursor = page.nextCursor ?? '';
  };

  const loadHistory = async () => {
    const answer = await api(`${base}/events`);
    // A plain list, or a page of one.
    const events = Array.isArray(answer) ? answer : (answer.items ?? []);
    historyHolder.replaceChildren(
      events.length ? renderTable(events, 'events') : el('p', { class: 'none' }, 'Nothing yet.'),
    );
  };

  const refreshDetails = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      Promise.all([loadProducts(), loadHistory()]).catch((error) => {
        actionMessage.textContent = `Could not refresh: ${error.message}`;
      });
    }, 300);
  };

  const follow = () => {
    stream?.close();
    stream = new EventSource(`${base}/stream`);
    liveLine.textContent = 'live';
    stream.addEventListener('order', (event) => {
      showSummary(JSON.parse(event.data));
      refreshDetails();
    });
    stream.addEventListener('end', () => {
      stream.close();
      liveLine.textContent = 'ended';
      refreshDetails();
    });
    stream.addEventListener('error', () => {
      if (stream.readyState === EventSource.CLOSED) liveLine.textContent = 'live updates stopped';
    });
  };

  const act = async (action) => {
    actionMessage.textContent = `${action}…`;
    try {
      const order = await api(`${base}/${action}`, { method: 'POST' });
      showSummary(order);
      actionMessage.textContent = action === 'cancel' ? 'cancelled' : 'restarted';
      if (!endedStatuses.has(order.status)) follow();
      refreshDetails();
    } catch (error) {
      actionMessage.textContent = `${action} refused: ${error.message}`;
    }
  };

  previous.addEventListener('click', () => {
    cursors = cursors.slice(0, -1);
    void loadProducts();
  });
  next.addEventListener('click', () => {
    cursors = [...cursors, next.dataset.cursor];
    void loadProducts();
  });

  const order = await api(base).catch((error) => error);
  if (order instanceof Error) {
    app.replaceChildren(el('h1', {}, 'Order'), el('p', { class: 'error', testid: 'order-error' }, order.message));
    return;
  }
  app.replaceChildren(
    el('p', {}, el('a', { href: '/' }, '← all orders')),
    title,
    el('div', { class: 'controls' }, statusHolder, liveLine),
    errorLine,
    el(
      'div',
      { class: 'controls' },
      el('button', { testid: 'cancel', onclick: () => void act('cancel') }, 'Cancel'),
      el('button', { testid: 'restart', onclick: () => void act('restart') }, 'Restart'),
      actionMessage,
    ),
    el('h2', {}, 'Progress'),
    progressHolder,
    el('h2', {}, 'Order'),
    summaryHolder,
    el('h2', {}, 'Products'),
    el(
      'div',
      { class: 'controls' },
      'Status: ',
      statusSelect(
        productStatuses,
        undefined,
        (chosen) => {
          productStatus = chosen;
          cursors = [undefined];
          void loadProducts();
        },
        'product-status-filter',
      ),
      previous,
      next,
      pageLine,
    ),
    productsHolder,
    el('h2', {}, 'History'),
    historyHolder,
  );
  showSummary(order);
  await Promise.all([loadProducts(), loadHistory()]);
  if (!endedStatuses.has(order.status)) follow();
}

/** One product: its status and error first, then every other field its source shows, then its files. */
function productCard(base, product, jobsShown) {
  const jobs = el('div', { testid: 'jobs' });
  const showJobs = async () => {
    try {
      const answer = await api(`${base}/products/${product.ordinal}/jobs`);
      jobs.replaceChildren(
        answer.items.length === 0
          ? el('span', { class: 'none' }, 'The queues hold no job of this product now.')
          : el(
              'ul',
              {},
              answer.items.map((job) =>
                el(
                  'li',
                  {},
                  // Links only into the dashboard, whatever the answer says.
                  el(
                    'a',
                    { href: job.dashboardUrl.startsWith('/admin/queues/') ? job.dashboardUrl : '/admin/queues' },
                    `${job.kind} ${job.jobId}`,
                  ),
                  ` (${job.state})`,
                ),
              ),
            ),
      );
    } catch (error) {
      jobs.textContent = `Could not read its jobs: ${error.message}`;
    }
  };
  const card = el(
    'section',
    { class: 'product', testid: 'product', 'data-ordinal': product.ordinal, 'data-status': product.status },
    el('h3', {}, `#${product.ordinal} `, statusBadge(product.status, 'product-status')),
    product.error
      ? el(
          'p',
          { class: 'error', testid: 'product-error' },
          product.error.message,
          product.error.parameter ? ` (parameter ${product.error.parameter})` : '',
          product.error.code !== null && product.error.code !== undefined ? ` [code ${product.error.code}]` : '',
        )
      : null,
    renderFields(product, ['ordinal', 'status', 'error', 'files']),
    el('h4', {}, `Files (${product.files.length})`),
    product.files.length ? renderTable(product.files, 'files') : el('p', { class: 'none' }, 'No files yet.'),
    el(
      'button',
      {
        testid: 'show-jobs',
        onclick: () => {
          jobsShown.add(product.ordinal);
          void showJobs();
        },
      },
      'Jobs on Bull Board',
    ),
    jobs,
  );
  if (jobsShown.has(product.ordinal)) void showJobs();
  return card;
}

const app = document.getElementById('app');
const orderPath = /^\/orders\/([^/]+)\/page\/?$/.exec(window.location.pathname);
const shown = orderPath ? showOrder(app, decodeURIComponent(orderPath[1])) : showOrderList(app);
shown.catch((error) => {
  app.replaceChildren(el('p', { class: 'error' }, `The page failed: ${error.message}`));
});
