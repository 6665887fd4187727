// Jobs: the queues (pause, resume), a form to enqueue a job of a built-in type, the jobs filtered and paged, and
// one job's detail with its live state. Everything through the gateway's /api/jobs, as any client.
import { call, formatTime, h, outcome, traceCell, traceViewer } from './api.js';

const STATES = ['available', 'scheduled', 'running', 'retryable', 'completed', 'cancelled', 'discarded'];
const TYPES = {
  'sleep': { ms: 3000, steps: 10 },
  'noop': {},
  'report.export': { report: 'products' },
  'file.compress': { path: 'reports/products-1.csv' },
  'http.request': { url: 'https://example.org/' },
};
const FINAL = new Set(['completed', 'cancelled', 'discarded']);

function stateBadge(state) {
  const kind = state === 'completed' ? 'up' : state === 'discarded' || state === 'cancelled' ? 'down'
    : state === 'retryable' ? 'warn' : '';
  return h('span', { class: 'badge ' + kind, 'data-state': state }, state);
}

/** Jobs completed and failed a second by queue, over the jobs service's replicas, between two overview readings. */
function throughput() {
  let before = null;
  return async function read() {
    const reading = await call('GET', '/console/api/overview');
    const totals = {};
    for (const service of reading.services.filter((s) => s.name === 'jobs')) {
      for (const replica of service.replicas) {
        for (const [queue, counts] of Object.entries((replica.figures && replica.figures.jobs) || {})) {
          const sum = totals[queue] || (totals[queue] = { completed: 0, failed: 0 });
          sum.completed += counts.completed;
          sum.failed += counts.failed;
        }
      }
    }
    const rates = {};
    if (before && reading.at > before.at) {
      const seconds = (reading.at - before.at) / 1000;
      for (const [queue, sum] of Object.entries(totals)) {
        const earlier = before.totals[queue] || { completed: 0, failed: 0 };
        rates[queue] = { completed: Math.max(0, sum.completed - earlier.completed) / seconds,
          failed: Math.max(0, sum.failed - earlier.failed) / seconds };
      }
    }
    before = { at: reading.at, totals };
    return rates;
  };
}

function queuesPanel(onQueues) {
  const problem = outcome();
  const body = h('tbody');
  const table = h('table', { 'aria-label': 'Queues' }, h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, 'Queue'), h('th', { scope: 'col' }, 'State'),
    ['Limit', 'Running here', 'Available', 'Scheduled', 'Retryable', 'Running', 'Completed/s', 'Failed/s'].map((t) =>
      h('th', { scope: 'col', class: 'num' }, t)), h('th', { scope: 'col' }, 'Action'))), body);
  let shown = null;
  const rates = throughput();
  async function load() {
    try {
      const { items } = await call('GET', '/api/jobs/queues');
      onQueues(items);
      const perQueue = await rates().catch(() => ({}));
      const rate = (queue, field) => perQueue[queue] ? perQueue[queue][field].toFixed(1) : '–';
      const text = JSON.stringify([items, items.map((q) => [rate(q.name, 'completed'), rate(q.name, 'failed')])]);
      if (text === shown) {
        return; // unchanged: the rows (and a keyboard user's focus on a button) stay as they are
      }
      shown = text;
      const focused = body.contains(document.activeElement) ? document.activeElement.closest('tr').dataset.queue : null;
      body.replaceChildren(...items.map((q) => {
        const act = async (what) => {
          problem.clear();
          try {
            await call('POST', '/api/jobs/queues/' + encodeURIComponent(q.name) + '/' + what);
            problem.done('Queue ' + q.name + (what === 'pause' ? ' paused' : ' resumed'));
            await load();
          } catch (e) {
            problem.problem(e);
          }
        };
        return h('tr', { 'data-queue': q.name }, h('td', {}, q.name),
          h('td', { class: 'paused' }, q.paused ? h('span', { class: 'badge warn' }, 'paused')
            : h('span', { class: 'badge up' }, 'running')),
          [q.limit, q.runningHere, q.depth.available, q.depth.scheduled, q.depth.retryable, q.depth.running,
            rate(q.name, 'completed'), rate(q.name, 'failed')].map((n) => h('td', { class: 'num' }, n)),
          h('td', {}, q.paused
            ? h('button', { type: 'button', class: 'resume', onclick: () => act('resume') }, 'Resume ' + q.name)
            : h('button', { type: 'button', class: 'pause secondary', onclick: () => act('pause') }, 'Pause ' + q.name)));
      }));
      if (focused) { // the row's button changed (pause to resume): the focus moves to the new one
        const button = body.querySelector('tr[data-queue="' + CSS.escape(focused) + '"] button');
        if (button) {
          button.focus();
        }
      }
    } catch (e) {
      problem.problem(e);
    }
  }
  return { element: h('section', {}, h('h2', {}, 'Queues'), problem.element, table), load };
}

function enqueueForm(queues) {
  const result = outcome();
  const type = h('select', { id: 'enqueue-type', name: 'type' }, Object.keys(TYPES).map((t) => h('option', { value: t }, t)));
  const queue = h('select', { id: 'enqueue-queue', name: 'queue' });
  const args = h('textarea', { id: 'enqueue-args', name: 'args', rows: 4, cols: 50, spellcheck: 'false' });
  const fill = () => { args.value = JSON.stringify(TYPES[type.value], null, 2); };
  type.addEventListener('change', fill);
  fill();
  const form = h('form', { class: 'stack', id: 'enqueue' },
    h('label', { for: 'enqueue-type' }, 'Type'), type,
    h('label', { for: 'enqueue-queue' }, 'Queue'), queue,
    h('label', { for: 'enqueue-args' }, 'Arguments (JSON)'), args,
    h('div', { class: 'wide' }, h('button', { type: 'submit' }, 'Enqueue')),
    h('div', { class: 'wide' }, result.element));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.clear();
    let parsed;
    try {
      parsed = JSON.parse(args.value || '{}');
    } catch (e) {
      result.problem('The arguments are not JSON: ' + e.message);
      return;
    }
    try {
      const made = await call('POST', '/api/jobs/jobs', { type: type.value, queue: queue.value || null, args: parsed });
      result.element.className = 'done';
      result.element.replaceChildren('Job ', h('a', { href: '#/jobs/' + made.id, class: 'enqueued' }, String(made.id)),
        ' enqueued (' + made.state + ')');
    } catch (e) {
      result.problem(e);
    }
  });
  return {
    element: h('section', {}, h('h2', {}, 'Enqueue a job'), form),
    queues(items) {
      if (queue.options.length !== items.length) {
        queue.replaceChildren(...items.map((q) => h('option', { value: q.name }, q.name)));
      }
    },
  };
}

function jobList() {
  const problem = outcome();
  const state = h('select', { name: 'state' }, h('option', { value: '' }, 'any'), STATES.map((s) => h('option', { value: s }, s)));
  const type = h('select', { name: 'type' }, h('option', { value: '' }, 'any'), Object.keys(TYPES).map((t) => h('option', { value: t }, t)));
  const queue = h('input', { name: 'queue', size: 12, placeholder: 'any' });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next page');
  const first = h('button', { type: 'button', class: 'secondary' }, 'First page');
  let next = null;
  async function load(path) {
    problem.clear();
    try {
      const page = await call('GET', path);
      next = page.next;
      more.disabled = !next;
      body.replaceChildren(...page.items.map((j) => h('tr', { 'data-job': j.id },
        h('td', { class: 'num' }, h('a', { href: '#/jobs/' + j.id }, String(j.id))), h('td', {}, j.type), h('td', {}, j.queue),
        h('td', {}, stateBadge(j.state)), h('td', { class: 'num' }, j.attempt + ' / ' + j.maxAttempts),
        h('td', {}, formatTime(j.insertedAt)), h('td', {}, formatTime(j.finishedAt)))));
      if (!page.items.length) {
        body.replaceChildren(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No jobs')));
      }
    } catch (e) {
      problem.problem(e);
    }
  }
  function query() {
    const params = new URLSearchParams({ limit: '20' });
    if (state.value) params.set('state', state.value);
    if (type.value) params.set('type', type.value);
    if (queue.value.trim()) params.set('queue', queue.value.trim());
    return '/api/jobs/jobs?' + params;
  }
  const filters = h('form', { class: 'row', 'aria-label': 'Filter jobs' },
    h('label', {}, 'State', state), h('label', {}, 'Type', type), h('label', {}, 'Queue', queue),
    h('button', { type: 'submit' }, 'Filter'));
  filters.addEventListener('submit', (event) => { event.preventDefault(); load(query()); });
  more.addEventListener('click', () => next && load(next));
  first.addEventListener('click', () => load(query()));
  const table = h('table', { 'aria-label': 'Jobs' }, h('thead', {}, h('tr', {},
    ['Id', 'Type', 'Queue', 'State', 'Attempt', 'Enqueued', 'Finished'].map((t) => h('th', { scope: 'col' }, t)))), body);
  return {
    element: h('section', {}, h('h2', {}, 'Jobs'), filters, problem.element, table, h('p', {}, first, ' ', more)),
    reload: () => load(query()),
  };
}

export function jobs(view) {
  const form = enqueueForm();
  const queues = queuesPanel((items) => form.queues(items));
  const list = jobList();
  view.append(queues.element, form.element, list.element);
  queues.load();
  list.reload();
  const timer = setInterval(queues.load, 2000);
  return { stop() { clearInterval(timer); } };
}

export function job(view, id) {
  const problem = outcome();
  const actions = outcome();
  const fields = h('table', { 'aria-label': 'Job ' + id });
  const live = h('p', { role: 'status', id: 'job-live' });
  const progress = h('progress', { max: 100, value: 0, 'aria-label': 'Progress' });
  const progressText = h('span', { class: 'muted' });
  const errors = h('ol', { class: 'errors' });
  const result = h('pre', { class: 'result' });
  const args = h('pre', { class: 'args' });
  const retry = h('button', { type: 'button', class: 'retry' }, 'Retry');
  const cancel = h('button', { type: 'button', class: 'cancel secondary' }, 'Cancel');
  view.append(h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')), h('h2', {}, 'Job ', id), problem.element, live,
    h('p', {}, progress, ' ', progressText), fields, h('h3', {}, 'Arguments'), args,
    h('h3', {}, 'Result'), result, h('h3', {}, 'Errors, by attempt'), errors,
    h('p', {}, retry, ' ', cancel), actions.element);

  let template = null;
  let shown = null;
  traceViewer().then((t) => {
    template = t;
    if (shown) {
      show(shown);
    }
  });

  function show(j) {
    shown = j;
    const row = (name, value) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value));
    fields.replaceChildren(h('tbody', {}, row('State', stateBadge(j.state)), row('Type', j.type), row('Queue', j.queue),
      row('Attempt', j.attempt + ' of ' + j.maxAttempts), row('Priority', j.priority),
      row('Run at', formatTime(j.runAt)), row('Enqueued', formatTime(j.insertedAt)),
      row('Attempted', formatTime(j.attemptedAt)), row('Finished', formatTime(j.finishedAt)), row('Node', j.node || ''),
      row('Trace', traceCell(j.traceId, template))));
    args.textContent = JSON.stringify(j.args, null, 2); // secret arguments come masked from the API
    result.textContent = j.result === undefined ? '–' : JSON.stringify(j.result, null, 2);
    errors.replaceChildren(...(j.errors || []).map((e) => h('li', {},
      h('strong', {}, 'Attempt ' + e.attempt + ', ' + formatTime(e.at) + ': '), (e.error || '').split('\n').slice(0, 6).join('\n'))));
    if (!j.errors || !j.errors.length) {
      errors.replaceChildren(h('li', { class: 'muted' }, 'none'));
    }
    if (j.progress) {
      progress.value = j.progress.percent;
      progressText.textContent = j.progress.percent + '%' + (j.progress.message ? ': ' + j.progress.message : '');
    }
    live.textContent = 'State: ' + j.state;
  }

  async function load() {
    try {
      show(await call('GET', '/api/jobs/jobs/' + id));
      problem.clear();
    } catch (e) {
      problem.problem(e);
    }
  }

  let events = null;
  let stopped = false;
  let polling = null;
  function watch() {
    if (events) {
      events.close();
    }
    if (stopped) {
      return;
    }
    events = new EventSource('/api/jobs/jobs/' + id + '/events');
    // The stream cannot carry a key (an EventSource sends no Authorization): where reads need one, or the stream is
    // refused or lost, the page asks for the job every second instead, until it ends.
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED && !stopped && !polling) {
        polling = setInterval(async () => {
          await load();
          if (FINAL.has((live.textContent.match(/State: (\w+)/) || [])[1])) {
            clearInterval(polling);
            polling = null;
          }
        }, 1000);
      }
    };
    const on = (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      live.textContent = 'State: ' + data.state + (data.error ? ' (' + data.error + ')' : '');
      if (data.progress) {
        progress.value = data.progress.percent;
        progressText.textContent = data.progress.percent + '%' + (data.progress.message ? ': ' + data.progress.message : '');
      }
      if (event.type === 'state') {
        load();
      }
      if (FINAL.has(data.state)) {
        events.close();
      }
    };
    events.addEventListener('state', on);
    events.addEventListener('progress', on);
  }

  const act = async (what) => {
    actions.clear();
    try {
      show(await call('POST', '/api/jobs/jobs/' + id + '/' + what));
      actions.done(what === 'retry' ? 'Sent to run again' : 'Cancelled');
      watch();
    } catch (e) {
      actions.problem(e);
    }
  };
  retry.addEventListener('click', () => act('retry'));
  cancel.addEventListener('click', () => act('cancel'));
  load().then(watch);
  return {
    stop() {
      stopped = true;
      if (events) events.close();
      if (polling) clearInterval(polling);
    },
  };
}
