// A plan: the Gantt per pool, the budget gauge, the unselected proposals by reason with explain on a click,
// and, while it solves, the best plan so far redrawn every 2 s with a Stop button.
import { api } from './api.js';
import { drawGantt } from './gantt.js';
import { announce, esc, num, statusBadge, teamColours, when, ago } from './format.js';

export const POLL_MS = 2000;
const ACTIVE = new Set(['QUEUED', 'SOLVING']);

export function isActive(plan) {
  return ACTIVE.has(plan.status);
}

/** The plan's runs with what the portfolio says of each proposal (team, pin), grouped by pool. */
export function runsByPool(plan, portfolio, marks = new Map(), running = new Set()) {
  const proposals = new Map((portfolio.proposals || []).map(p => [p.key, p]));
  const byPool = new Map((portfolio.pools || []).map(pool => [pool.name, []]));
  for (const a of plan.assignments || []) {
    const proposal = proposals.get(a.proposal) || {};
    if (!byPool.has(a.pool)) byPool.set(a.pool, []);
    byPool.get(a.pool).push({
      key: a.proposal, team: proposal.team || '?', pool: a.pool, start: Date.parse(a.start), end: Date.parse(a.end),
      startText: a.start, gpus: a.gpus, gpuHours: a.gpuHours, expectedValue: a.expectedValue,
      pinned: Boolean(proposal.pinned), running: running.has(a.proposal), mark: marks.get(a.proposal) || null,
    });
  }
  return byPool;
}

export function poolOf(portfolio, name) {
  return (portfolio.pools || []).find(p => p.name === name) || { name, gpus: 0, unavailable: [] };
}

function legend(colours, anyRunning) {
  return `<ul class="legend" aria-label="Teams">${[...colours].map(([team, colour]) =>
    `<li><span class="swatch" style="background:${colour}"></span>${esc(team)}</li>`).join('')}
    <li><span class="swatch pinned"></span>pinned</li>${anyRunning ? '<li><span class="swatch running"></span>▶ running</li>' : ''}<li><span class="swatch maintenance"></span>maintenance</li>
    <li><span class="swatch now"></span>now</li><li><span class="swatch band"></span>GPUs in use per slot</li></ul>`;
}

/** The Gantt charts of every pool, and the same runs as a table (the charts' text alternative). */
export function renderGantts(container, plan, portfolio, { onRunClick, marks, running = new Set(), idPrefix = 'gantt' } = {}) {
  const byPool = runsByPool(plan, portfolio, marks, running);
  const teams = (portfolio.proposals || []).map(p => p.team);
  const colours = teamColours(teams);
  const marking = Boolean(marks && marks.size);
  const anyRunning = (plan.assignments || []).some(a => running.has(a.proposal));
  container.innerHTML = `${legend(colours, anyRunning)}
    ${[...byPool.keys()].map((name, i) => {
      const pool = poolOf(portfolio, name);
      return `<figure class="pool" data-pool="${esc(name)}">
        <figcaption><b>${esc(name)}</b> · ${esc(pool.gpuType || 'any')} · ${num(pool.gpus, 0)} GPUs · <span class="count">${byPool.get(name).length}</span> runs</figcaption>
        <div class="gantt" id="${idPrefix}-${i}" role="img" aria-label="Gantt chart of pool ${esc(name)} with ${byPool.get(name).length} runs; the runs table lists them"></div>
      </figure>`;
    }).join('')}
    <details class="runs-table" ${container.querySelector('details.runs-table[open]') ? 'open' : ''}>
      <summary>Runs as a table (${(plan.assignments || []).length})</summary>${runsTable(byPool, Boolean(onRunClick))}</details>`;
  container.onclick = event => {
    const button = event.target.closest('button.proposal');
    if (button && onRunClick) onRunClick({ key: button.dataset.proposal });
  };
  [...byPool.keys()].forEach((name, i) => {
    drawGantt(container.querySelector(`#${idPrefix}-${i}`), {
      pool: poolOf(portfolio, name), runs: byPool.get(name), horizon: portfolio.horizon, colours, onRunClick, marking,
    });
  });
}

function runsTable(byPool, explainable) {
  const rows = [];
  for (const [pool, runs] of byPool) {
    for (const run of [...runs].sort((a, b) => a.start - b.start)) {
      rows.push(`<tr data-proposal="${esc(run.key)}" data-pool="${esc(pool)}" data-start="${esc(run.startText)}">
        <td>${explainable ? `<button type="button" class="proposal" data-proposal="${esc(run.key)}">${esc(run.key)}</button>` : esc(run.key)}</td><td>${esc(run.team)}</td><td>${esc(pool)}</td><td>${when(run.start)}</td><td>${when(run.end)}</td>
        <td class="n">${run.gpus}</td><td class="n">${num(run.gpuHours)}</td><td class="n">${num(run.expectedValue, 3)}</td>
        <td class="marks">${[run.running ? 'running' : '', run.pinned ? 'pinned' : '', run.mark ? esc(run.mark) : ''].filter(Boolean).join(', ')}</td></tr>`);
    }
  }
  return `<table class="runs"><thead><tr><th>proposal</th><th>team</th><th>pool</th><th>start (UTC)</th><th>end (UTC)</th>
    <th class="n">GPUs</th><th class="n">GPU-h</th><th class="n">expected value</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Used, reserve, free of the budget, and per team against its cap. */
export function renderGauge(container, plan, portfolio, config) {
  const budget = Number(plan.budgetGpuHours || 0);
  const usable = plan.usableGpuHours === null || plan.usableGpuHours === undefined ? budget : Number(plan.usableGpuHours);
  const used = Number(plan.totals?.gpuHours || 0);
  // The plan's own reserve statement (what it held back and why) when it has one; older plans only have usable < budget.
  const reserve = plan.reserve ? Number(plan.reserve.gpuHours) : Math.max(0, budget - usable);
  const free = usable - used;
  const pct = v => budget > 0 ? Math.max(0, Math.min(100, 100 * v / budget)) : 0;
  const reserveWhy = plan.reserve?.statement ? esc(plan.reserve.statement)
    : config && config.reservePercent !== undefined && config.reservePercent !== null
      ? `${num(config.reservePercent)}% held back by planning config "${esc(config.name)}"`
      : `held back by planning config "${esc(plan.config || 'default')}"`;
  const learned = plan.reserve && plan.reserve.basis === 'learned'
    ? ` Learned from ${num(plan.reserve.finishedRuns, 0)} finished runs at confidence ${num(plan.reserve.confidence, 2)}`
      + ` (median overrun ${num(plan.reserve.medianOverrunPercent)}%, 90th percentile ${num(plan.reserve.p90OverrunPercent)}%).` : '';
  const teamReserve = plan.reserve?.perTeam || {};
  const replan = plan.replan ? `<p class="why" id="replan-why">Replan of <a href="/plans/${esc(plan.replan.committedPlanId)}" data-link>${esc((plan.replan.committedPlanId || '').slice(0, 8))}</a>
      as of ${when(plan.replan.asOf)} UTC: period budget ${num(plan.replan.periodBudgetGpuHours)}, spent ${num(plan.replan.spentGpuHours)},
      ${num(plan.replan.runningRemainderGpuHours)} still to come from ${plan.replan.pinned.length} running run${plan.replan.pinned.length === 1 ? '' : 's'} (pinned where they run)${
      plan.replan.dropped.length ? `; left out: ${plan.replan.dropped.map(d => `${esc(d.proposal)} (${esc(d.reason)})`).join(', ')}` : ''}.</p>` : '';

  const proposals = new Map((portfolio.proposals || []).map(p => [p.key, p]));
  const teamUse = new Map();
  for (const a of plan.assignments || []) {
    const team = proposals.get(a.proposal)?.team || '?';
    teamUse.set(team, (teamUse.get(team) || 0) + Number(a.gpuHours));
  }
  const caps = { ...(config?.defaultTeamCaps || {}), ...(portfolio.budget?.perTeam || {}) };
  const teams = [...new Set([...teamUse.keys(), ...Object.keys(caps)])].sort();
  const colours = teamColours((portfolio.proposals || []).map(p => p.team));

  container.innerHTML = `<h2 id="gauge-title">Budget</h2>
    <div class="gauge-bar" role="img" aria-label="Budget ${num(budget)} GPU-hours: ${num(used)} used, ${num(reserve)} reserve, ${num(free)} free">
      <span class="used" style="width:${pct(used)}%"></span><span class="reserve" style="width:${pct(reserve)}%"></span><span class="free" style="width:${pct(Math.max(0, free))}%"></span>
    </div>
    <dl class="gauge-figures">
      <div><dt><span class="swatch used"></span>used</dt><dd data-figure="used" data-value="${used}">${num(used)}</dd></div>
      <div><dt><span class="swatch reserve"></span>reserve</dt><dd data-figure="reserve" data-value="${reserve}" title="${reserveWhy}">${num(reserve)}</dd></div>
      <div><dt><span class="swatch free"></span>free</dt><dd data-figure="free" data-value="${free}">${num(free)}</dd></div>
      <div><dt>budget</dt><dd data-figure="budget" data-value="${budget}">${num(budget)}</dd></div>
      <div><dt>expected value</dt><dd data-figure="expectedValue" data-value="${plan.totals?.expectedValue ?? ''}">${num(plan.totals?.expectedValue, 3)}</dd></div>
      <div><dt>selected</dt><dd data-figure="selected" data-value="${plan.totals?.selected ?? ''}">${num(plan.totals?.selected, 0)} of ${num(plan.totals?.candidates, 0)}</dd></div>
    </dl>
    <p class="why" id="reserve-why">GPU-hours. Reserve: ${reserveWhy}.${learned}</p>${replan}
    <table class="teams" aria-label="Budget per team"><thead><tr><th>team</th><th class="n">used</th><th class="n">cap</th>${Object.keys(teamReserve).length ? '<th class="n">reserve</th>' : ''}<th>share of cap</th></tr></thead><tbody>
    ${teams.map(team => {
      const u = teamUse.get(team) || 0;
      const cap = caps[team] === undefined ? null : Number(caps[team]);
      const share = cap ? Math.min(100, 100 * u / cap) : 0;
      return `<tr data-team="${esc(team)}"><td><span class="swatch" style="background:${colours.get(team) || '#888'}"></span>${esc(team)}</td>
        <td class="n" data-figure="team-used" data-value="${u}">${num(u)}</td><td class="n">${cap === null ? 'no cap' : num(cap)}</td>${Object.keys(teamReserve).length ? `<td class="n">${num(teamReserve[team])}</td>` : ''}
        <td>${cap ? `<span class="mini-bar" role="img" aria-label="${num(share, 0)}% of the cap"><span style="width:${share}%;background:${colours.get(team) || '#888'}"></span></span>` : ''}</td></tr>`;
    }).join('')}</tbody></table>`;
}

/** Unselected proposals grouped by reason code; each key is a button that asks for its explanation. */
export function renderUnselected(container, plan, onExplain) {
  const groups = new Map();
  for (const u of plan.unselected || []) {
    const code = u.code || 'UNKNOWN';
    if (!groups.has(code)) groups.set(code, []);
    groups.get(code).push(u);
  }
  const codes = [...groups.keys()].sort((a, b) => groups.get(b).length - groups.get(a).length);
  const wasOpen = new Set([...container.querySelectorAll('details.reason')].filter(d => d.open).map(d => d.dataset.code));
  const firstDraw = !container.querySelector('details.reason');
  const open = code => (firstDraw ? codes.length <= 3 : wasOpen.has(code));
  container.innerHTML = `<h2>Not selected (${(plan.unselected || []).length})</h2>
    ${codes.length === 0 ? '<p>Every candidate is in the plan.</p>' : ''}
    ${codes.map(code => `<details class="reason" data-code="${esc(code)}" ${open(code) ? 'open' : ''}>
      <summary><span class="code">${esc(code)}</span> <span class="count">${groups.get(code).length}</span></summary>
      <ul>${groups.get(code).map(u => `<li><button type="button" class="proposal" data-proposal="${esc(u.proposal)}"
         ${onExplain ? '' : 'disabled'}>${esc(u.proposal)}</button> <span class="message">${esc(u.message)}</span></li>`).join('')}</ul>
    </details>`).join('')}`;
  if (onExplain) {
    container.querySelectorAll('button.proposal').forEach(b => b.addEventListener('click', () => onExplain(b.dataset.proposal, b)));
  }
}

function thresholdRow(label, value, unit) {
  return `<tr><th scope="row">${label}</th><td class="n" data-threshold="${label}">${value === undefined || value === null
    ? 'no value found that selects it' : num(value, 3) + (unit ? ' ' + unit : '')}</td></tr>`;
}

/** The explanation of one proposal: its reasons, the verified thresholds that would change the decision, what it displaces. */
export async function explain(panel, planId, key, portfolio, resolveLimitSeconds) {
  const proposal = (portfolio.proposals || []).find(p => p.key === key);
  panel.hidden = false;
  panel.dataset.proposal = key;
  panel.innerHTML = `<h2 tabindex="-1">Why: ${esc(key)}</h2>${proposalFacts(proposal)}
    <p class="busy" role="status">Re-solving the plan's portfolio to verify each threshold (${resolveLimitSeconds} s per re-solve)…</p>`;
  panel.querySelector('h2').focus();
  try {
    const e = await api(`/api/plans/${encodeURIComponent(planId)}/explain/${encodeURIComponent(key)}?resolveLimitSeconds=${resolveLimitSeconds}`);
    if (panel.dataset.proposal !== key) return;
    const t = e.wouldBeSelectedIf || {};
    panel.innerHTML = `<h2 tabindex="-1">Why: ${esc(key)}</h2>${proposalFacts(proposal)}
      <p class="verdict">${e.selected ? 'Selected in this plan.' : 'Not selected in this plan.'}</p>
      <ul class="reasons">${(e.reasons || []).map(r => `<li data-code="${esc(r.code)}"><span class="code">${esc(r.code)}</span> ${esc(r.message)}</li>`).join('')}</ul>
      ${e.selected ? '' : `<h3>Selected when re-solved with one change</h3>
      <table class="thresholds">${thresholdRow('valueAtLeast', t.valueAtLeast)}${thresholdRow('hoursAtMost', t.hoursAtMost, 'h')}
        ${thresholdRow('budgetGpuHoursAtLeast', t.budgetGpuHoursAtLeast, 'GPU-h')}</table>
      <h3>At that value it displaces</h3>
      <p class="displaces">${(e.displaces || []).length ? (e.displaces || []).map(esc).join(', ') : 'nothing'}</p>`}`;
    announce(`Explanation of ${key} ready`);
  } catch (error) {
    if (panel.dataset.proposal === key) panel.innerHTML = `<h2>Why: ${esc(key)}</h2><p class="error" role="alert">${esc(error.message)}</p>`;
  }
}

function proposalFacts(p) {
  if (!p) return '';
  const facts = [`team ${esc(p.team)}`, `value ${num(p.value, 3)}`, p.successProbability ? `p ${num(p.successProbability, 3)}` : null,
    `${p.gpus} GPUs × ${num(p.hours)} h${p.gpuType ? ' of ' + esc(p.gpuType) : ''}`,
    p.earliestStart ? `from ${when(p.earliestStart)}` : null, p.deadline ? `deadline ${when(p.deadline)}` : null,
    (p.dependsOn || []).length ? `after ${p.dependsOn.map(esc).join(', ')}` : null, p.exclusiveGroup ? `group ${esc(p.exclusiveGroup)}` : null,
    p.required ? 'required' : null, p.pinned ? `pinned on ${esc(p.pinned.pool)} at ${when(p.pinned.start)}` : null].filter(Boolean);
  return `<p class="facts">${p.title ? esc(p.title) + ' — ' : ''}${facts.join(' · ')}</p>`;
}

/** The view at /plans/{id}. Returns nothing; stops polling when `view.closed` turns true. */
export async function planView(main, id, view) {
  main.innerHTML = `<p class="busy" role="status">Loading plan ${esc(id)}…</p>`;
  const [plan, portfolio] = await Promise.all([api(`/api/plans/${encodeURIComponent(id)}`), api(`/api/plans/${encodeURIComponent(id)}/portfolio`)]);
  const [config, started] = await Promise.all([
    plan.config ? api(`/api/configs/${encodeURIComponent(plan.config)}`).catch(() => null) : null,
    api('/api/runs?status=STARTED').catch(() => [])]);
  // Running runs: those a replan pinned where they run, and this plan's own runs that have started since it was committed.
  const running = new Set([...(plan.replan?.pinned || []), ...(started || []).filter(r => r.planId === id).map(r => r.proposal)]);
  if (view.closed) return;
  main.dataset.fetchedAt = String(performance.now());
  main.innerHTML = `
    <div class="plan-head">
      <h1 tabindex="-1">Plan <span class="id">${esc(id.slice(0, 8))}</span> <span id="plan-status">${statusBadge(plan.status)}</span></h1>
      <p class="meta" id="plan-meta"></p>
      <div class="actions"><button type="button" id="stop" hidden>Stop solving</button>
        <a href="/diff?a=${encodeURIComponent(id)}" data-link>Compare with another plan…</a></div>
    </div>
    <div class="plan-grid">
      <section id="gauge" class="card" aria-labelledby="gauge-title"></section>
      <section id="unselected" class="card"></section>
      <aside id="explain" class="card explain" hidden aria-live="polite"></aside>
    </div>
    <section id="violations" class="card" hidden></section>
    <section class="card"><h2>Schedule by pool</h2>
      <label class="inline">Explain re-solve limit <select id="resolve-limit"><option value="1">1 s</option><option value="2" selected>2 s</option><option value="5">5 s</option></select></label>
      <div id="gantts"></div></section>`;
  main.querySelector('h1').focus();
  const panel = main.querySelector('#explain');
  const stop = main.querySelector('#stop');
  const limit = () => Number(main.querySelector('#resolve-limit').value);
  let current = plan;
  const onExplain = key => {
    if (isActive(current)) {
      panel.hidden = false;
      panel.innerHTML = `<h2>Why: ${esc(key)}</h2><p>Explain is available once the plan has stopped solving.</p>`;
      return;
    }
    explain(panel, id, key, portfolio, limit());
  };
  const draw = p => {
    current = p;
    main.querySelector('#plan-status').innerHTML = statusBadge(p.status);
    main.querySelector('#plan-meta').innerHTML = `budget ${num(p.budgetGpuHours)} GPU-h · config <code>${esc(p.config)}</code> · `
      + `expected value <b>${num(p.totals?.expectedValue, 3)}</b> · ${p.feasible ? 'feasible' : '<b class="bad">infeasible</b>'} · score <code>${esc(p.score || '–')}</code>`
      + (p.createdAt ? ` · submitted ${when(p.createdAt)} UTC (${ago(p.createdAt)})` : '');
    stop.hidden = !isActive(p);
    renderGauge(main.querySelector('#gauge'), p, portfolio, config);
    renderUnselected(main.querySelector('#unselected'), p, onExplain);
    renderGantts(main.querySelector('#gantts'), p, portfolio, { onRunClick: run => onExplain(run.key), running });
    const violations = main.querySelector('#violations');
    violations.hidden = !(p.violations || []).length;
    violations.innerHTML = `<h2>Broken rules</h2><ul>${(p.violations || []).map(v => `<li>${esc(v)}</li>`).join('')}</ul>`;
    main.dataset.status = p.status;
    main.dataset.renderedAt = String(performance.now());
  };
  stop.addEventListener('click', async () => {
    stop.disabled = true;
    try {
      draw(await api(`/api/plans/${encodeURIComponent(id)}`, { method: 'DELETE' }));
      announce('Plan stopped');
    } catch (error) {
      announce(error.message);
    } finally {
      stop.disabled = false;
    }
  });
  draw(plan);
  while (isActive(current) && !view.closed) {
    await new Promise(r => setTimeout(r, POLL_MS));
    if (view.closed) return;
    try {
      const next = await api(`/api/plans/${encodeURIComponent(id)}`);
      if (!view.closed) draw(next);
      if (!isActive(next)) announce(`Plan ${next.status}`);
    } catch (error) {
      announce(error.message);
    }
  }
}
