// Formatting and small DOM helpers shared by the views.

export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** A number as people read it: thousands separated, at most `digits` decimals. */
export function num(value, digits = 1) {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** An instant in UTC, short: 2026-12-01 02:00. */
export function when(instant) {
  if (!instant) return '–';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return String(instant);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export function ago(instant) {
  if (!instant) return '';
  const seconds = Math.round((Date.now() - new Date(instant).getTime()) / 1000);
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export function statusBadge(status) {
  return `<span class="status status-${esc(status).toLowerCase()}">${esc(status)}</span>`;
}

export function announce(message) {
  const region = document.getElementById('announce');
  if (region) region.textContent = message;
}

// Okabe-Ito's colour-blind safe palette, then a few more distinct hues.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
  '#7F3C8D', '#11A579', '#3969AC', '#F2B701', '#E73F74', '#80BA5A'];

/** One colour per team, stable for a given list of teams. */
export function teamColours(teams) {
  const colours = new Map();
  [...new Set(teams)].sort().forEach((team, i) => colours.set(team, PALETTE[i % PALETTE.length]));
  return colours;
}

export function el(html) {
  const template = document.createElement('template');
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}
