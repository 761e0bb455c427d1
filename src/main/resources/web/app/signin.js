// Signing in: a personal API token is exchanged for the page's session cookie (HttpOnly, SameSite=Strict; the
// page's scripts never see it), or, when the service has an OIDC provider set up for the page, the browser signs in
// there and comes back with the provider's session. Who is signed in shows in the header, with a way to sign out.
import { api, setToken } from './api.js';
import { esc } from './format.js';

export async function showWho() {
  const who = document.getElementById('who');
  try {
    const me = await api('/api/me');
    who.innerHTML = `<span class="user">${esc(me.user)} · ${esc((me.roles || [])[me.roles.length - 1] || 'no role')}${(me.teams || []).length ? ' · ' + me.teams.map(esc).join(', ') : ''}</span>
      <button type="button" id="sign-out">Sign out</button>`;
    who.querySelector('#sign-out').addEventListener('click', async () => {
      setToken(null);
      await api('/api/session', { method: 'DELETE' }).catch(() => null);
      location.assign('/signin');
    });
  } catch (error) {
    who.innerHTML = error.status === 401 ? '<a href="/signin" data-link>Sign in</a>' : '';
  }
}

export async function signInView(main, navigate) {
  const next = new URLSearchParams(location.search).get('next') || '/';
  const options = await api('/api/session').catch(() => ({ token: true, oidc: null }));
  const oidc = options && options.oidc;
  main.innerHTML = `<h1 tabindex="-1">Sign in</h1>
    ${oidc ? `<section class="card" id="oidc-sign-in"><p>With your account at ${esc(oidc.provider)}: the page then has exactly the rights
      your account has in gpuplan.</p>
      <p><a class="button" id="oidc-link" href="${esc(oidc.path)}?next=${encodeURIComponent(next.startsWith('/') && !next.startsWith('//') ? next : '/')}">Sign in with ${esc(oidc.provider)}</a></p></section>` : ''}
    <form id="sign-in" class="card">
      <p>Paste your personal API token (an admin makes one with <code>gpuplan token create</code>). The page keeps it in a
        session cookie that its scripts cannot read, and has exactly your rights.</p>
      <div class="row">
        <label>API token <input name="token" type="password" autocomplete="off" required size="56"></label>
        <button type="submit">Sign in</button>
      </div>
      <p class="error" role="alert" id="sign-in-error"></p>
    </form>`;
  main.querySelector('h1').focus();
  const form = main.querySelector('#sign-in');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api('/api/session', { method: 'POST', body: { token: form.token.value.trim() } });
      form.token.value = '';
      await showWho();
      navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (error) {
      main.querySelector('#sign-in-error').textContent = error.status === 401 ? 'That token is not valid (or has expired or been revoked).' : error.message;
    }
  });
}
