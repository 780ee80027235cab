// The support dashboard over real HTTP and in headless Chromium: a history
// of tickets is built through the API (created at L1, resolved there,
// escalated to L2 and L3, sent back down, linked to the article that
// resolved them), searches are made on the results page and one result is
// opened; then
//   - GET /api/v1/metrics has the figures that history implies (FCR,
//     escalation and de-escalation rates, backlog, link rate, reuse, missed
//     deflection, search success), for a tier and a range, refuses bad
//     arguments (400), L1 (403) and strangers (401);
//   - the CSV tables have their header and rows, and a text starting with
//     = comes out neutralised (CSV injection);
//   - GET /metrics (Prometheus text) is for admins only and counts tickets;
//   - /dashboard draws its charts as SVG with bars of the right height,
//     shows each figure's definition, filters by range and tier, reads
//     right to left in Arabic, makes no request elsewhere and passes
//     axe-core (no serious or critical violations).
// Screenshots go to tests/artifacts/dashboard-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startKbd, anonFetch, chromiumPath, CHROMIUM_ARGS, ROOT } from './helpers.mjs';

const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const catalogue = (lang) => JSON.parse(readFileSync(path.join(ROOT, `templates/i18n/${lang}.json`), 'utf8'));
const EN = catalogue('en');
const AR = catalogue('ar');
const ARTICLE = 'email/outlook-keeps-asking-password';
const GAP_QUERY = '=zzqqxcmd|calc';	// a search that finds nothing, and a formula
const FORMULA_QUEUE = '=1+2';
const DAY = 86400e3;
const day = (t) => new Date(t).toISOString().slice(0, 10);
const TODAY = day(Date.now());

let kbd, browser;
const T = {};	// the tickets of the history, by name

function api(role, method, url, body) {
  const headers = {};
  if (role) headers.Authorization = `Bearer ${kbd.tokens[role]}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return anonFetch(kbd.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' })
    .then(async (res) => {
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, text, body: json };
    });
}

async function ok(role, method, url, body, want = [200, 201]) {
  const res = await api(role, method, url, body);
  assert.ok([].concat(want).includes(res.status), `${role} ${method} ${url}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return res.body;
}

const newTicket = (title) => ({
  title, description: 'Built by the dashboard test.', requester: { name: 'Mona Saleh', contact: 'mona@example.com' },
  category: 'Email', impact: 'low', urgency: 'low',
});
const handoff = (to, reason) => ({
  to_tier: to, reason, tried: 'Followed the article; cleared the cached credentials.',
  steps: '1. Open Outlook\n2. The prompt comes back', articles: [ARTICLE],
});

const metrics = (query = '', role = 'l2') => api(role, 'GET', `/api/v1/metrics${query}`);

// Poll until cond(metrics body) holds (the search log is written in batches, about every second).
async function metricsUntil(cond, what) {
  let last;
  for (let i = 0; i < 50; i++) {
    last = (await metrics()).body;
    if (cond(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: ${JSON.stringify(last?.knowledge)}`);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  kbd = await startKbd();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const criteria = (await api('l1', 'GET', '/api/v1/escalation-criteria')).body.map((c) => c.id);
  for (const id of ['no-article', 'needs-privileges', 'many-users', 'needs-root-cause'])
    assert.ok(criteria.includes(id), `escalation criterion ${id}: ${criteria}`);

  // T1: resolved at L1 by the article, first contact
  T.t1 = (await ok('l1', 'POST', '/api/v1/tickets', newTicket('Outlook asks for the password again'))).id;
  await ok('l1', 'POST', `/api/v1/tickets/${T.t1}/take`);
  await ok('l1', 'POST', `/api/v1/tickets/${T.t1}/links`, { article: ARTICLE, relation: 'resolved-by' });
  await ok('l1', 'PATCH', `/api/v1/tickets/${T.t1}`, { status: 'resolved' });
  // T2: escalated to L2, which resolves it with the article L1 already had (missed deflection)
  T.t2 = (await ok('l1', 'POST', '/api/v1/tickets', newTicket('Password prompt loops in Outlook'))).id;
  await ok('l1', 'POST', `/api/v1/tickets/${T.t2}/escalate`, handoff('L2', 'no-article'));
  await ok('l2', 'POST', `/api/v1/tickets/${T.t2}/take`);
  await ok('l2', 'POST', `/api/v1/tickets/${T.t2}/links`, { article: ARTICLE, relation: 'resolved-by' });
  await ok('l2', 'PATCH', `/api/v1/tickets/${T.t2}`, { status: 'resolved' });
  // T3: still open at L1 (backlog), in a queue whose name is a formula
  T.t3 = (await ok('l1', 'POST', '/api/v1/tickets', newTicket('Printer on floor 2 offline'))).id;
  await ok('l1', 'PATCH', `/api/v1/tickets/${T.t3}`, { queue: FORMULA_QUEUE });
  // T4: L1 → L2 → L3, resolved at L3
  T.t4 = (await ok('l1', 'POST', '/api/v1/tickets', newTicket('Mail server rejects large attachments'))).id;
  await ok('l1', 'POST', `/api/v1/tickets/${T.t4}/escalate`, handoff('L2', 'no-article'));
  await ok('l2', 'POST', `/api/v1/tickets/${T.t4}/take`);
  await ok('l2', 'POST', `/api/v1/tickets/${T.t4}/escalate`, handoff('L3', 'needs-root-cause'));
  await ok('l3', 'POST', `/api/v1/tickets/${T.t4}/take`);
  await ok('l3', 'PATCH', `/api/v1/tickets/${T.t4}`, { status: 'resolved' });
  // T5: escalated to L2, sent back down, resolved at L1 (not first contact)
  T.t5 = (await ok('l1', 'POST', '/api/v1/tickets', newTicket('Shared mailbox missing'))).id;
  await ok('l1', 'POST', `/api/v1/tickets/${T.t5}/escalate`, handoff('L2', 'needs-privileges'));
  await ok('l2', 'POST', `/api/v1/tickets/${T.t5}/take`);
  await ok('l2', 'POST', `/api/v1/tickets/${T.t5}/deescalate`, { instructions: 'Add the mailbox in Outlook: article step 3.' });
  await ok('l1', 'PATCH', `/api/v1/tickets/${T.t5}`, { status: 'resolved' });
  // T6: escalated to L2 and still waiting there (L2 backlog)
  T.t6 = (await ok('l1', 'POST', '/api/v1/tickets', newTicket('Whole floor cannot send mail'))).id;
  await ok('l1', 'POST', `/api/v1/tickets/${T.t6}/escalate`, handoff('L2', 'many-users'));
});

after(async () => {
  await browser?.close();
  await kbd?.stop();
});

const close = (got, want, what) => assert.ok(typeof got === 'number' && Math.abs(got - want) < 1e-9, `${what}: ${got}, want ${want}`);

// ---- the JSON API ----

test('GET /api/v1/metrics: the figures of the history built through the API', async () => {
  const { status, body: m } = await metrics();
  assert.equal(status, 200);
  // the default range: the last 30 days, today included
  assert.equal(m.from, `${day(Date.now() - 29 * DAY)}T00:00:00Z`);
  assert.equal(m.to, `${day(Date.now() + DAY)}T00:00:00Z`);
  for (const tier of ['L1', 'L2', 'L3']) {
    assert.ok(m[tier], `${tier} in the answer`);
    for (const k of ['first_contact_resolution', 'escalation_rate', 'mttr_seconds', 'sla_met', 'entered', 'resolved', 'backlog', 'backlog_age', 'escalation_reasons'])
      assert.ok(k in m[tier], `${tier}.${k}`);
  }
  for (const k of ['link_rate', 'reuse', 'search_success', 'missed_deflection', 'top_articles', 'gaps'])
    assert.ok(k in m.knowledge, `knowledge.${k}`);

  // L1: 6 created; T2, T4, T5, T6 escalated up from it; T1 and T5 resolved there, T1 at first contact
  assert.equal(m.L1.entered, 6);
  assert.equal(m.L1.escalated, 4);
  close(m.L1.escalation_rate, 4 / 6, 'L1 escalation_rate');
  assert.equal(m.L1.resolved, 2);
  close(m.L1.first_contact_resolution, 1 / 2, 'L1 first_contact_resolution');
  assert.equal(m.L1.deescalation_rate, null, 'nothing is below L1');
  assert.equal(m.L1.backlog, 1);
  assert.equal(m.L1.backlog_age.under_1d, 1);
  assert.deepEqual(m.L1.escalation_reasons.map((r) => [r.reason, r.count]).sort(),
    [['many-users', 1], ['needs-privileges', 1], ['no-article', 2]]);
  // L2: T2, T4, T5, T6 entered; T4 went on to L3, T5 back to L1; T2 resolved there
  assert.equal(m.L2.entered, 4);
  close(m.L2.escalation_rate, 1 / 4, 'L2 escalation_rate');
  close(m.L2.deescalation_rate, 1 / 4, 'L2 deescalation_rate');
  assert.equal(m.L2.resolved, 1);
  close(m.L2.first_contact_resolution, 1, 'L2 first_contact_resolution');
  assert.equal(m.L2.backlog, 1, 'T6 waits at L2');
  assert.deepEqual(m.L2.escalation_reasons.map((r) => [r.reason, r.count]), [['needs-root-cause', 1]]);
  // L3: T4
  assert.equal(m.L3.entered, 1);
  assert.equal(m.L3.resolved, 1);
  close(m.L3.escalation_rate, 0, 'L3 escalation_rate');
  assert.equal(m.L3.backlog, 0);
  for (const tier of ['L1', 'L2', 'L3']) {
    close(m[tier].sla_met, 1, `${tier} sla_met`);
    assert.equal(typeof m[tier].mttr_seconds, 'number', `${tier} mttr_seconds`);
    assert.ok(m[tier].mttr_seconds >= 0 && m[tier].mttr_seconds < 600, `${tier} mttr_seconds ${m[tier].mttr_seconds}`);
  }

  // knowledge: T1, T2, T4, T5 resolved; T1 and T2 by the same article
  const k = m.knowledge;
  assert.equal(k.resolved, 4);
  assert.equal(k.linked, 2);
  close(k.link_rate, 2 / 4, 'link_rate');
  close(k.reuse, 2, 'reuse (2 links, 1 article)');
  assert.deepEqual(k.top_articles, [{ slug: ARTICLE, tickets: 2 }]);
  // T2 was escalated and then resolved by an article that existed before
  assert.equal(k.escalated_resolved, 3);
  assert.equal(k.missed_deflection, 1);
  close(k.missed_deflection_rate, 1 / 3, 'missed_deflection_rate');
  assert.deepEqual(k.missed_deflection_tickets, [T.t2]);
  // agents and queues
  const agents = Object.fromEntries(m.agents.map((a) => [a.agent, a]));
  assert.equal(agents['test-l1']?.resolved, 1);
  assert.equal(agents['test-l1']?.escalations, 4);
  assert.equal(agents['test-l2']?.escalations, 1);
  assert.equal(agents['test-l3']?.resolved, 1);
  assert.ok(m.queues.some((q) => q.queue === FORMULA_QUEUE && q.backlog === 1), JSON.stringify(m.queues));
});

test('GET /api/v1/metrics: every figure has a definition, and the catalogues translate each one', async () => {
  const { body: m } = await metrics();
  const keys = Object.keys(m.definitions);
  assert.ok(keys.length >= 15, `definitions: ${keys}`);
  for (const key of keys) {
    assert.equal(typeof m.definitions[key], 'string');
    assert.equal(EN[`def_${key}`], m.definitions[key], `en.json def_${key} is the API's definition`);
    assert.match(AR[`def_${key}`] || '', /[\u0600-\u06ff]/, `ar.json def_${key} is Arabic`);
  }
});

test('GET /api/v1/metrics: one tier, a range, and a search that succeeded', async () => {
  const l2 = (await metrics('?tier=L2')).body;
  assert.ok(l2.L2);
  assert.equal(l2.L1, undefined);
  assert.equal(l2.L3, undefined);
  assert.equal(l2.L2.entered, 4);
  assert.equal((await metrics('?tier=3')).body.L3.resolved, 1, 'tier=3 is L3');
  // a range before any of it: zero counts and null ratios, never a made-up 0
  const past = (await metrics('?from=2020-01-01&to=2020-01-31')).body;
  assert.equal(past.from, '2020-01-01T00:00:00Z');
  assert.equal(past.to, '2020-02-01T00:00:00Z');
  assert.equal(past.L1.entered, 0);
  assert.equal(past.L1.first_contact_resolution, null);
  assert.equal(past.L1.escalation_rate, null);
  assert.equal(past.knowledge.link_rate, null);
  // one day: today
  assert.equal((await metrics(`?from=${TODAY}&to=${TODAY}`)).body.L1.entered, 6);

  // search success: a results page, then one of its results opened
  const before = (await metrics()).body.knowledge;
  const page = await anonFetch(`${kbd.url}/search?q=outlook+password`, { headers: { Authorization: `Bearer ${kbd.tokens.l2}` } });
  assert.equal(page.status, 200);
  const href = (await page.text()).match(/href="(\/articles\/[^"?]+\?from=(\d+))"/);
  assert.ok(href, 'the results link back with ?from=<sid>');
  const opened = await anonFetch(kbd.url + href[1].replace(/&amp;/g, '&'), { headers: { Authorization: `Bearer ${kbd.tokens.l2}` } });
  assert.equal(opened.status, 200);
  const after = (await metricsUntil((b) => b.knowledge.searches > before.searches && b.knowledge.searches_opened > before.searches_opened,
    'the search and its opened result are counted')).knowledge;
  assert.equal(after.searches, before.searches + 1);
  assert.equal(after.searches_opened, before.searches_opened + 1);
  close(after.search_success, after.searches_opened / after.searches, 'search_success');
  // the API's searches are not counted
  await anonFetch(`${kbd.url}/api/v1/search?q=vpn`, { headers: { Authorization: `Bearer ${kbd.tokens.l2}` } });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await metrics()).body.knowledge.searches, after.searches, 'API searches stay out of search success');
});

test('GET /api/v1/metrics: bad arguments are 400, L1 is 403, strangers 401', async () => {
  for (const q of ['?from=2026-02-31', '?from=yesterday', '?to=2026-13-01', '?from=2026-11-27&to=2026-11-01',
    '?tier=L4', '?tier=L', '?tier=support', '?from=2000-01-01&to=2026-01-01', '?from=2026-1-1']) {
    const res = await metrics(q);
    assert.equal(res.status, 400, q);
    assert.equal(res.body?.error?.code, 'bad_parameter', q);
  }
  assert.equal((await metrics('?tier=all')).status, 200);
  assert.equal((await metrics('', 'l1')).status, 403);
  assert.equal((await metrics('', 'l3')).status, 200);
  assert.equal((await metrics('', 'admin')).status, 200);
  assert.equal((await metrics('', null)).status, 401);
  assert.equal((await api('l1', 'GET', '/api/v1/metrics/tiers.csv')).status, 403);
  assert.equal((await api(null, 'GET', '/api/v1/metrics/tiers.csv')).status, 401);
  assert.equal((await api('l2', 'GET', '/api/v1/metrics/nope.csv')).status, 404);
  assert.equal((await api('l2', 'GET', '/api/v1/metrics/tiers.csv?tier=L9')).status, 400);
});

// ---- CSV ----

const rows = (text) => text.split('\r\n').filter((l) => l !== '');

test('CSV: tiers, agents, reasons, articles, queues and gaps, formulas neutralised', async () => {
  const tiers = await api('l2', 'GET', '/api/v1/metrics/tiers.csv');
  assert.equal(tiers.status, 200);
  assert.match(tiers.headers.get('content-type'), /^text\/csv/);
  assert.ok(tiers.text.endsWith('\r\n'), 'lines end with CRLF');
  const t = rows(tiers.text);
  const head = t[0].split(',');
  for (const col of ['tier', 'entered', 'resolved', 'first_contact_resolution', 'escalation_rate', 'mttr_seconds', 'sla_met', 'backlog'])
    assert.ok(head.includes(col), `tiers.csv column ${col}: ${t[0]}`);
  assert.equal(t.length, 4, `a header and 3 rows:\n${tiers.text}`);
  const l1 = Object.fromEntries(head.map((c, i) => [c, t[1].split(',')[i]]));
  assert.equal(l1.tier, 'L1');
  assert.equal(l1.entered, '6');
  assert.equal(Number(l1.escalation_rate).toFixed(4), (4 / 6).toFixed(4));
  assert.equal(Number(l1.first_contact_resolution), 0.5);
  assert.equal(l1.deescalation_rate, '', 'null is an empty field');
  assert.equal(rows((await api('l2', 'GET', '/api/v1/metrics/tiers.csv?tier=L3')).text).length, 2, 'one tier: one row');

  const agents = rows((await api('l2', 'GET', '/api/v1/metrics/agents.csv')).text);
  assert.equal(agents[0], 'agent,resolved,mttr_seconds,sla_met,reopen_rate,backlog,escalations');
  assert.ok(agents.some((r) => r.startsWith('test-l1,1,')), agents.join('\n'));
  assert.ok(agents.some((r) => /^test-l2,1,.*,1$/.test(r)), agents.join('\n'));

  const reasons = rows((await api('l2', 'GET', '/api/v1/metrics/reasons.csv')).text);
  assert.equal(reasons[0], 'tier,reason,count');
  assert.ok(reasons.includes('L1,no-article,2'), reasons.join('\n'));
  assert.ok(reasons.includes('L2,needs-root-cause,1'), reasons.join('\n'));

  const articles = rows((await api('l2', 'GET', '/api/v1/metrics/articles.csv')).text);
  assert.deepEqual(articles, ['slug,tickets', `${ARTICLE},2`]);

  // a queue named like a formula: quoted and prefixed so a spreadsheet shows it as text
  const queues = (await api('l2', 'GET', '/api/v1/metrics/queues.csv')).text;
  assert.ok(rows(queues).some((r) => r.startsWith(`"'${FORMULA_QUEUE}",`)), queues);
  assert.ok(!rows(queues).some((r) => r.startsWith(FORMULA_QUEUE)), queues);

  // a search that found nothing, typed like a formula, on the results page
  const res = await anonFetch(`${kbd.url}/search?q=${encodeURIComponent(GAP_QUERY)}`, { headers: { Authorization: `Bearer ${kbd.tokens.l2}` } });
  assert.equal(res.status, 200);
  let gaps;
  for (let i = 0; i < 50; i++) {
    gaps = (await api('l2', 'GET', '/api/v1/metrics/gaps.csv')).text;
    if (gaps.includes('zzqqxcmd')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(rows(gaps)[0], 'query,count');
  assert.ok(rows(gaps).includes(`"'${GAP_QUERY}",1`), gaps);
  const m = (await metrics()).body;
  assert.ok(m.knowledge.gaps.some((g) => g.query === GAP_QUERY && g.count === 1), 'the JSON keeps the query as typed');
});

// ---- Prometheus ----

test('GET /metrics: Prometheus text for admins only, with the ticket counts', async () => {
  const res = await api('admin', 'GET', '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  const text = res.text;
  assert.match(text, /^# TYPE kbd_http_requests_total counter$/m);
  assert.match(text, /^kbd_http_requests_total\{method="[a-z]+",status="[0-9x]+"\} \d+$/m);
  assert.match(text, /^kbd_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
  const inf = Number(text.match(/_bucket\{le="\+Inf"\} (\d+)/)[1]);
  assert.equal(Number(text.match(/^kbd_http_request_duration_seconds_count (\d+)$/m)[1]), inf, '+Inf bucket = count');
  assert.ok(inf > 20, `requests counted: ${inf}`);
  assert.match(text, /^kbd_index_documents [1-9]\d*$/m);
  assert.match(text, /^kbd_tickets\{status="resolved"\} 4$/m, text.split('\n').filter((l) => l.startsWith('kbd_tickets')).join('\n'));
  assert.equal((await api('l2', 'GET', '/metrics')).status, 403);
  assert.equal((await api('l3', 'GET', '/metrics')).status, 403);
  // a stranger gets no figures (kbd answers a page route's 401 with a redirect to /login)
  const anon = await api(null, 'GET', '/metrics');
  assert.ok(anon.status === 401 || (anon.status === 303 && /^\/login/.test(anon.headers.get('location'))), `anonymous: ${anon.status}`);
  assert.doesNotMatch(anon.text, /kbd_tickets/);
});

// ---- the page ----

async function newPage(role, lang) {
  const ctx = await browser.newContext({
    extraHTTPHeaders: { Authorization: `Bearer ${kbd.tokens[role]}` },
    viewport: { width: 1280, height: 900 },
  });
  if (lang) await ctx.addCookies([{ name: 'kbd_lang', value: lang, url: kbd.url }]);
  const page = await ctx.newPage();
  const errors = [], elsewhere = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) errors.push(msg.text()); });
  // what the page itself loads must be there (the favicon is not asked for)
  page.on('response', (res) => { if (res.status() >= 400 && res.request().resourceType() !== 'document' && !res.url().endsWith('/favicon.ico')) errors.push(`${res.status()} ${res.url()}`); });
  page.on('request', (req) => { if (!req.url().startsWith(kbd.url) && !req.url().startsWith('data:')) elsewhere.push(req.url()); });
  return { ctx, page, errors, elsewhere };
}

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target).join(' ')}`);
}

// The bars of a chart: [{tier, series, h}] (h from the SVG attribute and the box drawn).
const bars = (page, chart) => page.locator(`svg[data-chart="${chart}"] rect.dash-bar`).evaluateAll((els) => els.map((el) => ({
  tier: el.dataset.tier, series: el.dataset.series, h: Number(el.getAttribute('height')), drawn: el.getBoundingClientRect().height,
  title: el.querySelector('title')?.textContent,
})));

// The text shown in the tier table for a figure (its row, by name) and a tier,
// without what is there for screen readers only.
const exactly = (s) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
async function cell(page, figure, tier) {
  const cols = await page.locator('.dash-table--tiers thead th').allInnerTexts();
  const col = cols.findIndex((c) => c.trim() === tier);
  assert.ok(col > 0, `column ${tier}: ${cols}`);
  const row = page.locator('.dash-table--tiers tbody tr').filter({ has: page.locator('summary', { hasText: exactly(figure) }) });
  assert.equal(await row.count(), 1, `row ${figure}`);
  return row.locator('th, td').nth(col).evaluate((el) => {
    let text = el.innerText;
    for (const sr of el.querySelectorAll('.visually-hidden')) text = text.replace(sr.innerText, '');
    return text.trim();
  });
}

test('/dashboard: tables, charts drawn from the history, definitions, CSV links, axe', async () => {
  const { ctx, page, errors, elsewhere } = await newPage('l2');
  const res = await page.goto(`${kbd.url}/dashboard`);
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('h1').innerText(), EN.title_dashboard);
  assert.match(await page.title(), new RegExp(EN.title_dashboard));
  assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');

  // the tier table
  assert.deepEqual((await page.locator('.dash-table--tiers thead th').allInnerTexts()).slice(1), ['L1', 'L2', 'L3']);
  assert.equal(await cell(page, EN.dash_fig_entered, 'L1'), '6');
  assert.equal(await cell(page, EN.dash_fig_fcr, 'L1'), '50%');
  assert.match(await cell(page, EN.dash_fig_escalation, 'L1'), /^67%\s+4 of 6$/);
  assert.match(await cell(page, EN.dash_fig_escalation, 'L2'), /^25%\s+1 of 4$/);
  assert.match(await cell(page, EN.dash_fig_deescalation, 'L2'), /^25%\s+1 of 4$/);
  assert.equal(await cell(page, EN.dash_fig_deescalation, 'L1'), '–', 'nothing is below L1');
  assert.match(await cell(page, EN.dash_fig_escalation, 'L3'), /^0%\s+0 of 1$/, 'a real 0% is not a dash');
  assert.equal(await cell(page, EN.dash_fig_sla, 'L3'), '100%');
  assert.match(await cell(page, EN.dash_fig_backlog, 'L2'), /^1\b/);

  // the charts: a bar per tier and series, with a height where there is something
  const rate = await bars(page, 'rates');
  assert.equal(rate.length, 9, 'three series for three tiers');
  const bar = (list, tier, series) => list.find((b) => b.tier === tier && b.series === series);
  for (const tier of ['L1', 'L2', 'L3']) {
    assert.ok(bar(rate, tier, 'fcr').h > 0 && bar(rate, tier, 'fcr').drawn > 0, `${tier} FCR bar is drawn`);
    assert.ok(bar(rate, tier, 'sla').h > 0, `${tier} SLA bar`);
  }
  assert.ok(bar(rate, 'L1', 'esc').h > bar(rate, 'L2', 'esc').h, 'L1 escalates more than L2');
  assert.equal(bar(rate, 'L3', 'esc').h, 0);
  assert.ok(bar(rate, 'L1', 'fcr').h < bar(rate, 'L2', 'fcr').h, 'FCR 50% is shorter than 100%');
  assert.match(bar(rate, 'L1', 'fcr').title, /^L1 .*: 50%$/);
  const backlog = await bars(page, 'backlog');
  assert.equal(backlog.length, 12);
  assert.ok(bar(backlog, 'L1', 'under_1d').h > 0);
  assert.ok(bar(backlog, 'L2', 'under_1d').h > 0);
  assert.equal(bar(backlog, 'L3', 'under_1d').h, 0);
  assert.equal(bar(backlog, 'L1', 'over_7d').h, 0);
  const reasons = await page.locator('svg[data-chart="reasons"] rect.dash-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('height'))));
  assert.equal(reasons.length, 4, 'no-article, needs-privileges, many-users at L1; needs-root-cause at L2');
  assert.ok(reasons.every((h) => h > 0));
  for (const svg of await page.locator('svg.dash-svg').all()) {
    assert.equal(await svg.getAttribute('role'), 'img');
    const label = await svg.getAttribute('aria-labelledby');
    assert.ok((await page.locator(`#${label}`).innerText()).trim().length > 10, 'each chart is named');
  }
  // the legend says it in words, next to a pattern
  const legend = await page.locator('.dash-legend li').allInnerTexts();
  for (const k of ['dash_series_fcr', 'dash_series_sla', 'dash_series_esc', 'dash_series_over_7d']) assert.ok(legend.includes(EN[k]), k);
  const fills = await page.locator('svg[data-chart="rates"] rect.dash-bar').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('fill')))]);
  assert.equal(fills.length, 3, 'a pattern per series');

  // each definition sits on its figure's name and opens from it
  const def = page.locator('.dash-table--tiers details').filter({ has: page.locator('summary', { hasText: exactly(EN.dash_fig_fcr) }) });
  assert.equal(await def.locator('p').isVisible(), false);
  await def.locator('summary').click();
  assert.equal(await def.locator('p').isVisible(), true);
  assert.equal(await def.locator('p').innerText(), EN.def_first_contact_resolution);
  const { body: m } = await metrics();
  assert.equal(EN.def_first_contact_resolution, m.definitions.first_contact_resolution);
  assert.ok(await page.locator('details.dash-def').count() >= 16, 'a definition on every figure');

  // the knowledge base
  const kb = page.locator('.dash-card').filter({ hasText: EN.dash_kb_link_rate });
  assert.equal((await kb.locator('.dash-card__value').innerText()).trim(), '50%');
  assert.equal(await page.locator(`.dash-list a[href="/articles/${ARTICLE}"]`).count(), 1, 'the top article links to it');
  const missed = page.locator('.dash-tickets a');
  assert.equal(await missed.count(), 1);
  assert.equal(await missed.getAttribute('href'), `/tickets/${T.t2}`);
  assert.equal(await missed.innerText(), T.t2);
  // the search that found nothing (made by the CSV test above), escaped as text
  assert.equal(await page.locator('.dash-list bdi', { hasText: GAP_QUERY }).count(), 1);

  // a CSV link by each table, for the same range
  const links = await page.locator('a.dash-csv').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
  assert.equal(links.length, 6);
  for (const t of ['tiers', 'reasons', 'queues', 'agents', 'articles', 'gaps'])
    assert.ok(links.some((l) => l.startsWith(`/api/v1/metrics/${t}.csv?from=`)), `${t}.csv linked`);
  const csv = await page.request.get(kbd.url + links[0]);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);

  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });
  assert.deepEqual(await axe(page), [], 'axe on /dashboard');
  assert.deepEqual(elsewhere, [], 'no request leaves kbd');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('/dashboard: the filter form changes the range and the tier', async () => {
  const { ctx, page, errors } = await newPage('l3');
  await page.goto(`${kbd.url}/dashboard`);
  assert.equal(await page.locator('#dash-from').inputValue(), day(Date.now() - 29 * DAY));
  assert.equal(await page.locator('#dash-to').inputValue(), TODAY);
  assert.equal(await page.locator('#dash-tier').inputValue(), 'all');

  // one tier, today only
  await page.locator('#dash-from').fill(TODAY);
  await page.locator('#dash-tier').selectOption('L2');
  await Promise.all([page.waitForNavigation(), page.locator('form.dash-filters button[type="submit"]').click()]);
  let url = new URL(page.url());
  assert.equal(url.pathname, '/dashboard');
  assert.equal(url.searchParams.get('from'), TODAY);
  assert.equal(url.searchParams.get('to'), TODAY);
  assert.equal(url.searchParams.get('tier'), 'L2');
  assert.deepEqual((await page.locator('.dash-table--tiers thead th').allInnerTexts()).slice(1), ['L2']);
  assert.equal(await page.locator('#dash-tier').inputValue(), 'L2', 'the tier stays chosen');
  assert.equal(await page.locator('#dash-from').inputValue(), TODAY);
  assert.equal(await cell(page, EN.dash_fig_entered, 'L2'), '4');
  assert.equal((await bars(page, 'rates')).length, 3);
  const tiersCsv = await page.locator('a.dash-csv').first().getAttribute('href');
  assert.equal(tiersCsv, `/api/v1/metrics/tiers.csv?from=${TODAY}&to=${TODAY}&tier=L2`);

  // a range with nothing in it: dashes, bars of height 0, the empty states
  await page.locator('#dash-from').fill('2020-01-01');
  await page.locator('#dash-to').fill('2020-01-31');
  await page.locator('#dash-tier').selectOption('all');
  await Promise.all([page.waitForNavigation(), page.locator('form.dash-filters button[type="submit"]').click()]);
  url = new URL(page.url());
  assert.equal(url.searchParams.get('from'), '2020-01-01');
  assert.equal(url.searchParams.get('to'), '2020-01-31');
  assert.deepEqual((await page.locator('.dash-table--tiers thead th').allInnerTexts()).slice(1), ['L1', 'L2', 'L3']);
  assert.equal(await page.locator('#dash-tier').inputValue(), 'all');
  assert.equal(await cell(page, EN.dash_fig_fcr, 'L1'), '–');
  assert.equal(await cell(page, EN.dash_fig_entered, 'L1'), '0');
  assert.ok((await bars(page, 'rates')).every((b) => b.h === 0));
  assert.equal(await page.locator('svg[data-chart="reasons"]').isVisible(), false, 'no reasons: no chart');
  assert.ok(await page.getByText(EN.dash_reasons_none).isVisible());
  assert.ok(await page.getByText(EN.dash_kb_top_none).isVisible());
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-empty.png'), fullPage: true });
  assert.deepEqual(await axe(page), [], 'axe on an empty range');

  // a bad range is a 400 page, not a 500
  const bad = await page.goto(`${kbd.url}/dashboard?from=2026-02-31`);
  assert.equal(bad.status(), 400);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('/dashboard: who may see it', async () => {
  for (const [role, want] of [['l1', 403], ['l2', 200], ['l3', 200], ['admin', 200], [null, 401]]) {
    const res = await api(role, 'GET', '/dashboard');
    if (role) assert.equal(res.status, want, role);
    else assert.ok(res.status === 401 || (res.status === 303 && /^\/login/.test(res.headers.get('location'))), `anonymous: ${res.status}`);
  }
});

test('/dashboard in Arabic: right to left, mirrored charts, Arabic definitions, axe', async () => {
  const { ctx, page, errors, elsewhere } = await newPage('l2', 'ar');
  assert.equal((await page.goto(`${kbd.url}/dashboard`)).status(), 200);
  const html = page.locator('html');
  assert.equal(await html.getAttribute('lang'), 'ar');
  assert.equal(await html.getAttribute('dir'), 'rtl');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
  assert.equal(await page.locator('h1').innerText(), AR.title_dashboard);
  // the definitions are the Arabic catalogue's, not the API's English
  const def = page.locator('.dash-table--tiers details').filter({ has: page.locator('summary', { hasText: exactly(AR.dash_fig_fcr) }) });
  await def.locator('summary').click();
  assert.equal(await def.locator('p').innerText(), AR.def_first_contact_resolution);
  const text = await page.locator('main').innerText();
  const { body: m } = await metrics();
  for (const [key, english] of Object.entries(m.definitions)) assert.ok(!text.includes(english), `English definition of ${key} shows`);
  const english = Object.entries(EN).filter(([k, v]) => /^(dash_|def_)/.test(k) && AR[k] !== v && /[a-z]{3,} [a-z]{2,}/i.test(v) && !/\{/.test(v))
    .map(([, v]) => v).filter((v) => text.includes(v));
  assert.deepEqual(english, [], 'English dashboard strings in the Arabic page');
  assert.doesNotMatch(text, /\{\{|\}\}|\bt\.[a-z_]+|\bdash_[a-z0-9_]+/, 'no template tag or key shows');
  // the plot is mirrored: L1 at the inline start (the right), the axis at the end
  const groups = await page.locator('svg[data-chart="rates"] text.dash-group').evaluateAll((els) =>
    els.map((e) => ({ label: e.textContent, x: e.getBoundingClientRect().x })));
  const x = Object.fromEntries(groups.map((g) => [g.label, g.x]));
  assert.ok(x.L1 > x.L2 && x.L2 > x.L3, `right to left: ${JSON.stringify(x)}`);
  // the form's controls and the tables run right to left too
  const from = await page.locator('#dash-from').boundingBox();
  const to = await page.locator('#dash-to').boundingBox();
  assert.ok(from.x > to.x, '"from" comes first, at the right');
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-ar.png'), fullPage: true });
  assert.deepEqual(await axe(page), [], 'axe on the Arabic dashboard');
  assert.deepEqual(elsewhere, []);
  assert.deepEqual(errors, []);
  await ctx.close();
});
