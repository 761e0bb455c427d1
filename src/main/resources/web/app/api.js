// Every call the page makes to the service goes through here, so credentials are attached in one place:
// a bearer token kept for this tab (sessionStorage), or the session cookie with its CSRF header on changes.

const TOKEN_KEY = 'gpuplan.token';
const CSRF_COOKIE = 'gpuplan-csrf';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

function cookie(name) {
  const found = document.cookie.split(';').map(c => c.trim()).find(c => c.startsWith(name + '='));
  return found ? decodeURIComponent(found.substring(name.length + 1)) : null;
}

/** An error answered by the service: its status and problem+json detail (or text). */
export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = 'Bearer ' + bearer;
  if (method !== 'GET') {
    const csrf = cookie(CSRF_COOKIE);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, signal, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  if (!response.ok) {
    const detail = data && typeof data === 'object' ? (data.detail || data.title || JSON.stringify(data)) : (data || response.statusText);
    throw new ApiError(response.status, `${method} ${path}: ${response.status} ${detail}`, data);
  }
  return data;
}

/** A list answered either as a bare array or inside a page object. */
export function items(body) {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') return body.items || body.content || body.plans || body.results || [];
  return [];
}
