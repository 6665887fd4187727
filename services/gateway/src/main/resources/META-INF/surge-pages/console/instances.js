// Instances: each replica's verticle instances (the arbiter's, through the gateway from the replica's admin API),
// with scaling and a rolling restart. Needs an operator key (gateway.operatorKeys), given in the key field.
import { call, formatTime, h, outcome } from './api.js';

export function instances(view) {
  const problem = outcome();
  const actions = outcome();
  const box = h('div', { id: 'instances' });
  view.append(h('h2', {}, 'Instances'),
    h('p', { class: 'muted' }, 'The verticle instances of each replica. Scaling and restarts need an operator key.'),
    problem.element, actions.element, box);
  let shown = null;
  let timer = null;

  async function act(method, path, body, done) {
    actions.clear();
    try {
      await call(method, path, body);
      actions.done(done);
      shown = null;
      await load();
    } catch (e) {
      actions.problem(e);
    }
  }

  function replicaView(service, replica) {
    const base = '/console/api/instances/' + encodeURIComponent(service) + '/' + encodeURIComponent(replica.address);
    if (replica.unreachable) {
      return h('section', { 'data-replica': replica.address },
        h('h3', {}, service + ' at ' + replica.address), h('p', { class: 'down' }, 'Its admin API did not answer.'));
    }
    const byVerticle = new Map();
    for (const instance of replica.instances) {
      const list = byVerticle.get(instance.verticle) || [];
      list.push(instance);
      byVerticle.set(instance.verticle, list);
    }
    const rows = [];
    for (const [verticle, list] of byVerticle) {
      const serving = list.filter((i) => i.state === 'serving').length;
      const scale = (n) => act('PUT', base + '/' + encodeURIComponent(verticle), { instances: n },
        verticle + ' on ' + replica.address + ': ' + n + ' instances');
      rows.push(h('tr', { 'data-verticle': verticle },
        h('th', { scope: 'row' }, verticle),
        h('td', { class: 'num count' }, String(serving)),
        h('td', {}, list.map((i) => i.state + (i.eventLoop ? ' on ' + i.eventLoop : '') + ', ' + i.requestsServed
          + ' served, ' + i.inFlight + ' in flight, since ' + formatTime(i.startedAt)).join('; ')),
        h('td', {},
          h('button', { type: 'button', class: 'secondary less', 'aria-label': 'One instance less of ' + verticle,
            disabled: serving <= 1, onclick: () => scale(serving - 1) }, '−'), ' ',
          h('button', { type: 'button', class: 'more', 'aria-label': 'One instance more of ' + verticle,
            onclick: () => scale(serving + 1) }, '+'))));
    }
    return h('section', { 'data-service': service, 'data-replica': replica.address },
      h('h3', {}, service + ' at ' + replica.address),
      h('table', { 'aria-label': 'Instances of ' + service + ' at ' + replica.address },
        h('thead', {}, h('tr', {}, ['Verticle', 'Serving', 'Instances', 'Scale'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows)),
      // Answered as it starts; the replica shows restarting until every instance is replaced.
      h('button', { type: 'button', class: 'secondary restart', disabled: replica.restarting ? true : undefined,
        onclick: () => act('POST', base + '/restart', undefined, 'Rolling restart of ' + replica.address + ' started') },
        replica.restarting ? 'Restarting…' : 'Rolling restart'));
  }

  async function load() {
    try {
      const reading = await call('GET', '/console/api/instances');
      problem.clear();
      const text = JSON.stringify(reading);
      if (text === shown) {
        return;
      }
      shown = text;
      const active = document.activeElement;
      const focus = box.contains(active) && active.closest('[data-verticle]')
        ? { replica: active.closest('[data-replica]').dataset.replica, verticle: active.closest('[data-verticle]').dataset.verticle,
          kind: active.classList.contains('less') ? 'less' : 'more' } : null;
      box.replaceChildren(...reading.services.flatMap((s) => s.replicas.map((r) => replicaView(s.name, r))));
      if (focus) {
        const again = box.querySelector('[data-replica="' + CSS.escape(focus.replica) + '"] [data-verticle="'
          + CSS.escape(focus.verticle) + '"] button.' + focus.kind);
        if (again) {
          again.focus();
        }
      }
    } catch (e) {
      problem.problem(e);
    }
  }
  load();
  timer = setInterval(load, 2000);
  return { stop() { clearInterval(timer); } };
}
