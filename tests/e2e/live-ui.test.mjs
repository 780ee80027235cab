// Problems, major incidents, notifications and live updates in headless
// Chromium against the real kbd, signed in through the login form (so the
// pages' writes carry the session's CSRF token):
//   (a) an L2 engineer's open queue shows an escalation L1 makes through
//       the API, without a reload;
//   (b) a major incident declared through the API appears in the banner of
//       an open L1 page (and is offered on the new-ticket form), then leaves
//       it when closed;
//   (c) a ticket page says "test-l3 is editing" when L3 announces it, the
//       page's own typing is announced to the others, and a change or a
//       comment by L3 shows as a notice while what was typed stays;
//   (d) the notification count goes up when someone mentions the user in
//       an internal note; /notifications lists it and marks it read;
//   (e) L2 opens a problem from a ticket, writes the analysis, declares a
//       known error with a new workaround draft; the ticket shows the
//       problem, and once the draft is published the ticket shows the
//       workaround and the new-ticket form offers the known error first;
//   (f) axe-core: no serious or critical problem on /problems, a problem,
//       /incidents, an incident, /notifications and pages with the banner,
//       in English and in Arabic.
// Known-error drafts write article files: kbd runs on a copy of articles/.
// Screenshots go to tests/artifacts/live-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startKbd, anonFetch, chromiumPath, CHROMIUM_ARGS, ROOT, PASSWORD, tempDir, cleanup, streamOpen } from './helpers.mjs';

const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const AR = JSON.parse(readFileSync(path.join(ROOT, 'templates/i18n/ar.json'), 'utf8'));

let kbd, browser, dir;
before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = tempDir('kbd-live-ui-');
  const articles = path.join(dir, 'articles');
  cpSync(path.join(ROOT, 'articles'), articles, { recursive: true });
  kbd = await startKbd({ articles });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await kbd?.stop();
  if (dir) cleanup(dir);
});

// ---- helpers ----

function api(role, method, url, body) {
  const headers = { Authorization: `Bearer ${kbd.tokens[role]}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return anonFetch(kbd.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(async (res) => {
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: json, text };
    });
}

async function ticket(role = 'l1', extra = {}) {
  const res = await api(role, 'POST', '/api/v1/tickets', {
    title: 'Outlook keeps asking for a password', description: 'Since this morning.',
    requester: { name: 'Ali Hassan', contact: 'ali@example.com' }, category: 'Email',
    impact: 'low', urgency: 'medium', ...extra,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

let criteria;
async function handoff() {
  if (!criteria) criteria = (await api('l1', 'GET', '/api/v1/escalation-criteria')).body;
  return { to_tier: 'L2', reason: criteria[0].id, tried: 'Restarted the reader.',
    steps: 'Badge in at the door on floor 4.', articles: [] };
}

// A browser signed in as test-ROLE through the login form (in lang, when
// given); fails the test on script errors (collected in errors).
async function signIn(role, lang) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (lang) await ctx.addCookies([{ name: 'kbd_lang', value: lang, url: kbd.url }]);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${kbd.url}/login`);
  await page.locator('#username').fill(`test-${role}`);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('.login__form button[type="submit"]').click()]);
  assert.equal(await page.locator('.user-menu__name bdi').innerText(), `test-${role}`, 'signed in');
  return { ctx, page, errors };
}


// A mark on the window: still there afterwards means the page never reloaded.
const mark = (page) => page.evaluate(() => { window.__kbdMark = 'not reloaded'; });
const marked = (page) => page.evaluate(() => window.__kbdMark);

async function submit(page, button) {
  const [res] = await Promise.all([page.waitForNavigation({ timeout: 10000 }), button.click()]);
  return res.status();
}

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target).join(' ')}`);
}

const polite = (page) => page.locator('[data-live-polite]').textContent();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- (a) the queue ----

test('(a) an escalation made by L1 through the API shows on the open L2 queue without a reload', async () => {
  const { ctx, page, errors } = await signIn('l2');
  await page.goto(`${kbd.url}/tickets`);
  await streamOpen(page);
  await mark(page);
  const title = 'Badge reader rejects every card on floor 4';
  const t = await ticket('l1', { title });
  const esc = await api('l1', 'POST', `/api/v1/tickets/${t.id}/escalate`, await handoff());
  assert.equal(esc.status, 200, esc.text);

  const line = page.locator(`[data-live-topic="escalation"] [data-escalated="${t.id}"]`);
  await line.waitFor({ timeout: 5000 });
  assert.equal(await line.innerText(), `${t.id} escalated to L2: ${title}`);
  assert.equal(await line.locator('a').getAttribute('href'), `/tickets/${t.id}`);
  const notice = page.locator('[data-live-topic="escalation"]');
  assert.equal(await notice.locator('.live-notice__reload').getAttribute('href'), '/tickets', 'a link reloads the queue');
  await page.waitForFunction((id) => document.querySelector('[data-live-polite]').textContent.includes(`${id} escalated to L2`),
    t.id, { timeout: 3000 });
  // the escalation is a notification for the L2 tier as well
  await page.waitForFunction(() => Number(document.querySelector('[data-unread]').getAttribute('data-unread')) >= 1,
    null, { timeout: 3000 });
  assert.equal(await marked(page), 'not reloaded', 'the page did not reload');
  assert.equal(new URL(page.url()).pathname, '/tickets');
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-queue-escalation.png'), fullPage: true });
  assert.deepEqual(await axe(page), [], 'axe on the queue with a live notice');

  // "Dismiss" removes the notice
  await notice.locator('.live-notice__dismiss').click();
  assert.equal(await notice.count(), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- (b) the incident banner ----

test('(b) a major incident declared through the API appears in the banner of an open L1 page, then leaves it when closed', async () => {
  const { ctx, page, errors } = await signIn('l1');
  await page.goto(`${kbd.url}/faq`);
  await streamOpen(page);
  await mark(page);
  const banners = page.locator('[data-mi-banners]');
  assert.equal(await banners.isVisible(), false, 'no banner without an incident');

  const p1 = await ticket('l1', { impact: 'high', urgency: 'high', title: 'Wifi down in building C' });
  assert.equal(p1.priority, 'P1');
  const summary = 'Wifi down in building C since 10:00';
  const advice = 'Use a network cable, or the guest wifi on floor 1.';
  const mi = await api('l2', 'POST', '/api/v1/incidents', { ticket: p1.id, summary, advice });
  assert.equal(mi.status, 201, mi.text);
  const id = mi.body.id;

  const banner = page.locator(`.mi-banner[data-incident="${id}"]`);
  await banner.waitFor({ timeout: 5000 });
  assert.ok(await banners.isVisible());
  assert.equal(await banner.locator('[data-mi-summary]').innerText(), summary);
  assert.equal(await banner.locator('[data-mi-advice]').innerText(), advice);
  assert.match(await banner.innerText(), /What to tell users:/);
  assert.equal(await banner.locator('a').getAttribute('href'), `/incidents/${id}`);
  // the event has no start time: the page asks for it
  await page.waitForFunction((x) => /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/.test(
    document.querySelector(`[data-incident="${x}"] [data-mi-since]`).textContent), id, { timeout: 3000 });
  await page.waitForFunction((s) => document.querySelector('[data-live-assertive]').textContent.includes(s), summary,
    { timeout: 3000 });

  // an update shows in the banner
  assert.equal((await api('l3', 'POST', `/api/v1/incidents/${id}/updates`, { text: 'Vendor engineer on site.' })).status, 201);
  await page.waitForFunction((x) => (document.querySelector(`[data-incident="${x}"] [data-mi-update]`) || {}).textContent ===
    'Vendor engineer on site.', id, { timeout: 3000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-banner.png') });
  assert.equal(await marked(page), 'not reloaded');

  // the banner is on every page, served with it; the new-ticket form offers the incident
  const other = await ctx.newPage();
  await other.goto(`${kbd.url}/tickets/new`);
  assert.equal(await other.locator(`.mi-banner[data-incident="${id}"] [data-mi-summary]`).innerText(), summary);
  const box = other.locator(`input[name="incident"][value="${id}"]`);
  assert.equal(await box.count(), 1, 'the new-ticket form offers the incident');
  assert.match(await other.locator(`label[for="field-incident-${id}"]`).innerText(), new RegExp(`This ticket is part of ${summary}`));
  await other.locator('#field-title').fill('No wifi in meeting room C2');
  await other.locator('#field-requester_name').fill('Mona Saleh');
  await box.check();
  assert.equal(await submit(other, other.locator('form.new-ticket button[type="submit"]')), 200);
  const linked = new URL(other.url()).pathname.split('/').pop();
  const inc = (await api('l1', 'GET', `/api/v1/incidents/${id}`)).body;
  assert.ok(inc.tickets.some((x) => x.id === linked), `the new ticket ${linked} is linked: ${JSON.stringify(inc.tickets)}`);
  await other.close();

  // closing removes it, live
  assert.equal((await api('l2', 'POST', `/api/v1/incidents/${id}/close`, { text: 'Access point replaced.' })).status, 200);
  await banner.waitFor({ state: 'detached', timeout: 5000 });
  assert.equal(await banners.isVisible(), false, 'the banner is gone with the last incident');
  assert.equal(await marked(page), 'not reloaded');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- (c) editing together ----

test('(c) a ticket page shows who else is editing and what someone else changed, keeping what was typed', async () => {
  const t = await ticket('l1', { title: 'Shared drive maps to the wrong letter' });
  const { ctx, page, errors } = await signIn('l2');
  await page.goto(`${kbd.url}/tickets/${t.id}`);
  await streamOpen(page);
  await mark(page);
  const presence = page.locator('[data-presence]');
  assert.equal(await presence.isVisible(), false);

  assert.equal((await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true })).status, 200);
  await presence.waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await presence.innerText(), /test-l3 is editing/);
  assert.doesNotMatch(await presence.innerText(), /test-l2/, 'never the user of the page');

  // typing in a change form announces this user to the others
  await page.locator('#field-body').pressSequentially('Looking at the GPO', { delay: 5 });
  let others = [];
  for (let i = 0; i < 30 && !others.includes('test-l2'); i++) {
    others = (await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true })).body.editing;
    if (!others.includes('test-l2')) await sleep(100);
  }
  assert.deepEqual(others, ['test-l2'], 'the page said test-l2 is editing');

  // L3 stops editing: the line goes
  await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: false });
  await presence.waitFor({ state: 'hidden', timeout: 5000 });

  // L3 changes the ticket, then comments: notices, no reload
  assert.equal((await api('l3', 'PATCH', `/api/v1/tickets/${t.id}`, { category: 'Network' })).status, 200);
  const notice = page.locator('[data-live-topic="ticket"]');
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.innerText(), /This ticket changed: test-l3 changed category/);
  assert.equal(await notice.locator('.live-notice__reload').getAttribute('href'), `/tickets/${t.id}`);
  assert.equal((await api('l3', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Checked the GPO.', internal: true })).status, 201);
  await page.waitForFunction(() => document.querySelector('[data-live-topic="ticket"]').textContent
    .includes('test-l3 added an internal note.'), null, { timeout: 5000 });
  assert.equal(await page.locator('#field-body').inputValue(), 'Looking at the GPO', 'what was typed is kept');
  assert.equal(await marked(page), 'not reloaded');
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-ticket-notices.png'), fullPage: true });
  assert.deepEqual(await axe(page), [], 'axe on a ticket page with live notices');

  // sending the comment says "no longer editing"
  assert.equal(await submit(page, page.locator('#field-body').locator('xpath=ancestor::form').locator('button[type="submit"]')), 200);
  let after = ['test-l2'];
  for (let i = 0; i < 30 && after.includes('test-l2'); i++) {
    after = (await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true })).body.editing;
    if (after.includes('test-l2')) await sleep(100);
  }
  assert.deepEqual(after, [], 'test-l2 stopped editing when the form was sent');
  await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: false });
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- (d) notifications ----

test('(d) a mention in an internal note raises the notification count live; /notifications lists it and marks it read', async () => {
  const t = await ticket('l1', { title: 'Printer on floor 2 prints blank pages' });
  const { ctx, page, errors } = await signIn('l2');
  await page.goto(`${kbd.url}/faq`);
  await streamOpen(page);
  await mark(page);
  const count = () => page.locator('[data-unread]').getAttribute('data-unread').then((n) => Number(n) || 0);
  await sleep(200);	// the stream's hello (the count as it starts) is in
  const before = await count();

  const c = await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Can you check the toner log, @test-l2?', internal: true });
  assert.equal(c.status, 201, c.text);
  await page.waitForFunction((n) => Number(document.querySelector('[data-unread]').getAttribute('data-unread')) === n,
    before + 1, { timeout: 5000 });
  assert.ok(await page.locator('.notif-count').isVisible());
  assert.equal(await page.locator('[data-unread-n]').innerText(), String(before + 1));
  assert.match(await page.locator('.notif-link').innerText(), new RegExp(`Notifications\\s*${before + 1}\\s*unread`));
  assert.match(await polite(page), /New notification: test-l1 mentioned you/);
  assert.equal(await marked(page), 'not reloaded');

  await page.locator('.notif-link').click();
  await page.waitForURL((u) => u.pathname === '/notifications');
  const item = page.locator('.notif--unread').filter({ hasText: t.id });
  assert.equal(await item.count(), 1);
  assert.match(await item.innerText(), /test-l1 mentioned you/);
  assert.match(await item.innerText(), /toner log/);
  assert.equal(await item.locator('a.ticket-id').getAttribute('href'), `/tickets/${t.id}`);
  await page.locator('[data-notif-read]').click();
  await page.waitForFunction(() => !document.querySelector('.notif--unread') && document.querySelector('[data-unread]').hidden,
    null, { timeout: 5000 });
  assert.equal((await api('l2', 'GET', '/api/v1/notifications')).body.unread, 0);
  assert.match(await page.locator('[data-notif-status]').innerText(), /All marked read/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- (e) problem management ----

test('(e) L2 opens a problem from a ticket, analyses it, makes it a known error with a new draft; L1 is offered it once published', async () => {
  const t = await ticket('l1', { title: 'Quillbot scanner jams on duplex scans', description: 'The quillbot scanner jams whenever duplex is used.' });
  const { ctx, page, errors } = await signIn('l2');
  await page.goto(`${kbd.url}/tickets/${t.id}`);
  assert.match(await page.locator('.ticket-problems').innerText(), /Not part of a problem/);
  await page.locator('.ticket-problems a', { hasText: 'Open a problem from this ticket' }).click();
  await page.waitForURL((u) => u.pathname === '/problems' && u.searchParams.get('ticket') === t.id);
  assert.equal(await page.locator('#field-tickets').inputValue(), t.id, 'the form starts with the ticket');
  const title = 'Quillbot scanner jams on duplex scanning';
  await page.locator('#field-title').fill(title);
  await page.locator('#field-symptoms').fill('The quillbot document feeder jams on every duplex scan.');
  assert.equal(await submit(page, page.locator('.problem-new button[type="submit"]')), 200);
  const pid = new URL(page.url()).pathname.split('/').pop();
  assert.match(pid, /^PRB-\d{6}$/);
  assert.match(await page.locator('h1').innerText(), new RegExp(`${pid}\\s+${title}`));
  assert.match(await page.locator('.problem-tickets').innerText(), new RegExp(t.id));
  assert.equal((await page.locator('.problem-status').innerText()).trim(), 'investigating');

  // the analysis
  await page.locator('#field-timeline').fill('Since the firmware update on Monday.');
  await page.locator('#field-cause').fill('Worn duplex rollers in the feeder.');
  await page.locator('#field-factors').fill('Heavy paper stock.');
  await page.locator('#field-whys').fill('The paper jams\nThe rollers slip\nThe rollers are worn');
  await page.locator('#field-workaround').fill('Scan single-sided, then merge the files.');
  await page.locator('#field-fix').fill('Replace the roller kit.');
  await page.locator('#field-owner').fill('test-l3');
  assert.equal(await submit(page, page.locator('form.problem-edit button[type="submit"]')), 200);
  const analysis = page.locator('.analysis');
  assert.match(await analysis.innerText(), /Worn duplex rollers in the feeder\./);
  assert.deepEqual(await page.locator('.why-chain li').allInnerTexts(),
    ['Why? The paper jams', 'Why? The rollers slip', 'Why? The rollers are worn']);
  assert.equal(await page.locator('#field-whys').inputValue(), 'The paper jams\nThe rollers slip\nThe rollers are worn');
  assert.match(await analysis.innerText(), /test-l3/);

  // a known error without an article is refused, and the page says where
  const keForm = page.locator('#field-article').locator('xpath=ancestor::form');
  await keForm.evaluate((f) => { f.noValidate = true; });
  assert.equal(await submit(page, keForm.locator('button[type="submit"]')), 422);
  assert.equal(await page.locator('.form-errors a[href="#field-article"]').count(), 1);
  assert.equal(await page.locator('#field-article').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axe(page), [], 'axe on a problem with an error');

  // a new draft as its workaround
  assert.equal(await submit(page, page.locator('button', { hasText: 'Write a new workaround draft' })), 200);
  assert.equal((await page.locator('.problem-status').innerText()).trim(), 'known error');
  const slug = (await page.locator('.problem-article code.slug').innerText()).trim();
  assert.match(slug, new RegExp(`^problems/${pid.toLowerCase()}`));
  assert.match(await page.locator('.problem-article').innerText(), /draft, not yet visible to L1/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-problem.png'), fullPage: true });

  // the ticket page shows the problem; the workaround once it is published
  await page.goto(`${kbd.url}/tickets/${t.id}`);
  const panel = page.locator('.ticket-problems');
  assert.match(await panel.innerText(), new RegExp(`${pid}\\s+${title}\\s+known error`));
  assert.equal(await page.locator('.known-error-callout').count(), 0, 'a draft is not shown as the workaround');
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/review`, {})).status, 200);
  const pub = await api('l2', 'POST', `/api/v1/articles/${slug}/publish`);
  assert.equal(pub.status, 200, pub.text);
  await page.reload();
  const callout = page.locator('.known-error-callout');
  assert.equal(await callout.count(), 1);
  assert.match(await callout.innerText(), /^Known error — workaround: /);
  assert.equal(await callout.locator('a').first().getAttribute('href'), `/articles/${slug}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-ticket-known-error.png'), fullPage: true });
  await page.goto(`${kbd.url}/problems/${pid}`);
  assert.match(await page.locator('.problem-article').innerText(), /published/);

  // L1 writing a new ticket with those words is offered the known error first
  const l1 = await signIn('l1');
  await l1.page.goto(`${kbd.url}/tickets/new`);
  await l1.page.locator('#field-title').pressSequentially('Quillbot scanner jams when scanning duplex', { delay: 5 });
  const known = l1.page.locator(`[data-triage-results] .triage__known[data-known-error="${pid}"]`);
  await known.waitFor({ timeout: 5000 });
  assert.match(await known.innerText(), new RegExp(`Known error\\s+${title}`));
  assert.equal(await known.locator('a').getAttribute('href'), `/articles/${slug}`);
  assert.equal(await l1.page.locator('[data-triage-results] h3').first().innerText(), 'Known errors', 'before the articles');
  await l1.page.screenshot({ path: path.join(ARTIFACTS, 'live-new-ticket-known-error.png'), fullPage: true });
  assert.deepEqual(l1.errors, []);
  await l1.ctx.close();
  assert.deepEqual(errors, []);
  await ctx.close();
});

// ---- (f) accessibility, in both languages ----

test('(f) axe: problems, a problem, incidents, an incident, notifications and the banner, in English and Arabic', async () => {
  const t = await ticket('l1', { impact: 'high', urgency: 'high', title: 'Telephones down in the call centre' });
  const prb = (await api('l2', 'POST', '/api/v1/problems', { title: 'Phone system drops calls', symptoms: 'Calls drop after a minute.', tickets: [t.id] })).body;
  await api('l2', 'PATCH', `/api/v1/problems/${prb.id}`, { cause: 'SIP trunk timer.', whys: ['Calls drop', 'The trunk times out'] });
  const mi = (await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id, summary: 'Call centre phones down', advice: 'Call back from a mobile.' })).body;
  await api('l3', 'POST', `/api/v1/incidents/${mi.id}/updates`, { text: 'Carrier contacted.' });
  await api('l1', 'POST', `/api/v1/tickets/${(await ticket('l1')).id}/comments`, { body: '@test-l2 have a look', internal: true });
  await sleep(300);	// the notification is written by the event tail
  const pages = ['/problems', '/problems?status=investigating', `/problems/${prb.id}`, '/incidents', `/incidents/${mi.id}`,
    '/notifications', `/tickets/${t.id}`, '/tickets/new'];
  try {
    for (const lang of ['en', 'ar']) {
      const { ctx, page, errors } = await signIn('l2', lang);
      for (const url of pages) {
        const res = await page.goto(kbd.url + url);
        assert.equal(res.status(), 200, url);
        assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
        assert.equal(await page.locator(`.mi-banner[data-incident="${mi.id}"]`).count(), 1, `the banner on ${url}`);
        const text = await page.locator('body').innerText();
        assert.doesNotMatch(text, /\{\{|\}\}|\b(pr|mi|nt|lv|ke|tk)_[a-z0-9_]+\b/, `no template tag or catalogue key on ${url}`);
        if (lang === 'ar') assert.ok(text.includes(AR.mi_tell_users), `the Arabic banner on ${url}`);
        assert.deepEqual(await axe(page), [], `axe ${lang} ${url}`);
        if (!url.includes('?'))
          await page.screenshot({ path: path.join(ARTIFACTS, `live-${lang}-${url.split('/')[1]}${url.split('/')[2] ? '-one' : ''}.png`), fullPage: true });
      }
      // the status filter marks the one in use
      await page.goto(`${kbd.url}/problems?status=investigating`);
      assert.equal(await page.locator('[data-filter-value="investigating"]').getAttribute('aria-current'), 'page');
      assert.deepEqual(errors, []);
      await ctx.close();
    }
  } finally {
    await api('l2', 'POST', `/api/v1/incidents/${mi.id}/close`, { text: 'Carrier fixed it.' });
  }
});
