// The indexer command: exit codes, path:line reports, summary, incremental
// runs, and that an interrupted run leaves the previous index searchable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, INDEXER, KBD, CORPUS, tempDir, runIndexer, startKbd, getJson, cleanup } from './helpers.mjs';

const FIXTURES = path.join(ROOT, 'tests/fixtures/articles');

test('bad files are reported as path:line: message and the run ends non-zero', () => {
  const dir = tempDir();
  const r = runIndexer([FIXTURES, path.join(dir, 'index')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^bad\/broken-yaml\.md:\d+: front matter is not valid YAML/m);
  assert.match(r.stderr, /^bad\/unknown-lang\.md:3: unknown lang 'fr'/m);
  assert.match(r.stderr, /^bad\/no-title\.md:1: no title/m);
  assert.match(r.stderr, /^bad\/invalid-utf8\.md:4: invalid UTF-8/m);
  assert.match(r.stderr, /indexed=5 unchanged=0 removed=0 failed=6 fragments=1/);
  const again = runIndexer([FIXTURES, path.join(dir, 'index')]);
  assert.match(again.stderr, /indexed=0 unchanged=5 removed=0 failed=6/);
  cleanup(dir);
});

test('shipped articles index cleanly; usage errors exit 2', () => {
  const dir = tempDir();
  const r = runIndexer([path.join(ROOT, 'articles'), path.join(dir, 'index')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /failed=0/);
  assert.equal(runIndexer([]).status, 2);
  assert.equal(runIndexer(['--bogus', 'a', 'b']).status, 2);
  assert.equal(runIndexer([path.join(dir, 'missing'), path.join(dir, 'i2')]).status, 2);
  assert.equal(runIndexer(['--help']).status, 0);
  cleanup(dir);
});

test('a new file is found after re-running the indexer, without restarting kbd', async () => {
  const dir = tempDir();
  const articles = path.join(dir, 'articles');
  cpSync(path.join(ROOT, 'articles'), articles, { recursive: true });
  const kbd = await startKbd({ articles });
  try {
    let { body } = await getJson(`${kbd.url}/api/v1/search?q=zebraprinterx42`);
    assert.equal(body.total, 0);
    writeFileSync(path.join(articles, 'printing', 'zebra-label.md'),
      '---\ntitle: Zebra label printer prints blank labels\nlang: en\n---\nCalibrate the zebraprinterx42 media sensor.\n');
    assert.equal(runIndexer([articles, kbd.index]).status, 0);
    ({ body } = await getJson(`${kbd.url}/api/v1/search?q=zebraprinterx42`));
    assert.equal(body.total, 1);
    assert.equal(body.results[0].slug, 'printing/zebra-label');
  } finally {
    await kbd.stop();
    cleanup(dir);
  }
});

test('killing the indexer mid-run leaves the previous index intact', { skip: !existsSync(CORPUS) && 'no shared corpus' }, async () => {
  const dir = tempDir();
  const index = path.join(dir, 'index');
  assert.equal(runIndexer([path.join(ROOT, 'articles'), index]).status, 0);
  const kbd = await startKbd({ index });
  try {
    const before = await getJson(`${kbd.url}/api/v1/search?q=vpn`);
    // a long run over the corpus into the same index, killed part-way
    const child = spawn(INDEXER, ['--quiet', path.join(CORPUS, 'ms-supportarticles'), index], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const after = await getJson(`${kbd.url}/api/v1/search?q=vpn`);
    assert.equal(after.status, 200);
    assert.equal(after.body.total, before.body.total);
    assert.deepEqual(after.body.results.map((x) => x.slug), before.body.results.map((x) => x.slug));
    // and the next run still works on it
    assert.equal(runIndexer([path.join(ROOT, 'articles'), index]).status, 0);
  } finally {
    await kbd.stop();
    cleanup(dir);
  }
});

test('kbd refuses a missing --articles directory and leaves the index alone', async () => {
  const dir = tempDir();
  try {
    const index = path.join(dir, 'index');
    assert.equal(runIndexer([path.join(ROOT, 'articles'), index]).status, 0);
    const r = spawnSync(KBD, ['--listen', '127.0.0.1:0', '--index', index, '--articles',
      path.join(dir, 'no-such-dir'), '--data', path.join(dir, 'data'), '--watch', '0', '--quiet'],
    { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--articles .*no-such-dir: No such file or directory/);
    const kbd = await startKbd({ index });
    try {
      const health = await getJson(`${kbd.url}/healthz`);
      assert.ok(health.body.articles >= 30, 'the index still has the shipped articles');
    } finally {
      await kbd.stop();
    }
  } finally {
    cleanup(dir);
  }
});
