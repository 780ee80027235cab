// Stored and reflected XSS: every payload of tests/fixtures/xss/payloads.txt
// is put into article titles, summaries, tags, FAQ entries and bodies, into
// ticket fields, comments and handoffs, and into queries; every page that
// shows them is loaded in headless Chromium
// with the Content-Security-Policy bypassed (escaping must hold on its own).
// No script may run, and the payload text must still be visible as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startKbd, chromiumPath, CHROMIUM_ARGS, ROOT, tempDir, cleanup } from './helpers.mjs';

const payloads = readFileSync(path.join(ROOT, 'tests/fixtures/xss/payloads.txt'), 'utf8')
  .split('\n').filter((l) => l.trim());
let kbd, browser, dir;
const fired = [];

before(async () => {
  assert.ok(payloads.length >= 50, `${payloads.length} payloads`);
  dir = tempDir('kbd-xss-');
  const articles = path.join(dir, 'articles');
  mkdirSync(articles);
  payloads.forEach((p, i) => {
    const fm = [
      '---',
      `title: ${JSON.stringify(`xsscanary ${i} ${p}`)}`,
      `summary: ${JSON.stringify(`summary ${p}`)}`,
      `tags: [${JSON.stringify(`tag ${i}`)}, ${JSON.stringify(p.slice(0, 60))}]`,
      `product: ${JSON.stringify(p.slice(0, 80))}`,
      `category: ${JSON.stringify(`Cat ${p.slice(0, 40)}`)}`,
      'lang: en',
      'faq:',
      `  - q: ${JSON.stringify(`xsscanary question ${p}`)}`,
      `    a: ${JSON.stringify(`answer ${p}`)}`,
      '---',
      `Body text xsscanary ${i}.`,
      '',
      p,
      '',
      `Inline ${p} and \`${p}\``,
      '',
    ].join('\n');
    writeFileSync(path.join(articles, `p${i}.md`), fm);
  });
  kbd = await startKbd({ articles });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await kbd?.stop();
  cleanup(dir);
});

async function visit(url, check) {
  const ctx = await browser.newContext({ bypassCSP: true, extraHTTPHeaders: kbd.authHeaders });
  const page = await ctx.newPage();
  page.on('dialog', async (d) => { fired.push(`${url}: ${d.message()}`); await d.dismiss(); });
  await page.addInitScript(() => { window.__xss = 0; });
  await page.goto(kbd.url + url);
  await page.waitForTimeout(150);	// let onload/onfocus/ontoggle handlers fire
  if (check) await check(page);
  await ctx.close();
}

test('the oracle sees a script that runs (so a silent run would fail)', async () => {
  await visit('/login', async (page) => { await page.evaluate(() => setTimeout(() => alert('probe'), 0)); await page.waitForTimeout(100); });
  assert.equal(fired.length, 1);
  fired.length = 0;
});

test('no payload runs on any article page, and each shows as text', async () => {
  for (let i = 0; i < payloads.length; i++) {
    await visit(`/articles/p${i}`, async (page) => {
      const h1 = await page.locator('h1').first().innerText();
      assert.ok(h1.includes(`xsscanary ${i}`), h1);
      assert.ok(h1.replace(/\s+/g, ' ').includes(payloads[i].replace(/\s+/g, ' ').trim()), `title text ${i}: ${h1}`);
    });
  }
  assert.deepEqual(fired, []);
});

test('no payload runs on ticket pages (title, description, requester, comments, handoffs)', async () => {
  const call = (method, url, body) => fetch(kbd.url + url, { method,
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const ids = [];
  for (const p of payloads) {
    const t = await call('POST', '/api/v1/tickets', { title: `xss ${p}`.slice(0, 200), description: p,
      requester: { name: p.slice(0, 200), contact: p.slice(0, 200) }, category: p.slice(0, 100), impact: 'low', urgency: 'low' });
    assert.ok(t.id, JSON.stringify(t));
    ids.push(t.id);
    await call('POST', `/api/v1/tickets/${t.id}/comments`, { body: p, internal: false });
    await call('POST', `/api/v1/tickets/${t.id}/links`, { article: p.replace(/\.\./g, '').slice(0, 200) || 'x', relation: 'consulted' });
  }
  // a handoff full of payloads
  await call('POST', `/api/v1/tickets/${ids[0]}/escalate`, { reason: 'no-article', tried: payloads.join('\n'), steps: payloads[1], articles: [] });
  for (let i = 0; i < ids.length; i++) {
    await visit(`/tickets/${ids[i]}`, async (page) => {
      const h1 = await page.locator('h1').first().innerText();
      assert.ok(h1.includes('xss'), h1);
    });
  }
  await visit('/tickets?view=all');
  await visit(`/tickets?view=all&q=${encodeURIComponent(payloads[0])}`);
  assert.deepEqual(fired, []);
});

test('no payload runs on search results, facets, FAQ, gaps or suggestions', async () => {
  await visit('/search?q=xsscanary');
  await visit('/search?q=xsscanary&page=2');
  await visit('/search?q=xsscanary&page=3');
  await visit('/faq');
  for (const p of payloads.slice(0, 25)) {
    await visit(`/search?q=${encodeURIComponent(p)}`);
    await visit(`/login?next=${encodeURIComponent(p)}`);
  }
  await visit('/gaps');
  // the suggest dropdown renders titles through the DOM
  const ctx = await browser.newContext({ bypassCSP: true, extraHTTPHeaders: kbd.authHeaders });
  const page = await ctx.newPage();
  page.on('dialog', async (d) => { fired.push(`suggest: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${kbd.url}/`);
  await page.locator('#q').pressSequentially('xsscan', { delay: 20 });
  await page.waitForTimeout(800);
  await ctx.close();
  assert.deepEqual(fired, []);
});
