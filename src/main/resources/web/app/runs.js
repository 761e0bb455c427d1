// The research loop: the budget ledger (spent, committed, free, per team) and the committed runs with their state.
import { api, items } from './api.js';
import { esc, num, statusBadge, when } from './format.js';
import { POLL_MS } from './plan.js';

const LEDGER = [['budgetGpuHours', 'budget'], ['spentGpuHours', 'spent'], ['committedGpuHours', 'committed'],
  ['reserveGpuHours', 'reserve'], ['freeGpuHours', 'free']];

function ledger(budget) {
  if (!budget) return '<p>No planning period with a budget is set.</p>';
  const teams = Object.entries(budget.perTeam || {}).sort(([a], [b]) => a.localeCompare(b));
  return `<dl class="gauge-figures">${LEDGER.filter(([field]) => budget[field] !== undefined && budget[field] !== null)
    .map(([field, label]) => `<div><dt>${label}</dt><dd data-figure="${field}">${num(budget[field])}</dd></div>`).join('')}</dl>
    ${teams.length ? `<table class="teams" aria-label="Ledger per team"><thead><tr><th>team</th>${LEDGER.map(([, l]) => `<th class="n">${l}</th>`).join('')}</tr></thead>
    <tbody>${teams.map(([team, t]) => `<tr data-team="${esc(team)}"><td>${esc(team)}</td>${LEDGER.map(([f]) => `<td class="n">${num(t[f])}</td>`).join('')}</tr>`).join('')}</tbody></table>` : ''}`;
}

export async function runsView(main, view) {
  main.innerHTML = `<h1 tabindex="-1">Runs and ledger</h1>
    <section class="card"><h2>Ledger (GPU-hours)</h2><div id="ledger"><p class="busy">Loading…</p></div></section>
    <section class="card"><h2>Runs</h2>
      <form id="run-filter" class="row">
        <label>Status <select name="status"><option value="">any</option>${['PLANNED', 'STARTED', 'FINISHED', 'FAILED', 'CANCELLED'].map(s => `<option>${s}</option>`).join('')}</select></label>
        <label>Team <input name="team" size="12"></label>
      </form>
      <div id="runs"></div></section>`;
  main.querySelector('h1').focus();
  const form = main.querySelector('#run-filter');
  const load = async () => {
    const query = new URLSearchParams();
    if (form.status.value) query.set('status', form.status.value);
    if (form.team.value.trim()) query.set('team', form.team.value.trim());
    const [runs, budget] = await Promise.all([api('/api/runs?' + query), api('/api/budget').catch(e => (e.status === 404 ? null : Promise.reject(e)))]);
    if (view.closed) return;
    main.querySelector('#ledger').innerHTML = ledger(budget);
    const list = items(runs);
    main.querySelector('#runs').innerHTML = list.length ? `<table class="runs"><thead><tr><th>proposal</th><th>team</th><th>state</th><th class="n">attempt</th>
      <th>pool</th><th>planned start</th><th>start</th><th>end</th><th class="n">estimated GPU-h</th><th class="n">actual GPU-h</th><th>plan</th></tr></thead><tbody>
      ${list.map(r => `<tr data-proposal="${esc(r.proposal)}" data-status="${esc(r.status)}"><td>${esc(r.proposal)}</td><td>${esc(r.team)}</td>
        <td>${statusBadge(r.status)}${r.reason ? ` <span class="message">${esc(r.reason)}</span>` : ''}</td><td class="n">${r.attempt ?? ''}</td><td>${esc(r.pool)}</td>
        <td>${when(r.plannedStart)}</td><td>${when(r.start)}</td><td>${when(r.end)}</td><td class="n">${num(r.estimatedGpuHours)}</td>
        <td class="n">${num(r.actualGpuHours)}</td><td>${r.planId ? `<a href="/plans/${esc(r.planId)}" data-link>${esc(r.planId.slice(0, 8))}</a>` : ''}</td></tr>`).join('')}
      </tbody></table>` : '<p>No runs. Commit a solved plan to turn its assignments into runs.</p>';
  };
  form.addEventListener('change', () => load().catch(() => null));
  form.addEventListener('submit', event => event.preventDefault());
  await load();
  while (!view.closed) {
    await new Promise(r => setTimeout(r, 5 * POLL_MS));
    if (!view.closed) await load().catch(() => null);
  }
}
