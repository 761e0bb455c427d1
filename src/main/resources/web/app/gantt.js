// A Gantt chart of one pool: one bar per run in lanes, coloured by team and labelled with the key; maintenance
// windows shaded; a "now" line; pinned runs outlined (dashed) and running runs outlined (solid, ▶); under it a thin band of the pool's GPUs in use per slot.
import { chart } from './charts.js';
import { esc, num, when } from './format.js';

const HOUR = 3600 * 1000;

/** Lanes so that runs in one lane never overlap: each run goes to the first lane free at its start. */
export function lanes(runs) {
  const ends = [];
  const sorted = [...runs].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const run of sorted) {
    let lane = ends.findIndex(end => end <= run.start);
    if (lane < 0) { lane = ends.length; ends.push(0); }
    ends[lane] = run.end;
    run.lane = lane;
  }
  return Math.max(1, ends.length);
}

/** GPUs in use per slot of the horizon, and whether the pool is down in that slot. */
export function slotUsage(runs, pool, horizon) {
  const start = Date.parse(horizon.start);
  const slotMs = (horizon.slotMinutes || 60) * 60 * 1000;
  const count = Math.max(1, Math.round(Number(horizon.hours) * HOUR / slotMs));
  const used = new Array(count).fill(0);
  for (const run of runs) {
    const first = Math.max(0, Math.floor((run.start - start) / slotMs));
    const last = Math.min(count, Math.ceil((run.end - start) / slotMs));
    for (let s = first; s < last; s++) used[s] += run.gpus;
  }
  const windows = (pool.unavailable || []).map(w => [Date.parse(w.from), Date.parse(w.to)]);
  return used.map((gpus, s) => {
    const from = start + s * slotMs;
    const to = from + slotMs;
    const down = windows.some(([a, b]) => a < to && b > from);
    return [from, to, gpus, down ? 1 : 0];
  });
}

function clip(rect, box) {
  const x1 = Math.max(rect.x, box.x);
  const x2 = Math.min(rect.x + rect.width, box.x + box.width);
  if (x2 <= x1) return null;
  return { x: x1, y: rect.y, width: x2 - x1, height: rect.height };
}

const MARK_STYLE = {
  added: { stroke: '#0a7d22', lineWidth: 3 },
  removed: { stroke: '#b00020', lineWidth: 3 },
  moved: { stroke: '#b35900', lineWidth: 3 },
};

/**
 * Draws one pool. `runs`: [{key, team, start, end (ms), gpus, gpuHours, expectedValue, pinned, running, mark}];
 * `mark` (added/removed/moved) outlines a run in a diff, and fades the others.
 */
export function drawGantt(container, { pool, runs, horizon, colours, onRunClick, marking = false }) {
  const laneCount = lanes(runs);
  const laneHeight = laneCount > 40 ? 9 : laneCount > 20 ? 13 : 18;
  const top = 8;
  const runsHeight = laneCount * laneHeight;
  const bandTop = top + runsHeight + 6;
  const bandHeight = 12;
  const height = bandTop + bandHeight + 30;
  const min = Date.parse(horizon.start);
  const max = min + Number(horizon.hours) * HOUR;
  const now = Date.now();
  const usage = slotUsage(runs, pool, horizon);

  const renderRun = (params, api) => {
    const run = runs[api.value(3)];
    const from = api.coord([api.value(0), api.value(2)]);
    const to = api.coord([api.value(1), api.value(2)]);
    const h = api.size([0, 1])[1];
    const box = params.coordSys;
    const rect = clip({ x: from[0], y: from[1] + h * 0.1, width: Math.max(1, to[0] - from[0]), height: h * 0.8 }, box);
    if (!rect) return null;
    const mark = run.mark && MARK_STYLE[run.mark];
    const style = {
      fill: colours.get(run.team) || '#888',
      opacity: marking && !run.mark ? 0.25 : 1,
      stroke: mark ? mark.stroke : run.running || run.pinned ? '#111' : null,
      lineWidth: mark ? mark.lineWidth : run.running ? 2.5 : run.pinned ? 2 : 0,
      lineDash: run.pinned && !run.running && !mark ? [3, 2] : null,
    };
    const element = { type: 'rect', shape: rect, style };
    if (rect.width > 36 && h >= 12) {
      element.textContent = { style: { text: (run.running ? '▶ ' : run.pinned ? '📌 ' : '') + run.key, fill: '#fff', fontSize: 10, width: rect.width - 4, overflow: 'truncate' } };
      element.textConfig = { position: 'insideLeft' };
    }
    return element;
  };

  const renderSlot = (params, api) => {
    const from = api.coord([api.value(0), 0]);
    const to = api.coord([api.value(1), 0]);
    const box = params.coordSys;
    const rect = clip({ x: from[0], y: box.y, width: Math.max(1, to[0] - from[0]), height: box.height }, box);
    if (!rect) return null;
    const gpus = api.value(2);
    const down = api.value(3) === 1;
    const ratio = pool.gpus > 0 ? gpus / pool.gpus : 0;
    const fill = down ? (gpus > 0 ? '#b00020' : '#9a9a9a') : ratio > 1 ? '#b00020' : `rgba(0, 84, 147, ${0.08 + 0.92 * ratio})`;
    return { type: 'rect', shape: rect, style: { fill } };
  };

  const option = {
    animation: false,
    aria: { enabled: true, label: { description: `Gantt chart of pool ${pool.name}: ${runs.length} runs; the table below lists them.` } },
    tooltip: {
      trigger: 'item', confine: true,
      formatter: p => {
        if (p.seriesIndex === 0) {
          const run = runs[p.value[3]];
          return `<b>${esc(run.key)}</b>${run.running ? ' (running)' : ''}${run.pinned ? ' (pinned)' : ''}${run.mark ? ` — ${run.mark}` : ''}<br>team ${esc(run.team)}<br>`
            + `${when(run.start)} → ${when(run.end)} UTC<br>${run.gpus} GPUs, ${num(run.gpuHours)} GPU-h, expected value ${num(run.expectedValue, 3)}`;
        }
        const [from, , gpus, down] = p.value;
        return `${when(from)} UTC: ${gpus} of ${pool.gpus} GPUs in use${down ? ' (maintenance: no capacity)' : ''}`;
      },
    },
    grid: [
      { left: 8, right: 12, top, height: runsHeight },
      { left: 8, right: 12, top: bandTop, height: bandHeight },
    ],
    xAxis: [
      { type: 'time', gridIndex: 0, min, max, axisLabel: { show: false }, axisTick: { show: false }, splitLine: { show: true, lineStyle: { color: '#eee' } } },
      { type: 'time', gridIndex: 1, min, max, axisLabel: { hideOverlap: true, fontSize: 11 }, splitLine: { show: false } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, min: 0, max: laneCount, inverse: true, show: false },
      { type: 'value', gridIndex: 1, min: 0, max: 1, show: false },
    ],
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1], zoomOnMouseWheel: 'ctrl', moveOnMouseWheel: false, moveOnMouseMove: true }],
    series: [
      {
        type: 'custom', name: 'runs', xAxisIndex: 0, yAxisIndex: 0, clip: true,
        renderItem: renderRun, encode: { x: [0, 1], y: 2 },
        data: runs.map((run, i) => ({ name: run.key, value: [run.start, run.end, run.lane, i] })),
        markArea: {
          silent: true, itemStyle: { color: 'rgba(90, 90, 90, 0.22)' }, label: { show: true, position: 'insideTop', color: '#444', fontSize: 10 },
          data: (pool.unavailable || []).map(w => [{ name: 'maintenance', xAxis: Date.parse(w.from) }, { xAxis: Date.parse(w.to) }]),
        },
        markLine: {
          silent: true, symbol: 'none', lineStyle: { color: '#c00', width: 1.5, type: 'solid' }, label: { formatter: 'now', color: '#c00' },
          data: now >= min && now <= max ? [{ xAxis: now }] : [],
        },
      },
      {
        type: 'custom', name: 'GPUs in use', xAxisIndex: 1, yAxisIndex: 1, renderItem: renderSlot, encode: { x: [0, 1] },
        data: usage,
      },
    ],
  };
  const instance = chart(container, option, height);
  instance.off('click');
  if (onRunClick) instance.on('click', { seriesIndex: 0 }, p => onRunClick(runs[p.value[3]]));
  return instance;
}
