// The console's shell: signing in and out, the pages (one module each, chosen by the address's #/page?filters), and
// the notice line. A page's render(main, params, ctx) may return a function that stops what it started (polling).
import {currentSession, signIn, signOut, whenSignedOut} from './api.js';
import * as accounts from './accounts.js';
import * as lines from './lines.js';
import * as messages from './messages.js';
import * as events from './events.js';
import * as tokens from './tokens.js';

const PAGES = {accounts, lines, messages, events, tokens};
const $ = id => document.getElementById(id);
let stopPage = null;

function parseHash() {
  const [path, query] = window.location.hash.replace(/^#\/?/, '').split('?');
  const page = PAGES[path] ? path : 'accounts';
  return {page, params: Object.fromEntries(new URLSearchParams(query || ''))};
}

/** Goes to a page with these filters (kept in the address, so a view can be reloaded or shared). */
function navigate(page, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const hash = `#/${page}${query.toString() ? `?${query}` : ''}`;
  if (window.location.hash === hash) show();
  else window.location.hash = hash;
}

/** A one-line notice under the header; tone good, bad or plain. */
function flash(text, tone = 'plain') {
  const line = $('flash');
  line.textContent = text;
  line.className = `notice notice-${tone}`;
  line.hidden = !text;
}

function show() {
  if (stopPage) stopPage();
  stopPage = null;
  flash('');
  const {page, params} = parseHash();
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · Linegate console`;
  const main = $('main');
  main.replaceChildren();
  main.dataset.page = page;
  const stop = PAGES[page].render(main, params, {navigate, flash});
  stopPage = typeof stop === 'function' ? stop : null;
}

function showSignIn(message) {
  if (stopPage) stopPage();
  stopPage = null;
  $('app').hidden = true;
  $('signin').hidden = false;
  const error = $('signin-error');
  error.textContent = message || '';
  error.hidden = !message;
  $('signin-token').focus();
}

function showApp(session) {
  $('signin').hidden = true;
  $('app').hidden = false;
  const label = session && (session.label || (session.admin_token && session.admin_token.label));
  $('who').textContent = label ? `Signed in as ${label}` : 'Signed in';
  show();
}

async function start() {
  whenSignedOut(() => showSignIn('Your session ended. Sign in again.'));
  $('signin-form').addEventListener('submit', async event => {
    event.preventDefault();
    const input = $('signin-token');
    const submit = $('signin-submit');
    submit.disabled = true;
    try {
      const session = await signIn(input.value.trim());
      input.value = '';
      showApp(session);
    } catch (e) {
      showSignIn(e.status === 401 ? 'That admin token is not valid (wrong, or revoked).' : e.message);
    } finally {
      submit.disabled = false;
    }
  });
  $('signout').addEventListener('click', async () => {
    try {
      await signOut();
    } finally {
      showSignIn('');
    }
  });
  window.addEventListener('hashchange', () => { if (!$('app').hidden) show(); });
  try {
    const session = await currentSession();
    if (session) showApp(session);
    else showSignIn('');
  } catch (e) {
    showSignIn(e.message);
  }
}

start();
