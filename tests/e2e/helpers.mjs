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

// Start kbd over an index of `articles` (built here unless `index` is given).
// Resolves to { url, stop(), logs() } once kbd answers /healthz.
export async function startKbd({ articles = path.join(ROOT, 'articles'), index, extraArgs = [], allowFailed = false } = {}) {
  const dir = tempDir();
  if (!index) {
    index = path.join(dir, 'index');
    const r = runIndexer([articles, index]);
    if (r.status !== 0 && !(allowFailed && r.status === 1)) throw new Error(`indexer exited ${r.status}: ${r.stderr}`);
  }
  const child = spawn(KBD, ['--listen', '127.0.0.1:0', '--index', index,
    '--articles', articles, '--data', path.join(dir, 'data'),
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
  for (let i = 0; i < 50; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, index, dir,
    logs: () => log,
    async stop() {
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
