// Two plans side by side: runs added, removed and moved, marked on each plan's Gantt and listed in tables.
import { api } from './api.js';
import { esc, num, when } from './format.js';
import { planList } from './plans.js';
import { renderGantts } from './plan.js';

export async function diffPicker(main, view, navigate, preselected) {
  const plans = await planList();
  if (view.closed) return;
  const options = selected => plans.map(p => `<option value="${esc(p.id)}" ${p.id === selected ? 'selected' : ''}>${esc(p.id.slice(0, 8))} · ${esc(p.status)} · budget ${num(p.budgetGpuHours)} · value ${num(p.totals?.expectedValue, 1)}</option>`).join('');
  main.innerHTML = `<h1 tabindex="-1">Compare two plans</h1>
    <form id="diff-form" class="card row">
      <label>From plan <select name="a" required>${options(preselected || plans[1]?.id)}</select></label>
      <label>to plan <select name="b" required>${options(plans.find(p => p.id !== preselected)?.id)}</select></label>
      <button type="submit">Compare</button>
    </form>`;
  main.querySelector('h1').focus();
  const form = main.querySelector('#diff-form');
  form.addEventListener('submit', event => {
    event.preventDefault();
    navigate(`/plans/${form.a.value}/diff/${form.b.value}`);
  });
}

function table(caption, rows, columns) {
  return `<table class="diff-table" data-kind="${esc(caption)}"><caption>${esc(caption)} (${rows.length})</caption>
    <thead><tr>${columns.map(c => `<th>${c}</th>`).join('')}</tr></thead>
    <tbody>${rows.join('') || `<tr><td colspan="${columns.length}">none</td></tr>`}</tbody></table>`;
}

export async function diffView(main, a, b, view) {
  main.innerHTML = '<p class="busy" role="status">Comparing…</p>';
  const [diff, planA, planB, portfolioA, portfolioB] = await Promise.all([
    api(`/api/plans/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}`),
    api(`/api/plans/${encodeURIComponent(a)}`), api(`/api/plans/${encodeURIComponent(b)}`),
    api(`/api/plans/${encodeURIComponent(a)}/portfolio`), api(`/api/plans/${encodeURIComponent(b)}/portfolio`)]);
  if (view.closed) return;
  const marksA = new Map([...diff.removed.map(r => [r.proposal, 'removed']), ...diff.moved.map(m => [m.proposal, 'moved'])]);
  const marksB = new Map([...diff.added.map(r => [r.proposal, 'added']), ...diff.moved.map(m => [m.proposal, 'moved'])]);
  const sign = v => (Number(v) > 0 ? '+' : '') + num(v, 3);
  const run = r => `<tr data-proposal="${esc(r.proposal)}"><td>${esc(r.proposal)}</td><td>${esc(r.pool)}</td><td>${when(r.start)}</td><td class="n">${num(r.gpuHours)}</td><td class="n">${num(r.expectedValue, 3)}</td></tr>`;
  main.innerHTML = `<h1 tabindex="-1">From <a href="/plans/${esc(a)}" data-link>${esc(a.slice(0, 8))}</a> to <a href="/plans/${esc(b)}" data-link>${esc(b.slice(0, 8))}</a></h1>
    <p class="meta" id="diff-summary">expected value <b>${sign(diff.expectedValueChange)}</b> · GPU-hours <b>${sign(diff.gpuHoursChange)}</b> · runs <b>${sign(diff.selectedChange)}</b>
      · <span class="mark added">${diff.added.length} added</span> · <span class="mark removed">${diff.removed.length} removed</span> · <span class="mark moved">${diff.moved.length} moved</span></p>
    <div class="diff-tables card">
      ${table('added', diff.added.map(run), ['proposal', 'pool', 'start (UTC)', 'GPU-h', 'expected value'])}
      ${table('removed', diff.removed.map(run), ['proposal', 'pool', 'start (UTC)', 'GPU-h', 'expected value'])}
      ${table('moved', diff.moved.map(m => `<tr data-proposal="${esc(m.proposal)}"><td>${esc(m.proposal)}</td><td>${esc(m.fromPool)} ${when(m.fromStart)}</td><td>${esc(m.toPool)} ${when(m.toStart)}</td></tr>`), ['proposal', 'from', 'to'])}
    </div>
    <div class="side-by-side">
      <section class="card"><h2>Before: ${esc(a.slice(0, 8))} (budget ${num(planA.budgetGpuHours)})</h2><p class="hint">removed and moved runs outlined</p><div id="gantts-a"></div></section>
      <section class="card"><h2>After: ${esc(b.slice(0, 8))} (budget ${num(planB.budgetGpuHours)})</h2><p class="hint">added and moved runs outlined</p><div id="gantts-b"></div></section>
    </div>`;
  main.querySelector('h1').focus();
  renderGantts(main.querySelector('#gantts-a'), planA, portfolioA, { marks: marksA, idPrefix: 'gantt-a' });
  renderGantts(main.querySelector('#gantts-b'), planB, portfolioB, { marks: marksB, idPrefix: 'gantt-b' });
}
