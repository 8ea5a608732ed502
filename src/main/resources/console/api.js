// The console's only way to the server: /admin/v1/* on this origin, authenticated by the session cookie that the
// sign-in sets (HttpOnly: this script never sees it). The admin token itself is sent once, to sign in, and kept
// nowhere; the CSRF token is kept in memory only and sent on every call that changes something.

const BASE = '/admin/v1';
const SESSION = `${BASE}/session`;
const CSRF_HEADER = 'X-CSRF-Token';

let csrfToken = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Called when the server answers 401: the session ended (signed out elsewhere, expired, or its token revoked). */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

async function call(method, path, {query, body} = {}) {
  const url = new URL(path.startsWith('/') ? path : `${BASE}/${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response;
  try {
    response = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store'});
  } catch (unreachable) {
    throw new ApiError(0, 'unreachable', 'Linegate did not answer; check that it is running, then try again.');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (notJson) {
    json = null;
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    if (response.status === 401 && path !== SESSION) {
      csrfToken = null;
      onSignedOut();
    }
    throw new ApiError(response.status, error.code || `http_${response.status}`,
      error.message || `Linegate answered HTTP ${response.status}.`);
  }
  return json;
}

export const api = {
  get: (path, query) => call('GET', path, {query}),
  post: (path, body) => call('POST', path, {body: body || {}}),
  patch: (path, body) => call('PATCH', path, {body}),
  del: path => call('DELETE', path),
};

function keepCsrf(answer) {
  csrfToken = answer && (answer.csrf_token || answer.csrf) || null;
  return answer;
}

/** The session this browser already has (after a reload), or null. */
export async function currentSession() {
  try {
    return keepCsrf(await call('GET', SESSION));
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(token) {
  return keepCsrf(await call('POST', SESSION, {body: {token}}));
}

export async function signOut() {
  try {
    await call('DELETE', SESSION);
  } finally {
    csrfToken = null;
  }
}
