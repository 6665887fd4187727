// Overview: each service's replicas, read every second from the gateway's /console/api/overview (each replica's
// own /metrics: totals and gauges); rates and percentiles are taken here between two readings.
import uPlot from './uplot/uPlot.esm.js';
import { ApiProblem, call, h, outcome } from './api.js';

const WINDOW = 300; // readings kept: five minutes at one a second

/** The latency at quantile q from the difference of two cumulative histograms (linear within a bucket). */
export function quantile(le, before, after, q) {
  const counts = after.map((c, i) => c - (before ? before[i] || 0 : 0));
  const total = counts[counts.length - 1];
  if (!total || total <= 0) {
    return null;
  }
  const target = q * total;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] >= target) {
      const lower = i > 0 ? Number(le[i - 1]) : 0;
      if (le[i] === '+Inf') {
        return lower;
      }
      const previous = i > 0 ? counts[i - 1] : 0;
      const inBucket = counts[i] - previous;
      return lower + (Number(le[i]) - lower) * (inBucket > 0 ? (target - previous) / inBucket : 1);
    }
  }
  return null;
}

function rate(after, before, field, seconds) {
  if (!before || !after || seconds <= 0) {
    return null;
  }
  return Math.max(0, (after[field] - before[field]) / seconds);
}

const fixed = (value, digits = 1) => value === null || value === undefined ? '–' : value.toFixed(digits);
const ms = (seconds) => seconds === null || seconds === undefined ? '–' : (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1) + ' ms';

function instances(figures) {
  return Object.entries(figures.instances || {}).map(([verticle, states]) =>
    verticle + ': ' + Object.entries(states).filter(([, n]) => n > 0).map(([s, n]) => n + ' ' + s).join(', ')).join('; ');
}

export function overview(view) {
  const problem = outcome();
  const updated = h('p', { class: 'muted', role: 'status' }, 'Reading…');
  const table = h('table', { 'aria-label': 'Replicas' });
  const charts = h('div', { class: 'charts' });
  view.append(h('h2', {}, 'Services'), updated, problem.element, table, h('h2', {}, 'The last five minutes'), charts);

  const history = new Map(); // service|replica -> readings
  const series = new Map(); // service -> {times, rates, p99s, plot}
  let timer = null;
  let stopped = false;

  function chart(service) {
    let entry = series.get(service);
    if (!entry) {
      const box = h('figure', { class: 'chart', 'data-service': service },
        h('figcaption', {}, h('h3', {}, service)));
      charts.append(box);
      entry = { times: [], rates: [], p99s: [], box, plot: null };
      series.set(service, entry);
    }
    return entry;
  }

  function draw(entry) {
    const data = [entry.times, entry.rates, entry.p99s];
    if (!entry.plot) {
      entry.plot = new uPlot({
        width: Math.max(380, entry.box.clientWidth - 20), height: 180,
        scales: { x: { time: true }, ms: { auto: true } },
        series: [{}, { label: 'requests/s', stroke: '#0b57d0', width: 2 },
          { label: 'p99 ms', stroke: '#a4161a', width: 2, scale: 'ms' }],
        axes: [{}, { label: 'req/s' }, { side: 1, scale: 'ms', label: 'p99 ms', grid: { show: false } }],
      }, data, entry.box);
    } else {
      entry.plot.setData(data);
    }
  }

  function render(reading) {
    const rows = [];
    for (const service of reading.services) {
      let serviceRate = 0;
      let serviceP99 = null;
      for (const replica of service.replicas) {
        const key = service.name + '|' + replica.address;
        const kept = history.get(key) || [];
        const before = kept.length ? kept[kept.length - 1] : null;
        const now = { at: reading.at, figures: replica.figures };
        kept.push(now);
        if (kept.length > WINDOW) {
          kept.shift();
        }
        history.set(key, kept);
        const f = replica.figures;
        const b = before && before.figures;
        const seconds = before ? (reading.at - before.at) / 1000 : 0;
        const requests = f ? rate(f, b, 'requests', seconds) : null;
        const errors = f ? rate(f, b, 'serverErrors', seconds) : null;
        const shed = f ? rate(f, b, 'shed', seconds) : null;
        const sameBuckets = f && b && b.latency.le.length === f.latency.le.length;
        const p50 = sameBuckets ? quantile(f.latency.le, b.latency.counts, f.latency.counts, 0.5) : null;
        const p99 = sameBuckets ? quantile(f.latency.le, b.latency.counts, f.latency.counts, 0.99) : null;
        serviceRate += requests || 0;
        if (p99 !== null) {
          serviceP99 = Math.max(serviceP99 || 0, p99);
        }
        const state = replica.unreachable ? h('span', { class: 'badge down' }, 'unreachable')
          : replica.available ? h('span', { class: 'badge up' }, 'ready') : h('span', { class: 'badge down' }, 'out of turn');
        rows.push(h('tr', { 'data-service': service.name, 'data-replica': replica.address },
          h('td', {}, service.name), h('td', {}, replica.address), h('td', { class: 'state' }, state),
          h('td', { class: 'num' }, fixed(requests)), h('td', { class: 'num' }, fixed(errors)),
          h('td', { class: 'num' }, ms(p50)), h('td', { class: 'num' }, ms(p99)),
          h('td', { class: 'num' }, f ? f.inFlight : '–'), h('td', { class: 'num' }, f ? f.queued : '–'),
          h('td', { class: 'num' }, fixed(shed)), h('td', { class: 'num' }, f ? ms(f.eventLoopLagSeconds) : '–'),
          h('td', { class: 'num' }, f ? f.poolInUse + ' / ' + f.poolWaiting : '–'),
          h('td', { class: 'num' + (f && f.blockedThreads ? ' down' : '') }, f ? f.blockedThreads : '–'),
          h('td', { class: 'instances' }, f ? instances(f) : '')));
      }
      const entry = chart(service.name);
      entry.times.push(reading.at / 1000);
      entry.rates.push(serviceRate);
      entry.p99s.push(serviceP99 === null ? null : serviceP99 * 1000);
      if (entry.times.length > WINDOW) {
        entry.times.shift();
        entry.rates.shift();
        entry.p99s.shift();
      }
      draw(entry);
    }
    table.replaceChildren(h('thead', {}, h('tr', {},
      ['Service', 'Replica', 'State'].map((t) => h('th', { scope: 'col' }, t)),
      ['Requests/s', '5xx/s', 'p50', 'p99', 'In flight', 'Queued', 'Shed/s', 'Loop lag', 'Pool in use / waiting',
        'Blocked threads'].map((t) => h('th', { scope: 'col', class: 'num' }, t)),
      h('th', { scope: 'col' }, 'Instances'))), h('tbody', {}, rows));
    updated.textContent = 'Updated ' + new Date(reading.at).toLocaleTimeString()
      + ' (every second; rates over the last second)';
  }

  async function tick() {
    try {
      render(await call('GET', '/console/api/overview'));
      problem.clear();
    } catch (e) {
      problem.problem(e instanceof ApiProblem ? e : String(e));
    }
    if (!stopped) {
      timer = setTimeout(tick, 1000);
    }
  }
  tick();
  return { stop() { stopped = true; clearTimeout(timer); } };
}
