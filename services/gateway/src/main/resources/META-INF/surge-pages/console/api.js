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
    done(text) {
      element.className = 'done';
      element.textContent = text;
    },
    clear() {
      element.className = 'problem';
      element.textContent = '';
    },
  };
}

export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
