// Stored and reflected XSS: every payload of tests/fixtures/xss/payloads.txt
// is put into article titles, summaries, tags, FAQ entries and bodies, into
// ticket fields, comments and handoffs, and into queries; every page that
// shows them is loaded in headless Chromium
// with the Content-Security-Policy bypassed (escaping must hold on its own).
// No script may run, and the payload text must still be visible as text.
// The same goes for problems (every analysis field), major incidents (the
// banner on every page, also as it is updated live, the incident pages and
// the post-incident review drafts), canned replies (the list, the editing
// form and the picker on a ticket), article flags and the author's
// notification, mentions, article revisions (history, diff, editor and its
// live preview, the conflict page), knowledge gaps (/gaps and the dashboard)
// and FAQ entries written through the API. "No script runs" means: no
// dialog, and no call of alert/confirm/prompt seen by a wrapper that logs a
// console marker and counts in window.__xss.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startKbd, chromiumPath, CHROMIUM_ARGS, ROOT, tempDir, cleanup, streamOpen } from './helpers.mjs';

const payloads = readFileSync(path.join(ROOT, 'tests/fixtures/xss/payloads.txt'), 'utf8')
  .split('\n').filter((l) => l.trim());
let kbd, browser, dir;
const fired = [];	// dialogs
const marks = [];	// console markers and window.__xss counts: alert/confirm/prompt called

// What every page gets before its own scripts: alert, confirm and prompt
// still open their dialog, but first count in window.__xss and log a marker.
const MARK = '__xss_marker__';
function hook() {
  window.__xss = 0;
  for (const name of ['alert', 'confirm', 'prompt']) {
    const real = window[name];
    window[name] = function (...args) {
      window.__xss++;
      console.log(`__xss_marker__ ${name}(${String(args[0])})`);
      return real.apply(window, args);
    };
  }
}

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
  for (const ctx of allContexts) await ctx.close().catch(() => {});
  await browser?.close();
  await kbd?.stop();
  cleanup(dir);
});

// A page as `as` (admin, l3, l2 or l1: the users startKbd() made), with the
// dialog and console hooks; settle() waits for handlers (onload, onfocus,
// ontoggle, …) and records what ran. Every page has a browser context to
// itself (its event stream must not wait for a connection another page
// holds), and once closed it is navigated to the next address instead of
// making a new one: a new document each time (with the hook), at a fraction
// of the cost.
const idle = new Map();	// user → [{ ctx, page, label }] not in use
const allContexts = [];
async function openPage(url, { as = 'admin' } = {}) {
  if (!idle.has(as)) idle.set(as, []);
  let slot = idle.get(as).pop();
  while (slot && slot.page.isClosed()) slot = idle.get(as).pop();
  if (!slot) {
    const ctx = await browser.newContext({ bypassCSP: true,
      extraHTTPHeaders: as === 'admin' ? kbd.authHeaders : { Authorization: `Bearer ${kbd.tokens[as]}` } });
    allContexts.push(ctx);
    const page = await ctx.newPage();
    const made = { ctx, page, label: '', ran: false };
    page.on('dialog', async (d) => {
      // leaving a form with changes asks first: that is the page's own script
      if (d.type() === 'beforeunload') return d.accept().catch(() => {});
      made.ran = true;
      fired.push(`${made.label}: ${d.message()}`);
      await d.dismiss().catch(() => {});
    });
    page.on('console', (m) => {
      if (!m.text().includes(MARK)) return;
      made.ran = true;
      marks.push(`${made.label}: ${m.text()}`);
    });
    await page.addInitScript(hook);
    slot = made;
  }
  const { page } = slot;
  slot.label = `${as} ${url}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // a page where a script ran may go on (an onfocus alert comes back each time): not reused
    if (slot.ran) await slot.ctx.close().catch(() => {});
    else idle.get(as).push(slot);
  };
  const settle = async (ms = 150) => {
    await page.waitForTimeout(ms);	// let onload/onfocus/ontoggle handlers fire
    const n = await page.evaluate(() => window.__xss).catch(() => 0);
    if (n) {
      slot.ran = true;
      marks.push(`${as} ${url}: window.__xss = ${n}`);
    }
  };
  try {
    const res = await page.goto(kbd.url + url);
    await settle();
    return { page, res, settle, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function visit(url, check, opts) {
  const { page, res, settle, close } = await openPage(url, opts);
  try {
    if (check) await check(page, res);
    await settle(0);
  } finally {
    await close();
  }
}

test('the oracle sees a script that runs (so a silent run would fail)', async () => {
  await visit('/login', async (page) => { await page.evaluate(() => setTimeout(() => alert('probe'), 0)); await page.waitForTimeout(100); });
  assert.equal(fired.length, 1);
  assert.equal(marks.length, 2, marks.join('\n'));	// the console marker and window.__xss
  fired.length = 0;
  marks.length = 0;
  // an inline handler in the page's markup (as a stored payload would be) is seen too
  await visit('/login', async (page) => {
    await page.evaluate(() => { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(2)>'); });
    await page.waitForTimeout(300);
  });
  assert.equal(fired.length, 1, fired.join('\n'));
  assert.equal(marks.length, 2, marks.join('\n'));
  fired.length = 0;
  marks.length = 0;
});

test('no payload runs on any article page, and each shows as text', async () => {
  await each(payloads, (p, i) => visit(`/articles/p${i}`, async (page) => {
    const h1 = await page.locator('h1').first().innerText();
    assert.ok(h1.includes(`xsscanary ${i}`), h1);
    assert.ok(h1.replace(/\s+/g, ' ').includes(payloads[i].replace(/\s+/g, ' ').trim()), `title text ${i}: ${h1}`);
  }));
  assert.deepEqual(fired, []);
  assert.deepEqual(marks, []);
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
  await each([...ids.map((id) => `/tickets/${id}`), '/tickets?view=all', `/tickets?view=all&q=${encodeURIComponent(payloads[0])}`],
    (url) => visit(url, url.includes('?') ? undefined : async (page) => {
      const h1 = await page.locator('h1').first().innerText();
      assert.ok(h1.includes('xss'), h1);
    }));
  assert.deepEqual(fired, []);
  assert.deepEqual(marks, []);
});

test('no payload runs on search results, facets, FAQ, gaps or suggestions', async () => {
  await each(['/search?q=xsscanary', '/search?q=xsscanary&page=2', '/search?q=xsscanary&page=3', '/faq',
    ...payloads.slice(0, 25).flatMap((p) => [`/search?q=${encodeURIComponent(p)}`, `/login?next=${encodeURIComponent(p)}`])],
  (url) => visit(url));
  await visit('/gaps');
  // the suggest dropdown renders titles through the DOM
  const ctx = await browser.newContext({ bypassCSP: true, extraHTTPHeaders: kbd.authHeaders });
  const page = await ctx.newPage();
  page.on('dialog', async (d) => { fired.push(`suggest: ${d.message()}`); await d.dismiss(); });
  page.on('console', (m) => { if (m.text().includes(MARK)) marks.push(`suggest: ${m.text()}`); });
  await page.addInitScript(hook);
  await page.goto(`${kbd.url}/`);
  await page.locator('#q').pressSequentially('xsscan', { delay: 20 });
  await page.waitForTimeout(800);
  if (await page.evaluate(() => window.__xss)) marks.push('suggest: window.__xss');
  await ctx.close();
  assert.deepEqual(fired, []);
  assert.deepEqual(marks, []);
});

// ---- the features added since: problems, incidents, canned replies, flags,
// notifications, revisions, gaps on the dashboard, FAQ entries from the API ----

// The JSON API as one of the users (admin, l3, l2, l1); `status` is asserted.
async function api(as, method, url, body, status) {
  const res = await fetch(kbd.url + url, { method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${kbd.tokens[as]}` },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (status) assert.equal(res.status, status, `${as} ${method} ${url}: ${text.slice(0, 400)}`);
  try { return JSON.parse(text); } catch { return text; }
}

// Run fn over items, `n` at a time (each its own page); the first failure
// is thrown once all have finished.
async function each(items, fn, n = 8) {
  const queue = items.map((x, i) => [x, i]);
  const errors = [];
  await Promise.all(Array.from({ length: n }, async () => {
    while (queue.length) {
      const [x, i] = queue.shift();
      try { await fn(x, i); } catch (err) { errors.push(err); }
    }
  }));
  if (errors.length) throw errors[0];
}

const norm = (s) => String(s).replace(/\s+/g, ' ').trim();
// The text of every element matching selector (as rendered: innerText).
async function textOf(page, selector) {
  return norm((await page.locator(selector).allInnerTexts()).join(' \u2016 '));
}
// `text` shows `p` as text: had p been parsed as markup, its tags would be gone.
function shows(text, p, what) {
  assert.ok(norm(text).includes(norm(p)), `${what}: ${JSON.stringify(p)} is not shown as text in ${JSON.stringify(norm(text).slice(0, 300))}`);
}
// One look at a page: for each key, the innerText of every element matching
// its selector (or, for [selector, 'value'], their values).
async function grab(page, spec) {
  const got = await page.evaluate((spec) => Object.fromEntries(Object.entries(spec).map(([k, sel]) => {
    const [css, kind] = Array.isArray(sel) ? sel : [sel, 'text'];
    return [k, [...document.querySelectorAll(css)].map((e) => (kind === 'value' ? e.value : e.innerText))];
  })), spec);
  for (const k of Object.keys(spec)) got[k] = norm(got[k].join(' \u2016 '));
  return got;
}
async function showsIn(page, selector, p, what) {
  shows(await textOf(page, selector), p, what);
}
function clean(what) {
  assert.deepEqual(fired, [], `${what}: dialogs`);
  assert.deepEqual(marks, [], `${what}: scripts`);
}
async function newTicket(fields = {}) {
  return api('admin', 'POST', '/api/v1/tickets', { title: 'xss feature ticket', description: 'for the payloads',
    requester: { name: 'Req', contact: 'req@example.com' }, category: 'General', impact: 'low', urgency: 'low', ...fields }, 201);
}
// Wait for fn() to be true; on time out fail, or with soft, go on (the
// assertions after it then say what is missing).
async function until(what, fn, { ms = 10000, soft = false } = {}) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) {
      if (soft) return v;
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('no payload runs on problem pages (every analysis field), the list or the linked ticket', async () => {
  const ticket = await newTicket({ title: 'xss problems ticket' });
  const problems = [];
  for (const [i, p] of payloads.entries()) {
    const title = `prb ${i} ${p}`.slice(0, 300);
    const pr = await api('l2', 'POST', '/api/v1/problems', { title, symptoms: p, tickets: [ticket.id] }, 201);
    await api('l2', 'PATCH', `/api/v1/problems/${pr.id}`, { timeline: p, cause: p, factors: p,
      whys: [p, `why two ${p}`], workaround: p, fix: p, owner: p.slice(0, 64) }, 200);
    const row = { id: pr.id, i, p, title, state: ['investigating', 'resolved', 'known_error'][i % 3] };
    if (row.state === 'resolved')
      await api('l2', 'PATCH', `/api/v1/problems/${pr.id}`, { status: 'resolved', message: p }, 200);
    if (row.state === 'known_error') {
      // the workaround draft is written from the problem (Markdown of its fields); published, it shows on the ticket
      const ke = await api('l2', 'POST', `/api/v1/problems/${pr.id}/known-error`, { draft: true }, 200);
      row.article = ke.article;
      await api('l2', 'POST', `/api/v1/articles/${ke.article}/review`, undefined, 200);
      await api('l2', 'POST', `/api/v1/articles/${ke.article}/publish`, undefined, 200);
    }
    problems.push(row);
  }
  await visit('/problems', async (page) => {
    const list = await textOf(page, 'main table');
    for (const { title } of problems) shows(list, title, '/problems title');
  });
  await each(problems, (pr) => visit(`/problems/${pr.id}`, async (page) => {
    const what = `/problems/${pr.id} (payload ${pr.i})`;
    const fields = ['symptoms', 'timeline', 'cause', 'factors', 'whys', 'workaround', 'fix'];
    const g = await grab(page, { h1: 'h1', symptoms: '.problem__symptoms', callout: '.known-error-callout',
      log: '.timeline__note', title: ['#field-title', 'value'], owner: ['#field-owner', 'value'],
      ...Object.fromEntries(fields.map((f) => [`field_${f}`, [`#field-${f}`, 'value']])),
      ...Object.fromEntries([...fields.slice(1), 'owner'].map((f, k) => [`dd_${f}`, `#analysis dl > div:nth-child(${k + 1}) dd`])) });
    shows(g.h1, pr.title, `${what} title`);
    shows(g.symptoms, pr.p, `${what} symptoms`);
    for (const f of fields.slice(1)) shows(g[`dd_${f}`], pr.p, `${what} ${f}`);
    shows(g.dd_whys, `why two ${pr.p}`, `${what} whys[1]`);
    shows(g.dd_owner, pr.p.slice(0, 64), `${what} owner`);
    // the edit form: every field still holds the text
    shows(g.title, pr.title, `${what} title field`);
    for (const f of fields) shows(g[`field_${f}`], pr.p, `${what} ${f} field`);
    shows(g.owner, pr.p.slice(0, 64), `${what} owner field`);
    if (pr.state === 'resolved') shows(g.log, pr.p, `${what} resolve message`);
    if (pr.state === 'known_error') shows(g.callout, pr.title, `${what} workaround title`);
  }));
  // the ticket lists its problems (and a known error's workaround), its log the links
  await visit(`/tickets/${ticket.id}`, async (page) => {
    const side = await textOf(page, '.ticket-problems');
    for (const { title } of problems) shows(side, title, `ticket ${ticket.id} problems`);
  });
  // the workaround drafts: Markdown written from the problem's fields
  await each(problems.filter((pr) => pr.article), (pr) => visit(`/articles/${pr.article}`, async (page) => {
    await showsIn(page, 'h1', pr.title, `/articles/${pr.article} title`);
  }));
  clean('problems');
});

test('no payload runs in the major-incident banner (also as it changes live), on incident pages, P1 tickets or review drafts', async () => {
  const incidents = [];
  // an L1 agent's page kept open: the banner is added to, updated and emptied by the event stream
  const live = await openPage('/', { as: 'l1' });
  try {
    await streamOpen(live.page);
    // the banner shows the five newest active incidents: five at a time, closed before the next five
    for (let b = 0; b < payloads.length; b += 5) {
      const batch = payloads.slice(b, b + 5).map((p, k) => ({ i: b + k, p, summary: `mi ${b + k} ${p}`.slice(0, 500),
        update: `update ${b + k} ${p}`, closing: `closed ${b + k} ${p}` }));
      const t = await newTicket({ title: `xss P1 ${b}` });
      const p1 = await api('admin', 'PATCH', `/api/v1/tickets/${t.id}`, { impact: 'high', urgency: 'high' }, 200);
      assert.equal(p1.priority, 'P1');
      for (const m of batch)
        Object.assign(m, { ticket: t.id, id: (await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id, summary: m.summary, advice: m.p }, 201)).id });
      // the incident's own page, open while it is updated: a live notice with the update
      const own = await openPage(`/incidents/${batch[0].id}`, { as: 'l1' });
      try {
        await streamOpen(own.page);	// an update posted before would never reach it
        for (const m of batch) await api('l2', 'POST', `/api/v1/incidents/${m.id}/updates`, { text: m.update }, 201);
        await until(`the live banner (${b})`, async () => {
          const g = await grab(live.page, { upd: '[data-mi-list] [data-mi-update]' });
          return batch.every((m) => g.upd.includes(norm(m.update)));
        }, { soft: true });
        const g = await grab(live.page, { sum: '[data-mi-list] [data-mi-summary]', adv: '[data-mi-list] [data-mi-advice]',
          upd: '[data-mi-list] [data-mi-update]' });
        for (const m of batch) {
          shows(g.sum, m.summary, `live banner summary ${m.i}`);
          shows(g.adv, m.p, `live banner advice ${m.i}`);
          shows(g.upd, m.update, `live banner update ${m.i}`);
        }
        await until(`the live notice on /incidents/${batch[0].id}`, async () =>
          (await textOf(own.page, '[data-live-notices]')).includes(norm(batch[0].update)), { soft: true });
        shows(await textOf(own.page, '[data-live-notices]'), batch[0].update, `live notice on /incidents/${batch[0].id}`);
        const o = await grab(own.page, { h1: 'h1', advice: '.mi-advice__text' });
        shows(o.h1, batch[0].summary, `/incidents/${batch[0].id} title`);
        shows(o.advice, batch[0].p, `/incidents/${batch[0].id} advice`);
        await own.settle();
        await live.settle(0);
      } finally {
        await own.close();
      }
      // the banner as every page renders it, and the P1 ticket's incidents
      await each([
        () => visit('/', async (page) => {
          const g = await grab(page, { sum: '[data-mi-summary]', adv: '[data-mi-advice]', upd: '[data-mi-update]' });
          for (const m of batch) {
            shows(g.sum, m.summary, `banner summary ${m.i}`);
            shows(g.adv, m.p, `banner advice ${m.i}`);
            shows(g.upd, m.update, `banner update ${m.i}`);
          }
        }, { as: 'l1' }),
        () => visit(`/tickets/${t.id}`, async (page) => {
          const side = await textOf(page, '.ticket-incidents');
          for (const m of batch) shows(side, m.summary, `ticket ${t.id} incidents`);
        }),
      ], (f) => f());
      for (const m of batch)
        m.review = (await api('l2', 'POST', `/api/v1/incidents/${m.id}/close`, { text: m.closing }, 200)).review_article;
      incidents.push(...batch);
    }
    await until('the live banner to empty', async () => (await live.page.locator('[data-mi-list] [data-incident]').count()) === 0);
    await live.settle();
  } finally {
    await live.close();
  }
  await visit('/incidents', async (page) => {
    const list = await textOf(page, 'main table');
    for (const m of incidents) shows(list, m.summary, '/incidents summary');
  });
  await each(incidents, (m) => visit(`/incidents/${m.id}`, async (page) => {
    const g = await grab(page, { h1: 'h1', advice: '.mi-advice__text', updates: '.mi-updates__text' });
    shows(g.h1, m.summary, `/incidents/${m.id} title`);
    shows(g.advice, m.p, `/incidents/${m.id} advice`);
    shows(g.updates, m.update, `/incidents/${m.id} update`);
    shows(g.updates, m.closing, `/incidents/${m.id} closing text`);
  }));
  // the post-incident review: a draft article whose Markdown holds summary, advice, updates and closing text
  await each(incidents, (m) => visit(`/articles/${m.review}`, async (page) => {
    shows(await textOf(page, 'h1'), `Post-incident review: ${m.summary}`, `/articles/${m.review} title`);
  }));
  clean('incidents');
});

test('no payload runs in canned replies: the list, the editing form, the picker on a ticket', async () => {
  const canned = [];
  for (const [i, p] of payloads.entries()) {
    const name = `c${i} ${p}`.slice(0, 100);
    const c = await api('l2', 'POST', '/api/v1/canned', { name, body: `${p}\nfor {requester} on {ticket}` }, 201);
    canned.push({ id: c.id, i, p, name });
  }
  await visit('/canned', async (page) => {
    const g = await grab(page, { names: '.canned-item__name', bodies: '.canned-item__body' });
    for (const c of canned) {
      shows(g.names, c.name, '/canned name');
      shows(g.bodies, c.p, '/canned body');
    }
  });
  await each(canned, (c) => visit(`/canned?edit=${c.id}`, async (page) => {
    const g = await grab(page, { head: '#canned-form-title', name: ['#field-name', 'value'], body: ['#field-body', 'value'] });
    shows(g.head, c.name, `/canned?edit=${c.id} heading`);
    shows(g.name, c.name, `/canned?edit=${c.id} name field`);
    shows(g.body, c.p, `/canned?edit=${c.id} body field`);
  }));
  // the picker lists the names; each reply goes into the comment as text,
  // filled in with a requester who is a payload too
  const t = await newTicket({ title: 'xss canned ticket', requester: { name: payloads[0], contact: 'x@example.com' } });
  await visit(`/tickets/${t.id}`, async (page) => {
    const names = await textOf(page, '#field-canned option');
    for (const c of canned) shows(names, c.name, 'canned picker name');
    for (const c of canned) {
      await page.locator('#field-canned').selectOption(String(c.id));
      // dispatched: a long name widens the picker under the side panel (that would take a real click)
      await page.locator('[data-canned-insert]').dispatchEvent('click');
      await page.waitForFunction(() => document.querySelector('#field-canned').value === '');
    }
    const body = await page.locator('#field-body').inputValue();
    for (const c of canned) shows(body, c.p, `canned ${c.id} inserted`);
    shows(body, `for ${payloads[0]} on ${t.id}`, 'canned placeholders filled');
  });
  clean('canned');
});

// Articles written through the API by test-l2 (so that their author is a
// user here), with a FAQ entry each; sent for review, then published.
let apiArticles;
function apiArticlesReady() {
  apiArticles ??= (async () => {
    const list = [];
    for (const [i, p] of payloads.entries()) {
      const a = await api('l2', 'POST', '/api/v1/articles', { slug: `xapi/a${i}`, title: `apicanary ${i} ${p}`.slice(0, 300),
        summary: p, category: `Api ${p.slice(0, 40)}`, body: `Api body ${i}.\n\n${p}\n`,
        faq: [{ q: `apifaq ${i} ${p}`, a: `apians ${i} ${p}` }] }, 201);
      await api('l2', 'POST', `/api/v1/articles/${a.slug}/review`, undefined, 200);
      list.push({ i, p, slug: a.slug, title: a.title });
    }
    // waiting for review: the inbox lists them
    await visit('/inbox', async (page) => {
      const waiting = await textOf(page, '[aria-labelledby="waiting-title"] table');
      for (const a of list) shows(waiting, a.title, '/inbox waiting for review');
    });
    for (const a of list) await api('l2', 'POST', `/api/v1/articles/${a.slug}/publish`, undefined, 200);
    return list;
  })();
  return apiArticles;
}

test('no payload runs in article flags: the inbox, and the author\'s notifications', async () => {
  const arts = await apiArticlesReady();
  // the author's notifications page, open as the flags come in (live lines)
  const live = await openPage('/notifications', { as: 'l2' });
  try {
    for (const [k, a] of arts.entries()) {
      await api('l1', 'POST', `/api/v1/articles/${a.slug}/flags`, { kind: 'outdated', comment: a.p }, 201);
      if (k === 29 || k === arts.length - 1) {
        // the page lists the newest 50
        const shown = arts.slice(k === 29 ? 0 : 30, k + 1);
        await visit('/notifications', async (page) => {
          const texts = await textOf(page, '.notif__text');
          for (const s of shown) shows(texts, `${s.slug}: outdated — ${s.p}`, `notification of the flag on ${s.slug}`);
        }, { as: 'l2' });
      }
    }
    await live.settle();
  } finally {
    await live.close();
  }
  for (const [url, as] of [['/inbox', 'admin'], ['/inbox?mine=1', 'l2']]) {
    await visit(url, async (page) => {
      const g = await grab(page, { titles: '.flag-item__title', comments: '.flag-item__comment', counts: '[aria-labelledby="counts-title"] table' });
      for (const a of arts) {
        shows(g.titles, a.title, `${url} flag title`);
        shows(g.comments, a.p, `${url} flag comment`);
        shows(g.counts, a.title, `${url} flag counts`);
      }
    }, { as });
  }
  clean('flags');
});

test('no payload runs in mentions: the internal notes, and the notifications of the one mentioned', async () => {
  // The hub finds a mention's text again by ticket, author and second (hub.c
  // comment_body()): a note whose event falls in the next second is not told
  // at all, and two notes of one author on one ticket within a second are both
  // told with the later one's text. So every note here has a ticket and author
  // pair of its own, and is written again should its notification not come.
  const authors = ['admin', 'l2', 'l1'];
  const per = Math.ceil(payloads.length / authors.length);
  const tickets = [];
  for (let k = 0; k < per; k++) tickets.push((await newTicket({ title: `xss mentions ticket ${k}` })).id);
  const told = async (text) => (await api('l3', 'GET', '/api/v1/notifications', undefined, 200))
    .notifications.some((n) => n.kind === 'mention' && n.text === text);
  const live = await openPage('/notifications', { as: 'l3' });
  let notes = 0;
  try {
    for (const [i, p] of payloads.entries()) {
      const text = `@test-l3 ${p}`;
      for (let attempt = 1; ; attempt++) {
        await api(authors[Math.floor(i / per)], 'POST', `/api/v1/tickets/${tickets[i % per]}/comments`, { body: text, internal: true }, 201);
        if (i % per === 0) notes++;
        if (await until(`the mention of payload ${i}`, () => told(text), { ms: 3000, soft: attempt < 3 })) break;
      }
      if (i === 29 || i === payloads.length - 1) {
        // the page lists the newest 50
        const shown = payloads.slice(i === 29 ? 0 : 30, i + 1);
        await visit('/notifications', async (page) => {
          const texts = await textOf(page, '.notif__text');
          for (const s of shown) shows(texts, `@test-l3 ${s}`, 'mention notification');
        }, { as: 'l3' });
      }
    }
    await live.settle();
  } finally {
    await live.close();
  }
  await visit(`/tickets/${tickets[0]}`, async (page) => {
    assert.equal(await page.locator('.comment--internal').count(), notes);
  });
  clean('mentions');
});

test('no payload runs in article revisions: history, diff and revision text, the editor and its preview, the conflict page', async () => {
  const revs = [];
  for (const [i, p] of payloads.entries()) {
    const src = await api('admin', 'GET', `/api/v1/articles/p${i}/source`, undefined, 200);
    const body = `Revised xsscanary ${i}.\n\n${p}\n\nrevline ${i} ${p}\n`;
    const put = await api('admin', 'PUT', `/api/v1/articles/p${i}`, { base_revision: src.revision, body, note: `note ${i} ${p}` }, 200);
    revs.push({ i, p, body, rev: put.revision, title: src.title });
  }
  await each(revs, (r) => visit(`/history/p${r.i}?rev=${r.rev}`, async (page) => {
    const what = `/history/p${r.i}`;
    const g = await grab(page, { h1: 'h1', diff: '#diff .diff__code', text: '.revision-text', notes: '.history-table td[dir="auto"]' });
    shows(g.h1, r.title, `${what} title`);
    shows(g.diff, `revline ${r.i} ${r.p}`, `${what} diff (added line)`);
    shows(g.diff, `Inline ${r.p} and \`${r.p}\``, `${what} diff (removed line)`);
    shows(g.text, `revline ${r.i} ${r.p}`, `${what} revision text`);
    shows(g.notes, `note ${r.i} ${r.p}`, `${what} note`);
  }));
  await each(revs, (r) => visit(`/write/p${r.i}`, async (page) => {
    const what = `/write/p${r.i}`;
    // the live preview: the server's sanitised HTML, put into the page by app.js
    await page.locator('[data-preview][data-rendered]').waitFor({ state: 'attached' });
    await page.waitForTimeout(150);
    const g = await grab(page, { h1: 'h1', title: ['#field-title', 'value'], summary: ['#field-summary', 'value'],
      body: ['#field-body', 'value'], faq: ['#field-faq_q_1', 'value'], preview: '#preview' });
    shows(g.h1, r.title, `${what} heading`);
    shows(g.title, r.title, `${what} title field`);
    shows(g.summary, `summary ${r.p}`, `${what} summary field`);
    shows(g.body, `revline ${r.i} ${r.p}`, `${what} body field`);
    shows(g.faq, `xsscanary question ${r.p}`, `${what} FAQ field`);
    // (Markdown: a line opening <textarea>, <script>, <style> or <pre> starts a raw HTML
    // block to the end, omitted: the first line is all that is sure to show)
    shows(g.preview, `Revised xsscanary ${r.i}.`, `${what} preview`);
    // someone else saves meanwhile: saving this form shows the conflict, their text and the diff
    const src = await api('admin', 'GET', `/api/v1/articles/p${r.i}/source`, undefined, 200);
    await api('admin', 'PUT', `/api/v1/articles/p${r.i}`, { base_revision: src.revision, body: `${r.body}\ntheirs ${r.i} ${r.p}\n` }, 200);
    const [res] = await Promise.all([page.waitForNavigation(),
      page.locator('form.editor button[type=submit][value=save]').dispatchEvent('click')]);
    assert.equal(res.status(), 409, `${what} conflict`);
    await page.waitForTimeout(150);
    const c = await grab(page, { theirs: ['#conflict-theirs', 'value'], diff: '.conflict .diff__code', title: ['#field-title', 'value'] });
    shows(c.theirs, `theirs ${r.i} ${r.p}`, `${what} conflict: their text`);
    shows(c.diff, `theirs ${r.i} ${r.p}`, `${what} conflict: the diff`);
    shows(c.title, r.title, `${what} conflict: the title field`);
  }));
  clean('revisions');
});

test('no payload runs in knowledge gaps: /gaps and the dashboard\'s list', async () => {
  // "lang:zz" finds nothing: every one of these searches is a gap
  const gaps = payloads.map((p, i) => ({ i, p, q: `lang:zz zqxgap${i} ${p}` }));
  // the dashboard lists the 10 most frequent: ten at a time, each ten searched more often than the ones before
  for (let b = 0; b < gaps.length; b += 10) {
    const batch = gaps.slice(b, b + 10);
    const times = 3 + b / 10;
    await each(batch.flatMap((g) => Array(times).fill(g)), async (g) => {
      const res = await fetch(`${kbd.url}/search?q=${encodeURIComponent(g.q)}`);
      assert.equal(res.status, 200);
      await res.text();
    });
    await until('the search log', async () => {
      const logged = (await api('admin', 'GET', '/api/v1/gaps', undefined, 200)).gaps;
      return batch.every((g) => logged.some((x) => x.query === g.q && x.count >= times));
    });
    await visit('/dashboard', async (page) => {
      const list = await textOf(page, '[aria-labelledby="dash-gaps-title"] table');
      for (const g of batch) shows(list, g.q.toLowerCase(), `/dashboard gap ${g.i}`);
    });
  }
  await visit('/gaps', async (page) => {
    const list = await textOf(page, '.gaps__table');
    for (const g of gaps) shows(list, g.q, `/gaps ${g.i}`);
  });
  clean('gaps');
});

test('no payload runs in FAQ entries written through the API: /faq and its search', async () => {
  const arts = await apiArticlesReady();
  const t = await newTicket({ title: 'xss faq ticket' });
  await visit('/faq', async (page) => {
    const g = await grab(page, { q: '.faq-entry h3', a: '.faq-entry__answer' });
    for (const a of arts) {
      shows(g.q, `apifaq ${a.i} ${a.p}`, '/faq question');
      shows(g.a, `apians ${a.i} ${a.p}`, '/faq answer');
    }
  });
  // searched from a ticket (the send forms carry the question)
  await each(arts, (a) => {
    const q = `apifaq ${a.i} ${a.p}`;
    return visit(`/faq?q=${encodeURIComponent(q)}&ticket=${t.id}`, async (page) => {
      const g = await grab(page, { head: '#faq-results-title', q: '.faq-entry h3', a: '.faq-entry__answer',
        sent: ['.faq-send input[name=q]', 'value'] });
      shows(g.head, q, `/faq?q= ${a.i} heading`);
      shows(g.q, q, `/faq?q= ${a.i} question`);
      shows(g.a, `apians ${a.i} ${a.p}`, `/faq?q= ${a.i} answer`);
      shows(g.sent, q, `/faq?q= ${a.i} send form`);
    });
  });
  clean('faq');
});

test('no payload runs when the new pages reflect it (query arguments and addresses)', async () => {
  // the payloads that break out of attributes, <textarea>, <title>, and the polyglot
  const picks = payloads.filter((p) => /^("><|'><|" autofocus|<\/textarea>|<\/title>|jaVasCript)/.test(p));
  assert.ok(picks.length >= 5, `${picks.length} picks`);
  const t = await newTicket({ title: 'xss reflected ticket' });
  const urls = picks.flatMap((p) => {
    const e = encodeURIComponent(p);
    return [`/problems?status=${e}`, `/problems?ticket=${e}`, `/problems/${e}`, `/incidents/${e}`,
      `/faq?q=${e}&ticket=${t.id}`, `/gaps?days=${e}`, `/dashboard?from=${e}&to=${e}&tier=${e}`,
      `/history/p0?a=${e}&b=${e}&rev=${e}`, `/canned?edit=${e}`, `/inbox?mine=${e}`, `/write/${e}`];
  });
  await each(urls, (url) => visit(url));
  clean('reflected');
});
