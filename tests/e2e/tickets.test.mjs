// The ticket workflow over real HTTP: every endpoint, the state machine's
// 409s, the handoff's 422s, tier permissions, links, the hash-chained log,
// automatic escalation, and durability across kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cpSync } from 'node:fs';
import { startKbd, anonFetch, KBD, ROOT, tempDir, cleanup } from './helpers.mjs';

let kbd;
before(async () => { kbd = await startKbd({ extraArgs: ['--rules-interval', '1'] }); });
after(async () => { await kbd.stop(); });

function api(role, method, url, body) {
  const headers = { Authorization: `Bearer ${kbd.tokens[role]}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return anonFetch(kbd.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(async (res) => ({ status: res.status, body: await res.json() }));
}

const newTicket = (extra = {}) => ({
  title: 'Outlook keeps asking for a password', description: 'Since the password change on **Monday**.',
  requester: { name: 'Ali Hassan', contact: 'ali@example.com' }, category: 'Email',
  impact: 'low', urgency: 'medium', ...extra,
});

test('create returns 201 and the documented shape', async () => {
  const { status, body } = await api('l1', 'POST', '/api/v1/tickets', newTicket({ articles: ['email/outlook-keeps-asking-password'] }));
  assert.equal(status, 201);
  assert.match(body.id, /^T-\d{6}$/);
  for (const k of ['title', 'status', 'tier', 'priority', 'sla', 'links', 'created', 'updated']) assert.ok(k in body, k);
  assert.equal(body.status, 'new');
  assert.equal(body.tier, 'L1');
  assert.equal(body.priority, 'P4');
  assert.equal(body.assignee, null);
  assert.match(body.sla.resolution_due, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(body.links.map((l) => [l.article, l.relation]), [['email/outlook-keeps-asking-password', 'consulted']]);
});

test('bad input is refused with a clear 4xx and nothing half-written', async () => {
  const before = (await api('l1', 'GET', '/api/v1/tickets')).body.count;
  const cases = [
    [newTicket({ colour: 'red' }), 400, 'unknown_field'],
    [newTicket({ title: 42 }), 400, 'bad_request'],
    [newTicket({ title: 'x'.repeat(201) }), 400, 'too_large'],
    [newTicket({ impact: 'huge' }), 422, 'invalid_ticket'],
    [newTicket({ title: '  ' }), 422, 'invalid_ticket'],
    [newTicket({ requester: { name: 'A', phone: '1' } }), 400, 'unknown_field'],
  ];
  for (const [body, status, code] of cases) {
    const res = await api('l1', 'POST', '/api/v1/tickets', body);
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
    assert.equal(res.body.error.code, code);
  }
  const notJson = await anonFetch(`${kbd.url}/api/v1/tickets`, { method: 'POST', body: 'title=x',
    headers: { Authorization: `Bearer ${kbd.tokens.l1}`, 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(notJson.status, 415);
  assert.equal((await api('l1', 'GET', '/api/v1/tickets')).body.count, before);
  assert.equal((await api('l1', 'GET', '/api/v1/tickets/T-999999')).status, 404);
  assert.equal((await api('l1', 'GET', '/api/v1/tickets/bogus')).status, 404);
});

test('illegal status moves answer 409 naming the allowed ones', async () => {
  const t = (await api('l1', 'POST', '/api/v1/tickets', newTicket())).body;
  const closed = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'closed' });
  assert.equal(closed.status, 409);
  assert.match(closed.body.error.message, /Allowed: open, pending, escalated, resolved/);
  const open = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'open', note: 'called back' });
  assert.equal(open.status, 200);
  assert.equal(open.body.status, 'open');
  assert.equal((await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'new' })).status, 409, 'new only first');
  const resolved = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' });
  assert.equal(resolved.body.status, 'resolved');
  assert.equal((await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'closed' })).body.status, 'closed');
  const reopened = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'open' });
  assert.equal(reopened.body.status, 'open');
  assert.equal(reopened.body.reopened, 1);
  const prio = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { impact: 'high', urgency: 'medium' });
  assert.equal(prio.body.priority, 'P2');
});

test('escalation needs a full handoff, goes up one tier, and L2 takes it', async () => {
  const t = (await api('l1', 'POST', '/api/v1/tickets', newTicket())).body;
  const criteria = (await api('l1', 'GET', '/api/v1/escalation-criteria')).body;
  assert.ok(criteria.length >= 3);
  for (const c of criteria) for (const k of ['id', 'label', 'description']) assert.equal(typeof c[k], 'string');
  const partial = await api('l1', 'POST', `/api/v1/tickets/${t.id}/escalate`, { to_tier: 'L2', reason: criteria[0].id, tried: '' });
  assert.equal(partial.status, 422);
  assert.equal(partial.body.error.code, 'missing_handoff');
  assert.deepEqual(partial.body.error.fields.map((f) => f.field).sort(), ['articles', 'steps', 'tried']);
  const badReason = await api('l1', 'POST', `/api/v1/tickets/${t.id}/escalate`, { reason: 'because', tried: 'x', steps: 'y', articles: [] });
  assert.equal(badReason.status, 422);
  const skip = await api('l1', 'POST', `/api/v1/tickets/${t.id}/escalate`, { to_tier: 'L3', reason: criteria[0].id, tried: 'x', steps: 'y', articles: [] });
  assert.equal(skip.status, 409);
  const ok = await api('l1', 'POST', `/api/v1/tickets/${t.id}/escalate`, {
    to_tier: 'L2', reason: criteria[0].id, tried: 'Cleared cached credentials', steps: 'Open Outlook', articles: ['email/outlook-keeps-asking-password'],
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.status, 'escalated');
  assert.equal(ok.body.tier, 'L2');
  assert.equal(ok.body.escalations[0].tried, 'Cleared cached credentials');
  // L1 cannot work it any more; L2 takes ownership
  assert.equal((await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' })).status, 403);
  const taken = await api('l2', 'POST', `/api/v1/tickets/${t.id}/take`);
  assert.equal(taken.body.assignee, 'test-l2');
  assert.equal(taken.body.status, 'open');
  // de-escalation back to L1 with instructions
  assert.equal((await api('l2', 'POST', `/api/v1/tickets/${t.id}/deescalate`, {})).status, 422);
  const down = await api('l2', 'POST', `/api/v1/tickets/${t.id}/deescalate`, { instructions: 'Apply the article, step 3.' });
  assert.equal(down.body.tier, 'L1');
  assert.equal(down.body.status, 'open');
});

test('comments, links and the event timeline', async () => {
  const t = (await api('l1', 'POST', '/api/v1/tickets', newTicket())).body;
  assert.equal((await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: '' })).status, 422);
  const c = await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Asked the user to restart.', internal: false });
  assert.equal(c.status, 201);
  assert.equal(c.body.comments.at(-1).body, 'Asked the user to restart.');
  assert.ok(c.body.sla.first_response, 'a public reply is the first response');
  assert.equal((await api('l1', 'POST', `/api/v1/tickets/${t.id}/links`, { article: 'x', relation: 'liked' })).status, 422);
  const l = await api('l1', 'POST', `/api/v1/tickets/${t.id}/links`, { article: 'email/outlook-keeps-asking-password', relation: 'resolved-by' });
  assert.ok(l.body.links.some((x) => x.relation === 'resolved-by'));
  const { body } = await api('l1', 'GET', `/api/v1/tickets/${t.id}/events`);
  assert.deepEqual(body.events.map((e) => e.kind), ['created', 'comment', 'link']);
  for (const e of body.events) for (const k of ['at', 'actor', 'kind', 'from', 'to', 'note']) assert.ok(k in e, k);
});

test('queues filter by tier, status, text and view', async () => {
  const list = async (qs) => (await api('l2', 'GET', `/api/v1/tickets?${qs}`));
  assert.equal((await list('tier=L4')).status, 400);
  assert.equal((await list('status=bogus')).status, 400);
  for (const t of (await list('tier=L2')).body.tickets) assert.equal(t.tier, 'L2');
  for (const t of (await list('status=closed')).body.tickets) assert.equal(t.status, 'closed');
  const text = await list('q=' + encodeURIComponent('asking for a password'));
  assert.ok(text.body.count >= 1);
  const mine = await list('view=mine');
  for (const t of mine.body.tickets) assert.equal(t.assignee, 'test-l2');
});

test('a P1 opened at L1 is escalated automatically by a logged rule', async () => {
  const t = (await api('l1', 'POST', '/api/v1/tickets', newTicket({ title: 'Whole office offline', impact: 'high', urgency: 'high' }))).body;
  assert.equal(t.priority, 'P1');
  let now = t;
  for (let i = 0; i < 40 && now.tier === 'L1'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = (await api('l1', 'GET', `/api/v1/tickets/${t.id}`)).body;
  }
  assert.equal(now.tier, 'L2');
  assert.equal(now.escalations[0].kind, 'auto');
  assert.equal(now.escalations[0].reason, 'p1-at-l1');
});

test('ticket pages need a signed-in agent', async () => {
  assert.equal((await anonFetch(`${kbd.url}/api/v1/tickets`)).status, 401);
  assert.equal((await anonFetch(`${kbd.url}/tickets`, { redirect: 'manual' })).status, 303);
});

test('acknowledged writes survive kill -9, and the log chain verifies', async () => {
  const k = await startKbd({ users: ['l1'] });
  const acked = [];
  const clients = Array.from({ length: 8 }, async (_, c) => {
    for (let i = 0; i < 15; i++) {
      const res = await anonFetch(`${k.url}/api/v1/tickets`, { method: 'POST',
        headers: { Authorization: `Bearer ${k.tokens.l1}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(newTicket({ title: `durable ${c}-${i}` })) }).catch(() => null);
      if (res && res.status === 201) {
        const t = await res.json();
        acked.push(t.id);
        await anonFetch(`${k.url}/api/v1/tickets/${t.id}/comments`, { method: 'POST',
          headers: { Authorization: `Bearer ${k.tokens.l1}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ body: `note ${c}-${i}` }) }).catch(() => null);
      }
    }
  });
  // kill -9 part-way through
  await new Promise((r) => setTimeout(r, 300));
  k.kill9();
  await Promise.all(clients);
  assert.ok(acked.length > 0, 'some writes were acknowledged before the kill');
  // restart on the same data
  const k2 = await startKbd({ users: [], reuseData: k.data, index: k.index });
  try {
    const token = spawnSync(KBD, ['--data', k.data, 'token', 'add', 'test-l1'], { encoding: 'utf8' }).stdout.trim().split('\n').pop();
    for (const id of acked) {
      const res = await anonFetch(`${k2.url}/api/v1/tickets/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, `${id} lost`);
    }
    const v = spawnSync(KBD, ['--data', k.data, 'verify-log'], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /intact/);
  } finally {
    await k2.stop();
    k.cleanup();
  }
});

test('L2 turns a resolved ticket into a draft article that is searchable at once', async () => {
  const dir = tempDir();
  const articles = path.join(dir, 'articles');
  cpSync(path.join(ROOT, 'articles'), articles, { recursive: true });
  const k = await startKbd({ articles, users: ['l1', 'l2'] });
  const call = (role, method, url, body) => anonFetch(k.url + url, { method,
    headers: { Authorization: `Bearer ${k.tokens[role]}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined }).then(async (r) => ({ status: r.status, body: await r.json() }));
  try {
    const t = (await call('l1', 'POST', '/api/v1/tickets', newTicket({ title: 'Teams zebracall freezes on join' }))).body;
    assert.equal((await call('l2', 'POST', `/api/v1/tickets/${t.id}/draft-article`)).status, 409, 'not resolved yet');
    await call('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Cleared the Teams cache folder.', internal: false });
    await call('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' });
    assert.equal((await call('l1', 'POST', `/api/v1/tickets/${t.id}/draft-article`)).status, 403, 'L1 does not write articles');
    const d = await call('l2', 'POST', `/api/v1/tickets/${t.id}/draft-article`);
    assert.equal(d.status, 201);
    assert.match(d.body.slug, /^drafts\/t-\d{6}-teams-zebracall/);
    const file = readFileSync(path.join(articles, `${d.body.slug}.md`), 'utf8');
    assert.match(file, /^---\ntitle: "Teams zebracall freezes on join"/);
    assert.match(file, /status: draft/);
    assert.match(file, /Cleared the Teams cache folder/);
    const ticket = (await call('l2', 'GET', `/api/v1/tickets/${t.id}`)).body;
    assert.ok(ticket.links.some((l) => l.relation === 'created-from' && l.article === d.body.slug));
    // a draft: in the index, hidden from L1 search
    const s = await call('l1', 'GET', '/api/v1/search?q=zebracall');
    assert.equal(s.body.total, 0);
  } finally {
    await k.stop();
    cleanup(dir);
  }
});

test('ticket pages speak the interface language: durations, statuses, refusals', async () => {
  const ar = JSON.parse(readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../templates/i18n/ar.json'), 'utf8'));
  const page = (url, init = {}) => anonFetch(kbd.url + url, { redirect: 'manual', ...init,
    headers: { Authorization: `Bearer ${kbd.tokens.l1}`, Cookie: 'kbd_lang=ar', ...(init.headers || {}) } });
  const esc = await (await page('/escalation')).text();
  assert.ok(esc.includes('15 دقيقة') && esc.includes('4 ساعات') && esc.includes('3 أيام'), 'durations in Arabic');
  // the SLA tables (the criteria's wording is configuration, written by the desk)
  assert.doesNotMatch((esc.match(/<table[\s\S]*?<\/table>/g) || []).join(''), /\b(minutes|hours|days)\b/);
  const t = (await api('l1', 'POST', '/api/v1/tickets', newTicket())).body;
  const html = await (await page(`/tickets/${t.id}`)).text();
  assert.ok(html.includes(ar.tk_st_new), 'status label');
  const res = await page(`/tickets/${t.id}`, { method: 'POST', body: 'action=escalate&reason=no-article&tried=&steps=&articles=',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 422);
  const refused = await res.text();
  assert.ok(refused.includes(ar.error_missing_handoff) && refused.includes(ar.tk_err_tried), 'the refusal in Arabic');
});

test('the built-in escalation criteria are shown in the interface language', async () => {
  const ar = JSON.parse(readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../templates/i18n/ar.json'), 'utf8'));
  const html = await (await anonFetch(`${kbd.url}/escalation`, { headers: { Authorization: `Bearer ${kbd.tokens.l1}`, Cookie: 'kbd_lang=ar' } })).text();
  assert.ok(html.includes(ar.crit_no_article_label) && html.includes(ar.crit_time_limit_description));
  // the API keeps the configured (English) wording
  const api = await (await anonFetch(`${kbd.url}/api/v1/escalation-criteria`, { headers: { Authorization: `Bearer ${kbd.tokens.l1}` } })).json();
  assert.equal(api.find((c) => c.id === 'no-article').label, 'No article solves it');
});
