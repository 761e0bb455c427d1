// The page's entry point: a small router over the History API. Each address names one view; links marked
// data-link change the view without reloading, and the back button returns to the previous one.
import './app.css';
import { disposeAll } from './charts.js';
import { esc } from './format.js';
import { plansView } from './plans.js';
import { planView } from './plan.js';
import { diffPicker, diffView } from './diff.js';
import { frontierForm, frontierView } from './frontier.js';
import { runsView } from './runs.js';
import { showWho, signInView } from './signin.js';

const main = document.getElementById('main');
let view = { closed: true };

const ROUTES = [
  [/^\/$/, () => ['plans', v => plansView(main, v, navigate)]],
  [/^\/plans\/?$/, () => ['plans', v => plansView(main, v, navigate)]],
  [/^\/plans\/([^/]+)\/diff\/([^/]+)$/, (a, b) => ['diff', v => diffView(main, a, b, v)]],
  [/^\/plans\/([^/]+)$/, id => ['plans', v => planView(main, id, v)]],
  [/^\/diff\/?$/, () => ['diff', v => diffPicker(main, v, navigate, new URLSearchParams(location.search).get('a'))]],
  [/^\/frontiers\/?$/, () => ['frontiers', v => frontierForm(main, v, navigate)]],
  [/^\/frontiers\/([^/]+)\/points\/([^/]+)$/, (id, budget) => ['frontiers', v => frontierView(main, id, v, navigate, budget)]],
  [/^\/frontiers\/([^/]+)$/, id => ['frontiers', v => frontierView(main, id, v, navigate)]],
  [/^\/runs\/?$/, () => ['runs', v => runsView(main, v, navigate)]],
  [/^\/signin\/?$/, () => ['signin', () => signInView(main, navigate)]],
];

function render() {
  view.closed = true;
  disposeAll();
  const current = { closed: false };
  view = current;
  const path = location.pathname;
  for (const [pattern, make] of ROUTES) {
    const match = path.match(pattern);
    if (match) {
      const [section, show] = make(...match.slice(1).map(decodeURIComponent));
      document.querySelectorAll('nav [data-nav]').forEach(a => a.toggleAttribute('aria-current', a.dataset.nav === section));
      document.title = `gpuplan · ${section}`;
      show(current).catch(error => {
        if (error.status === 401 && section !== 'signin') {
          history.replaceState({}, '', '/signin?next=' + encodeURIComponent(location.pathname + location.search));
          render();
          return;
        }
        if (!current.closed) main.innerHTML = `<h1 tabindex="-1">Something went wrong</h1><p class="error" role="alert">${esc(error.message)}</p>`;
      });
      return;
    }
  }
  main.innerHTML = `<h1>Not found</h1><p>No view at ${esc(path)}. <a href="/" data-link>Plans</a></p>`;
}

export function navigate(path) {
  if (path !== location.pathname + location.search) history.pushState({}, '', path);
  render();
}

document.addEventListener('click', event => {
  const link = event.target.closest('a[data-link]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', render);
render();
showWho();
