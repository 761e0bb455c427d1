// The value-vs-budget frontier: start one, watch its points arrive, read the curve and the marginal value of each
// extra GPU-hour, and open the plan behind any point.
import { api } from './api.js';
import { chart } from './charts.js';
import { announce, esc, num, statusBadge } from './format.js';
import { configNames, configOptions, planList } from './plans.js';
import { POLL_MS, renderGantts, renderGauge, renderUnselected } from './plan.js';

const ACTIVE = new Set(['QUEUED', 'SOLVING']);

export async function frontierForm(main, view, navigate) {
  const [names, plans] = await Promise.all([configNames(), planList().catch(() => [])]);
  if (view.closed) return;
  main.innerHTML = `<h1 tabindex="-1">Frontier: what more GPU-hours buy</h1>
    <form id="frontier-form" class="card">
      <div class="row">
        <label>Budgets <input name="budgets" required placeholder="4000:13000:1000 or 2000,4000,8000" size="28"></label>
        <label>Config <select name="config">${configOptions(names)}</select></label>
        <label>Time limit per point (s) <input name="time" type="number" min="1" step="1" placeholder="8"></label>
      </div>
      <div class="row">
        <label>Proposals <select name="source">
          <option value="">the stored proposals, pools and horizon</option>
          ${plans.map(p => `<option value="${esc(p.id)}">the portfolio of plan ${esc(p.id.slice(0, 8))} (budget ${num(p.budgetGpuHours)})</option>`).join('')}
        </select></label>
        <button type="submit">Solve the frontier</button>
      </div>
      <p class="error" role="alert" id="frontier-error"></p>
    </form>`;
  main.querySelector('h1').focus();
  const form = main.querySelector('#frontier-form');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const text = form.budgets.value.trim();
    const body = { budgets: text.includes(':') ? text : text.split(/[,\s]+/).filter(Boolean).map(Number), config: form.config.value };
    if (form.time.value) body.timeLimitSeconds = Number(form.time.value);
    try {
      if (form.source.value) body.portfolio = await api(`/api/plans/${encodeURIComponent(form.source.value)}/portfolio`);
      const frontier = await api('/api/frontiers', { method: 'POST', body });
      navigate(`/frontiers/${frontier.id}`);
    } catch (error) {
      main.querySelector('#frontier-error').textContent = error.message;
    }
  });
}

function drawCurve(container, points, onPoint) {
  const option = {
    animation: false,
    aria: { enabled: true, label: { description: `Expected value against budget, ${points.length} points; the table below lists them.` } },
    legend: { top: 0 },
    grid: { left: 64, right: 72, top: 36, bottom: 44 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'budget (GPU-hours)', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: [
      { type: 'value', name: 'expected value', scale: true },
      { type: 'value', name: 'marginal value / GPU-h', position: 'right', splitLine: { show: false } },
    ],
    series: [
      {
        name: 'expected value', type: 'line', symbolSize: 11, data: points.map(p => [Number(p.budgetGpuHours), Number(p.expectedValue)]),
        lineStyle: { width: 2 }, itemStyle: { color: '#0072B2' }, emphasis: { scale: 1.6 },
      },
      {
        name: 'marginal value per GPU-hour', type: 'bar', yAxisIndex: 1, barMaxWidth: 18, itemStyle: { color: 'rgba(230, 159, 0, 0.55)' },
        data: points.filter(p => p.marginalValuePerGpuHour !== null && p.marginalValuePerGpuHour !== undefined)
          .map(p => [Number(p.budgetGpuHours), Number(p.marginalValuePerGpuHour)]),
      },
    ],
  };
  const instance = chart(container, option, 340);
  instance.off('click');
  instance.on('click', { seriesIndex: 0 }, p => onPoint(p.dataIndex));
  return instance;
}

function pointsTable(points, id) {
  return `<table class="points"><thead><tr><th class="n">budget</th><th class="n">GPU-h used</th><th class="n">expected value</th><th class="n">selected</th>
    <th class="n">marginal value / GPU-h</th><th>runs added vs the previous point</th><th></th></tr></thead><tbody>
    ${points.map(p => `<tr data-budget="${esc(p.budgetGpuHours)}"><td class="n">${num(p.budgetGpuHours)}</td><td class="n">${num(p.gpuHours)}</td>
      <td class="n">${num(p.expectedValue, 3)}</td><td class="n">${num(p.selected, 0)}</td><td class="n">${num(p.marginalValuePerGpuHour, 4)}</td>
      <td class="added">${(p.added || []).slice(0, 6).map(esc).join(', ')}${(p.added || []).length > 6 ? ` and ${(p.added || []).length - 6} more` : ''}</td>
      <td><a href="/frontiers/${esc(id)}/points/${esc(p.budgetGpuHours)}" data-link>open plan</a></td></tr>`).join('')}</tbody></table>`;
}

export async function frontierView(main, id, view, navigate, openBudget) {
  main.innerHTML = `<p class="busy" role="status">Loading frontier ${esc(id)}…</p>`;
  let frontier = await api(`/api/frontiers/${encodeURIComponent(id)}`);
  const portfolio = await api(`/api/frontiers/${encodeURIComponent(id)}/portfolio`);
  if (view.closed) return;
  main.innerHTML = `<h1 tabindex="-1">Frontier <span class="id">${esc(id.slice(0, 8))}</span> <span id="frontier-status"></span></h1>
    <p class="meta" id="frontier-meta"></p>
    <section class="card"><div id="curve" class="curve" role="img" aria-label="Expected value against budget; the table below lists the points"></div>
      <div id="points"></div></section>
    <section id="point-plan" hidden></section>`;
  main.querySelector('h1').focus();
  const draw = f => {
    const points = f.points || [];
    main.querySelector('#frontier-status').innerHTML = statusBadge(f.status);
    main.querySelector('#frontier-meta').innerHTML = `config <code>${esc(f.config)}</code> · ${points.length} of ${(f.budgets || []).length} points solved`
      + (f.failure ? ` · <span class="bad">${esc(f.failure)}</span>` : '') + (ACTIVE.has(f.status) ? ' · marginal values come with the final curve' : '');
    main.dataset.status = f.status;
    main.dataset.points = String(points.length);
    drawCurve(main.querySelector('#curve'), points, i => navigate(`/frontiers/${id}/points/${points[i].budgetGpuHours}`));
    main.querySelector('#points').innerHTML = pointsTable(points, id);
    if (openBudget !== undefined) showPoint(main.querySelector('#point-plan'), points, openBudget, portfolio);
  };
  draw(frontier);
  while (ACTIVE.has(frontier.status) && !view.closed) {
    await new Promise(r => setTimeout(r, POLL_MS));
    if (view.closed) return;
    try {
      frontier = await api(`/api/frontiers/${encodeURIComponent(id)}`);
      if (!view.closed) draw(frontier);
    } catch (error) {
      announce(error.message);
    }
  }
}

function showPoint(section, points, budget, portfolio) {
  const point = points.find(p => Number(p.budgetGpuHours) === Number(budget));
  const first = section.hidden;
  section.hidden = false;
  if (!point || !point.plan) {
    section.innerHTML = `<div class="card"><p>The point at budget ${esc(budget)} is not solved yet.</p></div>`;
    return;
  }
  const plan = { ...point.plan, budgetGpuHours: point.plan.budgetGpuHours ?? point.budgetGpuHours };
  const pointPortfolio = { ...portfolio, budget: { ...(portfolio.budget || {}), gpuHours: point.budgetGpuHours } };
  section.innerHTML = `<h2 tabindex="-1">The plan at budget ${num(point.budgetGpuHours)} GPU-hours</h2>
    <div class="plan-grid"><section id="point-gauge" class="card"></section><section id="point-unselected" class="card"></section></div>
    <section class="card"><h2>Schedule by pool</h2><div id="point-gantts"></div></section>`;
  renderGauge(section.querySelector('#point-gauge'), plan, pointPortfolio, null);
  renderUnselected(section.querySelector('#point-unselected'), plan, null);
  renderGantts(section.querySelector('#point-gantts'), plan, pointPortfolio, { idPrefix: 'point-gantt' });
  if (first) section.querySelector('h2').focus();
}
