// The Surge console: a view per hash (#/overview, #/jobs, #/jobs/<id>, #/instances, #/shop), each with a stop() for its timers.
import { apiKey, setApiKey } from './api.js';
import { overview } from './overview.js';
import { jobs, job } from './jobs.js';
import { shop } from './shop.js';
import { instances } from './instances.js';

const view = document.getElementById('view');
let current = null;

function route() {
  if (current && current.stop) {
    current.stop();
  }
  const hash = location.hash || '#/overview';
  const jobMatch = hash.match(/^#\/jobs\/(\d{1,18})$/);
  let name = 'overview';
  view.replaceChildren();
  if (jobMatch) {
    name = 'jobs';
    current = job(view, jobMatch[1]);
  } else if (hash.startsWith('#/jobs')) {
    name = 'jobs';
    current = jobs(view);
  } else if (hash.startsWith('#/instances')) {
    name = 'instances';
    current = instances(view);
  } else if (hash.startsWith('#/shop')) {
    name = 'shop';
    current = shop(view);
  } else {
    current = overview(view);
  }
  for (const link of document.querySelectorAll('nav a[data-view]')) {
    if (link.dataset.view === name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const keyState = document.getElementById('key-state');
function showKey() {
  keyState.textContent = apiKey() ? 'a key is set' : 'no key';
}
keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey(keyInput.value.trim());
  keyInput.value = '';
  showKey();
});
document.getElementById('key-forget').addEventListener('click', () => {
  setApiKey('');
  keyInput.value = '';
  showKey();
});
showKey();

window.addEventListener('hashchange', route);
route();
