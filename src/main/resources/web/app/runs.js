// The research loop at a glance: the planning period's ledger (budget, spent, committed, free, reserve, per team)
// and the committed runs with their state. Filters are part of the address (/runs?status=STARTED&team=vision), so a
// filtered view can be linked to and the back button steps through the filters.
import { api } from './api.js';
import { chart } from './charts.js';
import { ago, esc, num, statusBadge, teamColours, when } from './format.js';

export const RUN_STATUSES = ['PLANNED', 'STARTED', 'FINISHED', 'FAILED', 'CANCELLED'];

// The ledger's figures in the order the page shows them; the names are the API's own fields.
const FIGURES = [
  ['budgetGpuHours', 'budget'], ['spentGpuHours', 'spent'], ['committedGpuHours', 'committed'],
  ['freeGpuHours', 'free'], ['reserveGpuHours', 'reserve'],
];

function ledgerCard(ledger) {
  const budget = Number(ledger.budgetGpuHours || 0);
  const pct = v => budget > 0 ? Math.max(0, Math.min(100, 100 * Number(v || 0) / budget)) : 0;
  const free = Number(ledger.freeGpuHours || 0);
  const period = ledger.periodStart || ledger.periodEnd
    ? `${ledger.periodStart ? when(ledger.periodStart) : 'open'} – ${ledger.periodEnd ? when(ledger.periodEnd) + ' UTC' : 'open'}`
    : 'without start or end (no horizon stored)';
  return `<h2 id="ledger-title">Ledger</h2>
    <p class="meta">Planning period: ${esc(period)} · as of ${when(ledger.asOf)} UTC${ledger.committedPlanId
      ? ` · committed plan <a href="/plans/${esc(ledger.committedPlanId)}" data-link>${esc(ledger.committedPlanId.slice(0, 8))}</a>` : ' · no plan committed yet'}</p>
    <div class="gauge-bar" role="img" aria-label="Budget ${num(budget)} GPU-hours: ${num(ledger.spentGpuHours)} spent, ${num(ledger.committedGpuHours)} committed, ${num(free)} free">
      <span class="used" style="width:${pct(ledger.spentGpuHours)}%"></span><span class="committed" style="width:${pct(ledger.committedGpuHours)}%"></span><span class="free" style="width:${pct(Math.max(0, free))}%"></span>
    </div>
    <dl class="gauge-figures" id="ledger-figures">
      ${FIGURES.map(([field, label]) => `<div><dt>${field === 'spentGpuHours' ? '<span class="swatch used"></span>'
        : field === 'committedGpuHours' ? '<span class="swatch committed"></span>' : field === 'freeGpuHours' ? '<span class="swatch free"></span>' : ''}${label}</dt>
        <dd data-ledger="${field}" data-value="${esc(ledger[field] ?? '')}" class="${field === 'freeGpuHours' && free < 0 ? 'bad' : ''}">${num(ledger[field])}</dd></div>`).join('')}
    </dl>
    <p class="why">GPU-hours. Spent: actual use of finished and failed runs, and of started runs so far. Committed: the
      expected remainder of started runs and the estimates of planned ones. Free: budget − spent − committed. Reserve: what
      plans hold back from the budget for overruns${Number(ledger.gatedFreedGpuHours || 0) > 0
        ? `; ${num(ledger.gatedFreedGpuHours)} GPU-hours freed by runs dropped after their pilot failed` : ''}.</p>`;
}

function teamTable(ledger, colours) {
  const teams = Object.entries(ledger.perTeam || {});
  if (!teams.length) return '<p>No team has runs or a cap yet.</p>';
  return `<table class="ledger-teams" aria-label="Ledger per team"><thead><tr><th>team</th><th class="n">cap</th><th class="n">spent</th>
    <th class="n">committed</th><th class="n">free</th><th class="n">reserve</th></tr></thead><tbody>
    ${teams.map(([team, line]) => `<tr data-team="${esc(team)}"><td><span class="swatch" style="background:${colours.get(team) || '#888'}"></span>${esc(team)}</td>
      <td class="n" data-ledger="budgetGpuHours">${line.budgetGpuHours === null || line.budgetGpuHours === undefined ? 'no cap' : num(line.budgetGpuHours)}</td>
      <td class="n" data-ledger="spentGpuHours">${num(line.spentGpuHours)}</td><td class="n" data-ledger="committedGpuHours">${num(line.committedGpuHours)}</td>
      <td class="n" data-ledger="freeGpuHours">${num(line.freeGpuHours)}</td><td class="n" data-ledger="reserveGpuHours">${num(line.reserveGpuHours)}</td></tr>`).join('')}
    </tbody></table>`;
}

/** Spent and committed GPU-hours per team, stacked; the per-team table above is its text alternative. */
function teamChart(container, ledger) {
  const teams = Object.keys(ledger.perTeam || {});
  if (!teams.length) {
    container.hidden = true;
    return;
  }
  const line = (team, field) => Number(ledger.perTeam[team][field] || 0);
  chart(container, {
    animation: false,
    aria: { enabled: true, label: { description: 'GPU-hours spent and committed per team; the table lists the same figures.' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: ['spent', 'committed', 'cap'], top: 0 },
    grid: { left: 8, right: 24, top: 28, bottom: 26, containLabel: true },
    xAxis: { type: 'value', name: 'GPU-hours', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'category', data: teams, inverse: true },
    series: [
      { name: 'spent', type: 'bar', stack: 'use', itemStyle: { color: '#0072B2' }, data: teams.map(t => line(t, 'spentGpuHours')) },
      { name: 'committed', type: 'bar', stack: 'use', itemStyle: { color: '#56B4E9' }, data: teams.map(t => line(t, 'committedGpuHours')) },
      {
        name: 'cap', type: 'bar', barGap: '-100%', itemStyle: { color: 'transparent', borderColor: '#333', borderType: 'dashed', borderWidth: 1 },
        data: teams.map(t => ledger.perTeam[t].budgetGpuHours === null || ledger.perTeam[t].budgetGpuHours === undefined ? null : line(t, 'budgetGpuHours')),
        z: 1,
      },
    ],
  }, Math.max(140, 64 + 28 * teams.length));
}

function runRow(run) {
  const start = run.start || run.plannedStart;
  return `<tr data-proposal="${esc(run.proposal)}" data-status="${esc(run.status)}" data-attempt="${esc(run.attempt)}">
    <td><code>${esc(run.proposal)}</code></td><td>${esc(run.team)}</td><td>${statusBadge(run.status)}${run.reason ? ` <span class="message" title="${esc(run.reason)}">${esc(run.reason)}</span>` : ''}</td>
    <td class="n">${esc(run.attempt)}</td><td>${esc(run.pool || '–')}</td>
    <td title="${esc(run.plannedStart || '')}">${when(run.plannedStart)}</td>
    <td title="${esc(run.start || '')}">${run.start ? when(run.start) : '–'}${run.status === 'STARTED' ? ` <span class="hint">${ago(start)}</span>` : ''}</td>
    <td title="${esc(run.end || '')}">${run.end ? when(run.end) : '–'}</td>
    <td class="n" data-gpu-hours="estimated">${num(run.estimatedGpuHours)}</td><td class="n" data-gpu-hours="actual">${num(run.actualGpuHours)}</td>
    <td>${run.planId ? `<a href="/plans/${esc(run.planId)}" data-link>${esc(run.planId.slice(0, 8))}</a>` : '–'}</td></tr>`;
}

/** The view at /runs (optionally ?status=&team=). */
export async function runsView(main, view, navigate) {
  const query = new URLSearchParams(location.search);
  const status = (query.get('status') || '').toUpperCase();
  const team = query.get('team') || '';
  main.innerHTML = '<p class="busy" role="status">Loading the ledger and the runs…</p>';
  const filter = new URLSearchParams();
  if (status) filter.set('status', status);
  if (team) filter.set('team', team);
  // No planning period yet (no budget stored, no plan committed) is an answer of its own: 404 from /api/budget.
  const [ledger, runs] = await Promise.all([
    api('/api/budget').catch(error => { if (error.status === 404) return null; throw error; }),
    api('/api/runs' + (String(filter) ? '?' + filter : ''))]);
  if (view.closed) return;
  const teams = [...new Set([...Object.keys(ledger?.perTeam || {}), ...runs.map(r => r.team), ...(team ? [team] : [])])].sort();
  const colours = teamColours(teams);
  const counts = new Map(RUN_STATUSES.map(s => [s, runs.filter(r => r.status === s).length]));
  main.innerHTML = `<h1 tabindex="-1">Runs and ledger</h1>
    <div class="plan-grid">
      <section id="ledger" class="card" aria-labelledby="ledger-title">${ledger ? ledgerCard(ledger) : `<h2 id="ledger-title">Ledger</h2>
        <p id="no-ledger">No planning period yet: a lead sets its budget (<code>PUT /api/budget</code>) or commits a solved plan, whose budget opens it.</p>`}</section>
      <section class="card"><h2>Per team</h2>${ledger ? teamTable(ledger, colours) : ''}
        <div id="ledger-chart" class="ledger-chart" role="img" aria-label="Spent and committed GPU-hours per team; the table above lists them"></div></section>
    </div>
    <section class="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs <span class="count">(${runs.length})</span></h2>
      <form id="runs-filter" class="row">
        <label>Status <select name="status"><option value="">any</option>${RUN_STATUSES.map(s => `<option ${s === status ? 'selected' : ''}>${s}</option>`).join('')}</select></label>
        <label>Team <select name="team"><option value="">any</option>${teams.map(t => `<option ${t === team ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select></label>
        <button type="submit">Show</button>
        <span class="hint">${RUN_STATUSES.filter(s => counts.get(s)).map(s => `${counts.get(s)} ${s.toLowerCase()}`).join(' · ')}</span>
      </form>
      ${runs.length ? `<div class="scroll"><table class="runs-list"><caption class="sr-only">Latest attempt of every committed proposal</caption>
        <thead><tr><th>proposal</th><th>team</th><th>status</th><th class="n">attempt</th><th>pool</th><th>planned start (UTC)</th>
        <th>started (UTC)</th><th>ended (UTC)</th><th class="n">estimated GPU-h</th><th class="n">actual GPU-h</th><th>plan</th></tr></thead>
        <tbody>${runs.map(runRow).join('')}</tbody></table></div>`
        : `<p id="no-runs">No runs${status || team ? ' match these filters' : ' yet: a lead commits a solved plan (<code>gpuplan commit PLAN</code>) to turn its assignments into runs'}.</p>`}
    </section>`;
  main.querySelector('h1').focus();
  if (ledger) teamChart(main.querySelector('#ledger-chart'), ledger); else main.querySelector('#ledger-chart').hidden = true;
  const form = main.querySelector('#runs-filter');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (form.status.value) next.set('status', form.status.value);
    if (form.team.value) next.set('team', form.team.value);
    navigate('/runs' + (String(next) ? '?' + next : ''));
  });
  main.dataset.rendered = 'runs';
}
