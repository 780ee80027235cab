// Accounts, roles and security over real HTTP: the permission matrix,
// sign-in and sessions, CSRF, throttling, the audit log, the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startKbd, anonFetch, KBD, PASSWORD, tempDir, cleanup, addUser } from './helpers.mjs';

let kbd;
before(async () => { kbd = await startKbd(); });
after(async () => { await kbd.stop(); });

const as = (role, url, init = {}) => anonFetch(kbd.url + url, {
  redirect: 'manual', ...init,
  headers: { ...(init.headers || {}), ...(role === 'anon' ? {} : { Authorization: `Bearer ${kbd.tokens[role]}` }) },
});

// Sign in through the JSON API; returns { cookie, csrf }.
async function signIn(name, password = PASSWORD) {
  const res = await anonFetch(`${kbd.url}/api/v1/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: name, password }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const setCookie = res.headers.get('set-cookie');
  const body = await res.json();
  return { cookie: setCookie.split(';')[0], csrf: body.csrf, setCookie, body };
}

test('the permission matrix: every route for every role', async () => {
  const routes = [
    // path, method, expected status for anon, l1, l2, l3, admin
    ['/', 'GET', [303, 200, 200, 200, 200]],
    ['/search?q=vpn', 'GET', [303, 200, 200, 200, 200]],
    ['/articles/accounts/password-reset', 'GET', [303, 200, 200, 200, 200]],
    ['/faq', 'GET', [303, 200, 200, 200, 200]],
    ['/gaps', 'GET', [303, 403, 200, 200, 200]],
    ['/admin/users', 'GET', [303, 403, 403, 403, 200]],
    ['/login', 'GET', [200, 200, 200, 200, 200]],
    ['/static/style.css', 'GET', [200, 200, 200, 200, 200]],
    ['/healthz', 'GET', [200, 200, 200, 200, 200]],
    ['/api/v1/search?q=vpn', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/suggest?q=vp', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/articles/accounts/password-reset', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/gaps', 'GET', [401, 403, 200, 200, 200]],
    ['/api/v1/me', 'GET', [401, 200, 200, 200, 200]],
    ['/tickets', 'GET', [303, 200, 200, 200, 200]],
    ['/api/v1/tickets', 'GET', [401, 200, 200, 200, 200]],
    // publishing: reading is for everyone signed in, writing for L2 and up
    ['/write', 'GET', [303, 403, 200, 200, 200]],
    ['/write/accounts/password-reset', 'GET', [303, 403, 200, 200, 200]],
    ['/history/accounts/password-reset', 'GET', [303, 403, 200, 200, 200]],
    ['/inbox', 'GET', [303, 403, 200, 200, 200]],
    ['/canned', 'GET', [303, 403, 200, 200, 200]],
    ['/api/v1/articles/accounts/password-reset/revisions', 'GET', [401, 403, 200, 200, 200]],
    ['/api/v1/articles/accounts/password-reset/source', 'GET', [401, 403, 200, 200, 200]],
    ['/api/v1/flags', 'GET', [401, 403, 200, 200, 200]],
    ['/api/v1/faq', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/canned', 'GET', [401, 200, 200, 200, 200]],
    // writes with a body that is refused after the permission check (422/409),
    // so that nothing is written into the shipped articles
    ['/api/v1/articles', 'POST', [401, 403, 422, 422, 422], {}],
    ['/api/v1/articles/accounts/password-reset', 'PUT', [401, 403, 422, 422, 422], {}],
    ['/api/v1/articles/accounts/password-reset/publish', 'POST', [401, 403, 409, 409, 409], {}],
    ['/api/v1/articles/accounts/password-reset/attachments?name=x.png', 'POST', [401, 403, 415, 415, 415], {}],
    ['/api/v1/preview', 'POST', [401, 403, 422, 422, 422], { title: 1 }],
    ['/api/v1/articles/accounts/password-reset/flags', 'POST', [401, 422, 422, 422, 422], { kind: 'nonsense' }],
    ['/api/v1/flags/999999/resolve', 'POST', [401, 403, 404, 404, 404], {}],
    ['/api/v1/canned', 'POST', [401, 403, 422, 422, 422], {}],
    ['/api/v1/canned/999999', 'DELETE', [401, 403, 404, 404, 404]],
    ['/api/v1/faq/send', 'POST', [401, 422, 422, 422, 422], {}],
    // problems and major incidents: read by agents, worked by L2/L3
    ['/problems', 'GET', [303, 200, 200, 200, 200]],
    ['/incidents', 'GET', [303, 200, 200, 200, 200]],
    ['/notifications', 'GET', [303, 200, 200, 200, 200]],
    ['/api/v1/problems', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/problems', 'POST', [401, 403, 422, 422, 422], {}],
    ['/api/v1/problems/PRB-999999', 'PATCH', [401, 403, 404, 404, 404], {}],
    ['/api/v1/known-errors?q=vpn', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/incidents', 'GET', [401, 200, 200, 200, 200]],
    ['/api/v1/incidents', 'POST', [401, 403, 422, 422, 422], {}],
    ['/api/v1/incidents/MI-999999/updates', 'POST', [401, 403, 404, 404, 404], { text: 'x' }],
    ['/api/v1/notifications', 'GET', [401, 200, 200, 200, 200]],
    // metrics: the dashboard for L2/L3, Prometheus for admins
    ['/dashboard', 'GET', [303, 403, 200, 200, 200]],
    ['/api/v1/metrics', 'GET', [401, 403, 200, 200, 200]],
    ['/api/v1/metrics/tiers.csv', 'GET', [401, 403, 200, 200, 200]],
    ['/metrics', 'GET', [401, 403, 403, 403, 200]],
  ];
  const roles = ['anon', 'l1', 'l2', 'l3', 'admin'];
  for (const [url, method, want, body] of routes) {
    for (let i = 0; i < roles.length; i++) {
      const init = body === undefined ? { method } : { method, body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' } };
      const res = await as(roles[i], url, init);
      assert.equal(res.status, want[i], `${method} ${url} as ${roles[i]}`);
      if (want[i] === 303) assert.match(res.headers.get('location'), /^\/login\?next=/);
      if (want[i] === 401) assert.equal((await res.json()).error.code, 'unauthenticated');
    }
  }
  // methods a route does not answer
  assert.equal((await as('admin', '/api/v1/search?q=x', { method: 'DELETE' })).status, 405);
  assert.equal((await as('admin', '/login', { method: 'PUT' })).status, 405);
});

test('an L1 agent cannot manage users or change roles', async () => {
  const res = await as('l1', '/admin/users', { method: 'POST', body: 'action=add&name=x&role=admin&password=aaaaaaaaaaaaaa',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 403);
});

test('sign-in sets a safe session cookie, a new one each time, and sign-out ends it', async () => {
  const { setCookie, body, cookie } = await signIn('test-l1');
  assert.match(setCookie, /^kbd_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
  assert.equal(body.user.role, 'l1');
  assert.equal((await anonFetch(`${kbd.url}/api/v1/me`, { headers: { Cookie: cookie } })).status, 200);
  // fixation: a cookie present at sign-in is replaced and no longer works
  const again = await anonFetch(`${kbd.url}/api/v1/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({ username: 'test-l1', password: PASSWORD }),
  });
  const fresh = again.headers.get('set-cookie').split(';')[0];
  assert.notEqual(fresh, cookie);
  assert.equal((await anonFetch(`${kbd.url}/api/v1/me`, { headers: { Cookie: cookie } })).status, 401);
  // sign out with the CSRF token; the cookie is then dead
  const csrf = (await (await anonFetch(`${kbd.url}/api/v1/me`, { headers: { Cookie: fresh } })).json()).csrf;
  const out = await anonFetch(`${kbd.url}/api/v1/logout`, { method: 'POST', headers: { Cookie: fresh, 'X-CSRF-Token': csrf } });
  assert.equal(out.status, 200);
  assert.equal((await anonFetch(`${kbd.url}/api/v1/me`, { headers: { Cookie: fresh } })).status, 401);
});

test('state-changing requests from a session need the CSRF token and this origin', async () => {
  const { cookie, csrf } = await signIn('test-l2');
  const post = (headers, body = '') => anonFetch(`${kbd.url}/logout`, {
    method: 'POST', redirect: 'manual', body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
  assert.equal((await post({})).status, 403, 'no token');
  assert.equal((await post({}, `csrf=${'0'.repeat(64)}`)).status, 403, 'wrong token');
  assert.equal((await post({ Origin: 'http://127.0.0.1:9' }, `csrf=${csrf}`)).status, 403, 'other origin');
  assert.equal((await post({ 'Sec-Fetch-Site': 'cross-site' }, `csrf=${csrf}`)).status, 403, 'cross-site');
  const ok = await post({ Origin: kbd.url }, `csrf=${csrf}`);
  assert.equal(ok.status, 303, 'right token, same origin');
  assert.equal(ok.headers.get('location'), '/login');
});

test('the sign-in page works in a form and sends the user back where they were', async () => {
  const page = await anonFetch(`${kbd.url}/login?next=/faq`);
  const html = await page.text();
  const token = html.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
  const loginCookie = page.headers.get('set-cookie').split(';')[0];
  const body = new URLSearchParams({ csrf: token, next: '/faq', username: 'test-l3', password: PASSWORD });
  const res = await anonFetch(`${kbd.url}/login`, { method: 'POST', redirect: 'manual', body,
    headers: { Cookie: loginCookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/faq');
  // an open redirect is refused
  const evil = new URLSearchParams({ csrf: token, next: '//evil.example/', username: 'test-l3', password: PASSWORD });
  const r2 = await anonFetch(`${kbd.url}/login`, { method: 'POST', redirect: 'manual', body: evil,
    headers: { Cookie: loginCookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r2.headers.get('location'), '/');
  // without the form's token it is refused
  const r3 = await anonFetch(`${kbd.url}/login`, { method: 'POST', redirect: 'manual', body: evil,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r3.status, 403);
});

test('wrong passwords are throttled per account with 429 and Retry-After, and audited', async () => {
  addUser(kbd.data, 'victim', 'l1');
  const attempt = () => anonFetch(`${kbd.url}/api/v1/login`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'victim', password: 'not-the-password' }) });
  // in parallel: the limit must hold even when attempts race
  const statuses = (await Promise.all(Array.from({ length: 12 }, attempt))).map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(' '));
  assert.equal(statuses.filter((s) => s === 429).length, 7);
  const limited = await attempt();
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.equal((await limited.json()).error.code, 'too_many_attempts');
  // even the right password waits now
  const right = await anonFetch(`${kbd.url}/api/v1/login`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'victim', password: PASSWORD }) });
  assert.equal(right.status, 429);
  const audit = spawnSync('sqlite3', [path.join(kbd.data, 'kbd.db'),
    "SELECT action, count(*) FROM audit_log WHERE actor = 'victim' GROUP BY action ORDER BY action"], { encoding: 'utf8' });
  assert.match(audit.stdout, /login\.fail\|5/);
  assert.match(audit.stdout, /login\.throttled\|\d+/);
  const del = spawnSync('sqlite3', [path.join(kbd.data, 'kbd.db'), 'DELETE FROM audit_log'], { encoding: 'utf8' });
  assert.match(del.stderr, /append-only/, 'the audit log cannot be erased');
});

test('the JSON login wants JSON, and a bad token is not rescued', async () => {
  const form = await anonFetch(`${kbd.url}/api/v1/login`, { method: 'POST', body: 'username=a&password=b',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 415);
  const bad = await anonFetch(`${kbd.url}/api/v1/search?q=x`, { headers: { Authorization: 'Bearer kbd_' + '0'.repeat(64) } });
  assert.equal(bad.status, 401);
});

test('a password change ends the user\'s sessions', async () => {
  addUser(kbd.data, 'mover', 'l1');
  const { cookie } = await signIn('mover');
  const r = spawnSync(KBD, ['--data', kbd.data, 'user', 'passwd', 'mover'], { input: 'another-long-password\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await anonFetch(`${kbd.url}/api/v1/me`, { headers: { Cookie: cookie } })).status, 401);
});

test('the command line manages users and tokens; no default password', () => {
  const help = spawnSync(KBD, ['--help'], { encoding: 'utf8' });
  for (const cmd of ['user add NAME ROLE', 'user passwd NAME', 'user del NAME', 'token add NAME'])
    assert.ok(help.stdout.includes(cmd), cmd);
  const dir = tempDir();
  const short = spawnSync(KBD, ['--data', dir, 'user', 'add', 'x', 'l1'], { input: 'short\n', encoding: 'utf8' });
  assert.equal(short.status, 2);
  assert.match(short.stderr, /at least 12/);
  const role = spawnSync(KBD, ['--data', dir, 'user', 'add', 'x', 'boss'], { input: PASSWORD + '\n', encoding: 'utf8' });
  assert.equal(role.status, 2);
  assert.equal(spawnSync(KBD, ['--data', dir, 'user', 'add', 'x', 'l2'], { input: PASSWORD + '\n' }).status, 0);
  const tok = spawnSync(KBD, ['--data', dir, 'token', 'add', 'x'], { encoding: 'utf8' });
  assert.match(tok.stdout.trim().split('\n').pop(), /^kbd_[0-9a-f]{64}$/);
  assert.equal(spawnSync(KBD, ['--data', dir, 'user', 'del', 'x']).status, 0);
  assert.equal(spawnSync(KBD, ['--data', dir, 'user', 'del', 'x']).status, 1);
  cleanup(dir);
});

test('first start without users creates admin with a random password, mode 0600', async () => {
  const k = await startKbd({ users: [] });
  try {
    const file = path.join(k.data, 'initial-admin-password');
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const password = readFileSync(file, 'utf8').trim();
    assert.ok(password.length >= 32);
    assert.ok(k.logs().includes(password) === false, 'the password goes to stdout and the file, not the log');
    const res = await anonFetch(`${k.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }) });
    assert.equal(res.status, 200);
  } finally {
    await k.stop();
  }
});

test('the admin page adds a user, who can then sign in', async () => {
  const { cookie, csrf } = await signIn('test-admin');
  const body = new URLSearchParams({ csrf, action: 'add', name: 'newbie', role: 'l1', password: 'newbie-password-1' });
  const res = await anonFetch(`${kbd.url}/admin/users`, { method: 'POST', body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /newbie/);
  await signIn('newbie', 'newbie-password-1');
});

test('the language switch becomes a signed-in user\'s stored preference', async () => {
  const res = await as('l3', '/lang?set=ar&back=/faq');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/faq');
  // no cookie sent: the preference comes from the account
  const html = await (await as('l3', '/faq')).text();
  assert.match(html, /<html lang="ar" dir="rtl"/);
  await as('l3', '/lang?set=en');
  assert.match(await (await as('l3', '/faq')).text(), /<html lang="en" dir="ltr"/);
});

test('mass assignment: fields a route does not take are refused, never applied', async () => {
  const json = (role, method, url, body) => as(role, url, { method, body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' } });
  const ticket = await (await json('l1', 'POST', '/api/v1/tickets', {
    title: 'Printer jams on tray 2', description: 'Every morning.', requester: { name: 'Ali', contact: 'ali@example.com' },
    category: 'Hardware', impact: 'low', urgency: 'low' })).json();
  for (const field of [{ created_by: 'test-admin' }, { tier: 3 }, { reopened: 0 }, { id: 1 }, { resolved: 0 }]) {
    const res = await json('l1', 'PATCH', `/api/v1/tickets/${ticket.id}`, field);
    assert.equal(res.status, 400, `PATCH ${JSON.stringify(field)}`);
    assert.equal((await res.json()).error.code, 'unknown_field');
  }
  const after = await (await as('l1', `/api/v1/tickets/${ticket.id}`)).json();
  assert.equal(after.tier, 'L1');
  assert.equal(after.created_by, 'test-l1');
  // an article's status moves only through review/publish, its author is kept
  const source = await (await as('l2', '/api/v1/articles/accounts/password-reset/source')).json();
  for (const field of [{ status: 'published' }, { author: 'someone-else' }, { slug: 'elsewhere' }, { revision: 99 }]) {
    const res = await json('l2', 'PUT', '/api/v1/articles/accounts/password-reset', { base_revision: source.revision, ...field });
    assert.equal(res.status, 400, `PUT ${JSON.stringify(field)}`);
  }
  const res = await json('l2', 'POST', '/api/v1/articles', { title: 'x', status: 'published' });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, 'unknown_field');
  const again = await (await as('l2', '/api/v1/articles/accounts/password-reset/source')).json();
  assert.equal(again.revision, source.revision, 'nothing was saved');
});
