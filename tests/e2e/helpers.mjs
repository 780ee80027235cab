// Shared helpers for the end-to-end tests: build a real index with the real
// indexer, start the real kbd on a free port, and stop it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KBD = process.env.KBD_BIN || path.join(ROOT, 'kbd/kbd');
export const INDEXER = process.env.INDEXER_BIN || path.join(ROOT, 'indexer/indexer');
export const CORPUS = process.env.CORPUS || path.resolve(ROOT, '../shared/corpus');

export function tempDir(prefix = 'kbd-e2e-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// Run the indexer; returns { status, stdout, stderr }.
export function runIndexer(args, opts = {}) {
  const r = spawnSync(INDEXER, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

const plainFetch = globalThis.fetch;
const tokenFor = new Map();	// origin → admin token, added to requests by fetch below

// Requests to a kbd started by startKbd() carry its admin API token unless
// the caller sets an Authorization header itself ('' to go anonymous).
globalThis.fetch = (input, init = {}) => {
  const url = new URL(typeof input === 'string' ? input : input.url);
  const token = tokenFor.get(url.origin);
  const headers = new Headers(init.headers || {});
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  if (headers.get('authorization') === '') headers.delete('authorization');
  return plainFetch(input, { ...init, headers });
};
export const anonFetch = (url, init = {}) => plainFetch(url, init);

export const PASSWORD = 'correct-horse-battery';

// Create a user with the kbd command line; returns its API token.
export function addUser(dataDir, name, role, password = PASSWORD) {
  let r = spawnSync(KBD, ['--data', dataDir, 'user', 'add', name, role], { input: `${password}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`user add ${name}: ${r.stderr}`);
  r = spawnSync(KBD, ['--data', dataDir, 'token', 'add', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`token add ${name}: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop();
}

// Start kbd over an index of `articles` (built here unless `index` is given),
// with one user per role (admin, l3, l2, l1) and their API tokens in
// `tokens`. Resolves to { url, tokens, authHeaders, stop(), logs() } once kbd
// answers /healthz.
export async function startKbd({ articles = path.join(ROOT, 'articles'), index, extraArgs = [], allowFailed = false, users = ['admin', 'l3', 'l2', 'l1'], reuseData } = {}) {
  const dir = tempDir();
  const data = reuseData || path.join(dir, 'data');
  const tokens = {};
  for (const role of users) tokens[role] = addUser(data, `test-${role}`, role);
  if (!index) {
    index = path.join(dir, 'index');
    const r = runIndexer([articles, index]);
    if (r.status !== 0 && !(allowFailed && r.status === 1)) throw new Error(`indexer exited ${r.status}: ${r.stderr}`);
  }
  const child = spawn(KBD, ['--listen', '127.0.0.1:0', '--index', index,
    '--articles', articles, '--data', data,
    '--templates', path.join(ROOT, 'templates'), ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kbd did not start:\n${log}`)), 15000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/[^\s/]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kbd exited ${code}:\n${log}`)); });
  });
  child.removeAllListeners('exit');
  if (tokens.admin) tokenFor.set(new URL(url).origin, tokens.admin);
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, index, dir, data, tokens,
    authHeaders: tokens.admin ? { Authorization: `Bearer ${tokens.admin}` } : {},
    logs: () => log,
    // kill -9: nothing is flushed or cleaned up (for durability tests)
    kill9() { tokenFor.delete(new URL(url).origin); child.kill('SIGKILL'); },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
    async stop() {
      tokenFor.delete(new URL(url).origin);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
      // a sanitizer report or a crash on the way out fails the test that started kbd
      if (child.exitCode !== 0 || /Sanitizer|runtime error/.test(log))
        throw new Error(`kbd exited ${child.exitCode ?? child.signalCode}:\n${log.slice(-4000)}`);
      return child.exitCode;
    },
  };
}

export async function getJson(url) {
  const res = await fetch(url);
  const body = await res.json();
  return { status: res.status, headers: res.headers, body };
}

export function chromiumPath() {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  throw new Error('chromium not found: run scripts/deps.sh test');
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function cleanup(dir) { rmSync(dir, { recursive: true, force: true }); }

// Resolves once a browser page's event stream is open: it gets every event
// from then on (one posted before may never reach it).
export const streamOpen = (page) => page.waitForFunction(() => window.kbd && window.kbd.events &&
  window.kbd.events.readyState === 1, null, { timeout: 5000 });
