// Catalog & orders: the products with their stock and sale windows, a form to add one, a form to order, and the
// orders service's running counts (placed, refused...) and the orders not yet fulfilled while a sale runs, from its
// metrics through the overview.
import { call, formatTime, h, outcome, traceCell, traceViewer } from './api.js';

function productForm(onMade) {
  const result = outcome();
  const input = (name, label, attributes = {}) => [h('label', { for: 'product-' + name }, label),
    h('input', { id: 'product-' + name, name, ...attributes })];
  const form = h('form', { class: 'stack', id: 'create-product' },
    input('sku', 'SKU', { required: true, maxlength: 64 }), input('name', 'Name', { required: true, maxlength: 200 }),
    input('price', 'Price (cents)', { type: 'number', min: 0, required: true }),
    input('currency', 'Currency', { value: 'EUR', maxlength: 3, size: 4 }),
    input('stock', 'Stock', { type: 'number', min: 0, required: true }),
    input('saleStartsAt', 'Sale starts (optional)', { type: 'datetime-local' }),
    input('saleEndsAt', 'Sale ends (optional)', { type: 'datetime-local' }),
    h('div', { class: 'wide' }, h('button', { type: 'submit' }, 'Create product')),
    h('div', { class: 'wide' }, result.element));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.clear();
    const value = (name) => form.elements[name].value.trim();
    const body = { sku: value('sku'), name: value('name'), price: Number(value('price')), currency: value('currency'),
      stock: Number(value('stock')) };
    for (const name of ['saleStartsAt', 'saleEndsAt']) {
      if (value(name)) {
        body[name] = new Date(value(name)).toISOString();
      }
    }
    try {
      const made = await call('POST', '/api/catalog/products', body);
      result.done('Product ' + made.id + ' created');
      onMade();
    } catch (e) {
      result.problem(e);
    }
  });
  return h('section', {}, h('h2', {}, 'Add a product'), form);
}

function orderForm() {
  const result = outcome();
  const form = h('form', { class: 'row', id: 'place-order' },
    h('label', {}, 'Product id', h('input', { name: 'productId', type: 'number', min: 1, required: true, size: 8 })),
    h('label', {}, 'Quantity', h('input', { name: 'quantity', type: 'number', min: 1, value: 1, required: true, size: 5 })),
    h('label', {}, 'Customer', h('input', { name: 'customerId', value: 'console', required: true, maxlength: 100 })),
    h('button', { type: 'submit' }, 'Place order'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.clear();
    try {
      const order = await call('POST', '/api/orders/orders', { customerId: form.elements.customerId.value.trim(),
        lines: [{ productId: Number(form.elements.productId.value), quantity: Number(form.elements.quantity.value) }] },
      { 'Idempotency-Key': crypto.randomUUID() });
      const trace = order.traceId ? ['; its trace: ', traceCell(order.traceId, await traceViewer())] : [];
      result.done('Order ' + order.id + ' placed (' + order.status + ')', ...trace);
    } catch (e) {
      result.problem(e);
    }
  });
  return h('section', {}, h('h2', {}, 'Place an order'), form, result.element);
}

function counters() {
  const box = h('div', { class: 'counters', id: 'order-counters', role: 'status' });
  let before = null;
  async function load() {
    try {
      const reading = await call('GET', '/console/api/overview');
      const totals = {};
      let pending = null; // the service's own count, the same on every replica: the freshest one read
      for (const service of reading.services.filter((s) => s.name === 'orders')) {
        for (const replica of service.replicas) {
          if (replica.figures && Number.isFinite(replica.figures.pendingOrders)) {
            pending = Math.max(pending ?? 0, replica.figures.pendingOrders);
          }
          for (const [outcomeName, n] of Object.entries((replica.figures && replica.figures.orders) || {})) {
            totals[outcomeName] = (totals[outcomeName] || 0) + n;
          }
        }
      }
      const seconds = before ? (reading.at - before.at) / 1000 : 0;
      const names = { placed: 'Placed', rejected: 'Refused', unavailable: 'Not placed (503)', unknown: 'Outcome unknown', replayed: 'Replayed' };
      box.replaceChildren(...Object.entries(names).map(([key, label]) => {
        const n = totals[key] || 0;
        const perSecond = seconds > 0 && before.totals ? Math.max(0, (n - (before.totals[key] || 0)) / seconds) : 0;
        return h('div', { class: 'counter', 'data-outcome': key }, h('div', { class: 'muted' }, label),
          h('div', { class: 'value' }, String(n)), h('div', { class: 'muted' }, perSecond.toFixed(1) + '/s'));
      }), h('div', { class: 'counter', 'data-outcome': 'pending' }, h('div', { class: 'muted' }, 'Pending'),
        h('div', { class: 'value' }, pending === null ? '–' : String(pending)),
        h('div', { class: 'muted' }, 'not yet fulfilled')));
      before = { at: reading.at, totals };
    } catch (e) {
      box.replaceChildren(h('p', { class: 'problem' }, String(e.message || e)));
    }
  }
  return { element: h('section', {}, h('h2', {}, 'Orders'), box), load };
}

function productList() {
  const problem = outcome();
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next page');
  const first = h('button', { type: 'button', class: 'secondary' }, 'First page');
  let next = null;
  let shown = '/api/catalog/products?limit=20';
  async function load(path) {
    shown = path;
    try {
      const page = await call('GET', path);
      next = page.next;
      more.disabled = !next;
      problem.clear();
      body.replaceChildren(...page.items.map((p) => h('tr', { 'data-product': p.id },
        h('td', { class: 'num' }, p.id), h('td', {}, p.sku), h('td', {}, p.name),
        h('td', { class: 'num' }, (p.price / 100).toFixed(2) + ' ' + p.currency), h('td', { class: 'num stock' }, p.stock),
        h('td', {}, p.saleStartsAt || p.saleEndsAt ? formatTime(p.saleStartsAt) + ' – ' + formatTime(p.saleEndsAt) : 'always'))));
      if (!page.items.length) {
        body.replaceChildren(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No products yet')));
      }
    } catch (e) {
      problem.problem(e);
    }
  }
  more.addEventListener('click', () => next && load(next));
  first.addEventListener('click', () => load('/api/catalog/products?limit=20'));
  const table = h('table', { 'aria-label': 'Products' }, h('thead', {}, h('tr', {},
    ['Id', 'SKU', 'Name', 'Price', 'Stock', 'Sale window'].map((t) => h('th', { scope: 'col' }, t)))), body);
  return {
    element: h('section', {}, h('h2', {}, 'Products'), problem.element, table, h('p', {}, first, ' ', more)),
    load: () => load('/api/catalog/products?limit=20'),
    refresh: () => load(shown),
  };
}

export function shop(view) {
  const products = productList();
  const orders = counters();
  view.append(orders.element, products.element, productForm(() => products.load()), orderForm());
  products.load();
  orders.load();
  const timer = setInterval(() => { orders.load(); products.refresh(); }, 2000);
  return { stop() { clearInterval(timer); } };
}
