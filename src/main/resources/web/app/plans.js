// The list of plans (newest first), a form to start one from the stored proposals, and two to compare.
import { api, items } from './api.js';
import { ago, esc, num, statusBadge, when } from './format.js';
import { POLL_MS, isActive } from './plan.js';

export async function configNames() {
  const body = await api('/api/configs').catch(() => null);
  return body && body.names ? body.names : ['default'];
}

/** The config names as options, `default` chosen. */
export function configOptions(names) {
  return names.map(n => `<option ${n === 'default' ? 'selected' : ''}>${esc(n)}</option>`).join('');
}

export async function planList() {
  return items(await api('/api/plans'));
}

export async function plansView(main, view, navigate) {
  main.innerHTML = `<h1 tabindex="-1">Plans</h1>
    <section class="card">
      <h2>Start a plan from the stored proposals</h2>
      <form id="new-plan" class="row">
        <label>Budget (GPU-hours) <input name="budget" type="number" min="1" step="any" required></label>
        <label>Config <select name="config"></select></label>
        <label>Time limit (s) <input name="time" type="number" min="1" step="1" placeholder="config's"></label>
        <button type="submit">Solve</button>
        <span class="error" role="alert" id="new-plan-error"></span>
      </form>
    </section>
    <section class="card">
      <h2>All plans</h2>
      <p class="hint">Tick two plans to compare them.</p>
      <div class="row"><button type="button" id="compare" disabled>Compare the two ticked plans</button></div>
      <div id="plan-list"><p class="busy">Loading…</p></div>
    </section>`;
  main.querySelector('h1').focus();
  const form = main.querySelector('#new-plan');
  const names = await configNames();
  form.config.innerHTML = configOptions(names);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = { budgetGpuHours: Number(form.budget.value), config: form.config.value };
    if (form.time.value) body.timeLimitSeconds = Number(form.time.value);
    try {
      const plan = await api('/api/plans', { method: 'POST', body });
      navigate(`/plans/${plan.id}`);
    } catch (error) {
      main.querySelector('#new-plan-error').textContent = error.message;
    }
  });
  const ticked = [];
  const compare = main.querySelector('#compare');
  compare.addEventListener('click', () => navigate(`/plans/${ticked[0]}/diff/${ticked[1]}`));
  const draw = plans => {
    const list = main.querySelector('#plan-list');
    if (!plans.length) {
      list.innerHTML = '<p>No plans yet. Start one above, or with <code>gpuplan submit FILE --budget H</code>.</p>';
      return;
    }
    list.innerHTML = `<table class="plans"><thead><tr><th>compare</th><th>plan</th><th>status</th><th class="n">budget (GPU-h)</th>
      <th class="n">used (GPU-h)</th><th class="n">expected value</th><th class="n">selected</th><th>config</th><th>submitted (UTC)</th></tr></thead><tbody>
      ${plans.map(p => `<tr data-plan="${esc(p.id)}" data-status="${esc(p.status)}">
        <td><input type="checkbox" aria-label="compare plan ${esc(p.id.slice(0, 8))}" value="${esc(p.id)}" ${ticked.includes(p.id) ? 'checked' : ''}></td>
        <td><a href="/plans/${esc(p.id)}" data-link>${esc(p.id.slice(0, 8))}</a></td><td>${statusBadge(p.status)}${p.feasible === false && !isActive(p) ? ' <span class="bad">infeasible</span>' : ''}</td>
        <td class="n">${num(p.budgetGpuHours)}</td><td class="n">${num(p.totals?.gpuHours)}</td><td class="n">${num(p.totals?.expectedValue, 3)}</td>
        <td class="n">${num(p.totals?.selected, 0)} / ${num(p.totals?.candidates, 0)}</td><td><code>${esc(p.config)}</code></td>
        <td title="${esc(p.createdAt || '')}">${when(p.createdAt)} <span class="hint">${ago(p.createdAt)}</span></td></tr>`).join('')}</tbody></table>`;
    list.querySelectorAll('input[type=checkbox]').forEach(box => box.addEventListener('change', () => {
      const i = ticked.indexOf(box.value);
      if (box.checked && i < 0) ticked.push(box.value);
      if (!box.checked && i >= 0) ticked.splice(i, 1);
      while (ticked.length > 2) {
        const dropped = ticked.shift();
        const other = list.querySelector(`input[value="${dropped}"]`);
        if (other) other.checked = false;
      }
      compare.disabled = ticked.length !== 2;
    }));
  };
  let plans = await planList();
  if (view.closed) return;
  draw(plans);
  while (plans.some(isActive) && !view.closed) {
    await new Promise(r => setTimeout(r, POLL_MS));
    if (view.closed) return;
    plans = await planList().catch(() => plans);
    if (!view.closed) draw(plans);
  }
}
