// The gateway's public APIs, as any client calls them: writes carry the key the operator gave this tab.
const KEY = 'surge.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY, key);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

/** An API's answer that was not a success: the problem's title and detail, as the API said them. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem.title + (problem.detail ? ': ' + problem.detail : ''));
    this.status = status;
    this.problem = problem;
  }
}

export async function call(method, path, body, headers = {}) {
  const sent = { method, headers: { Accept: 'application/json', ...headers } };
  if (apiKey()) { // on reads too: the gateway may need a key for them (gateway.readsNeedKey)
    sent.headers.Authorization = 'Bearer ' + apiKey();
  }
  if (body !== undefined) {
    sent.headers['Content-Type'] = 'application/json';
    sent.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, sent);
  } catch (e) {
    throw new ApiProblem(0, { title: 'The gateway did not answer', detail: String(e.message || e) });
  }
  const type = response.headers.get('Content-Type') || '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    throw new ApiProblem(response.status, json && json.title ? json
      : { title: 'HTTP ' + response.status, detail: response.statusText });
  }
  return json;
}

/** Builds an element: attributes (on* are listeners), then children; strings become text, never markup. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.substring(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** A place beside an action for what the API said of it: a problem, or that it was done. */
export function outcome() {
  const element = h('p', { class: 'problem', role: 'alert' });
  return {
    element,
    problem(e) {
      element.className = 'problem';
      element.textContent = e instanceof ApiProblem ? e.message : String(e);
    },
    done(...content) {
      element.className = 'done';
      element.replaceChildren(...content.map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
    },
    clear() {
      element.className = 'problem';
      element.textContent = '';
    },
  };
}

let viewer = null; // the trace viewer's URL (gateway.traceViewer), read once from the overview

/** The trace viewer's URL template ({traceId} in it), or null when none is configured. */
export function traceViewer() {
  viewer ??= call('GET', '/console/api/overview').then((o) => o.traceViewer || null, () => null);
  return viewer;
}

/** A job's or an order's trace: a link to it in the trace viewer when one is configured, its id otherwise. */
export function traceCell(traceId, template) {
  if (!traceId) {
    return '–';
  }
  if (!template) {
    return h('code', {}, traceId);
  }
  return h('a', { href: template.replace('{traceId}', encodeURIComponent(traceId)), target: '_blank',
    rel: 'noopener noreferrer', class: 'trace' }, traceId);
}

export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
