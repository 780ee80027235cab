// Problems, major incidents, the live event stream (Server-Sent Events),
// notifications, "who is editing" and edit conflicts, over real HTTP.
// Known-error drafts and incident reviews write article files, so kbd runs
// on a copy of the articles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKbd, anonFetch, ROOT, tempDir, cleanup } from './helpers.mjs';

let kbd, dir, articles;
before(async () => {
  dir = tempDir('kbd-live-');
  articles = path.join(dir, 'articles');
  cpSync(path.join(ROOT, 'articles'), articles, { recursive: true });
  kbd = await startKbd({ articles });
});
after(async () => {
  for (const s of [...openStreams]) s.close();
  await kbd.stop();
  cleanup(dir);
});

const auth = (role) => ({ Authorization: `Bearer ${kbd.tokens[role]}` });

function api(role, method, url, body) {
  const headers = role ? auth(role) : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return anonFetch(kbd.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(async (res) => {
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: json, text };
    });
}

const newTicket = (extra = {}) => ({
  title: 'Outlook keeps asking for a password', description: 'Since the password change on **Monday**.',
  requester: { name: 'Ali Hassan', contact: 'ali@example.com' }, category: 'Email',
  impact: 'low', urgency: 'medium', ...extra,
});

async function ticket(role = 'l1', extra = {}) {
  const res = await api(role, 'POST', '/api/v1/tickets', newTicket(extra));
  assert.equal(res.status, 201, res.text);
  return res.body;
}

let criteria;
async function handoff() {
  if (!criteria) criteria = (await api('l1', 'GET', '/api/v1/escalation-criteria')).body;
  return { to_tier: 'L2', reason: criteria[0].id, tried: 'Cleared cached credentials',
    steps: 'Open Outlook, enter the password', articles: ['email/outlook-keeps-asking-password'] };
}

const events = async (id) => (await api('l2', 'GET', `/api/v1/tickets/${id}/events`)).body.events;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- a small Server-Sent Events client over fetch ----

const openStreams = new Set();

// Open GET /api/v1/events/stream as role (null: anonymous). Resolves once the
// hello event arrived (or at once if the answer is not 200). Every event is
// kept in s.events as {event, id, data (parsed JSON), at (performance.now())}.
async function openStream(role, { lastEventId, timeout = 5000 } = {}) {
  const ac = new AbortController();
  const headers = { Accept: 'text/event-stream', ...(role ? auth(role) : {}) };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  const res = await anonFetch(`${kbd.url}/api/v1/events/stream`, { headers, signal: ac.signal });
  const s = {
    res, events: [], waiters: new Set(), ended: false, raw: '',
    close() {
      openStreams.delete(s);
      ac.abort();
      for (const w of s.waiters) { clearTimeout(w.timer); w.reject(new Error('stream closed')); }
      s.waiters.clear();
    },
    // the first event (already received or to come) that pred accepts
    waitFor(pred, ms = 3000, what = 'an event') {
      const found = s.events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve, reject };
        w.timer = setTimeout(() => {
          s.waiters.delete(w);
          reject(new Error(`${role} stream: no ${what} within ${ms} ms; got ${JSON.stringify(s.events.map((e) => [e.id, e.event, e.data]))}`));
        }, ms);
        s.waiters.add(w);
      });
    },
  };
  if (res.status !== 200) {
    await res.text().catch(() => {});
    return s;
  }
  openStreams.add(s);
  const dispatch = (block) => {
    const ev = { event: 'message', id: undefined, data: '', at: performance.now() };
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') ev.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') ev.id = Number(value);
    }
    if (!data.length) return;	// a ping, or retry: only
    try { ev.data = JSON.parse(data.join('\n')); } catch { ev.data = data.join('\n'); }
    s.events.push(ev);
    for (const w of [...s.waiters])
      if (w.pred(ev)) { clearTimeout(w.timer); s.waiters.delete(w); w.resolve(ev); }
  };
  (async () => {
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = dec.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        s.raw += chunk;
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          dispatch(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch { /* aborted */ }
    s.ended = true;
  })();
  await s.waitFor((e) => e.event === 'hello', timeout, 'hello');
  return s;
}

// ---- problems ----

test('problems: create, validation, roles, list filters, 404', async () => {
  const [t1, t2] = [await ticket(), await ticket()];
  const good = { title: 'Mailbox sync stalls after password change', symptoms: 'Outlook shows "Disconnected" and keeps prompting.', tickets: [t1.id, t2.id] };
  const created = await api('l2', 'POST', '/api/v1/problems', good);
  assert.equal(created.status, 201, created.text);
  assert.match(created.body.id, /^PRB-\d{6}$/);
  assert.equal(created.body.status, 'investigating');
  assert.equal(created.body.title, good.title);
  assert.equal(created.body.symptoms, good.symptoms);
  assert.deepEqual(created.body.tickets.map((t) => t.id), [t1.id, t2.id]);
  assert.equal(created.body.article, null);

  assert.equal((await api('l1', 'POST', '/api/v1/problems', good)).status, 403, 'L1 does not open problems');
  assert.equal((await api(null, 'POST', '/api/v1/problems', good)).status, 401, 'anonymous');
  const unknown = await api('l2', 'POST', '/api/v1/problems', { ...good, colour: 'red' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'unknown_field');
  const noTitle = await api('l2', 'POST', '/api/v1/problems', { symptoms: 'x' });
  assert.equal(noTitle.status, 422);
  assert.ok(noTitle.body.error.fields.some((f) => f.field === 'title'));
  const noSymptoms = await api('l2', 'POST', '/api/v1/problems', { title: 'x' });
  assert.equal(noSymptoms.status, 422);
  assert.ok(noSymptoms.body.error.fields.some((f) => f.field === 'symptoms'));
  const badTicket = await api('l3', 'POST', '/api/v1/problems', { ...good, tickets: ['T-999999'] });
  assert.equal(badTicket.status, 422);
  assert.ok(badTicket.body.error.fields.some((f) => f.field === 'tickets'));

  const inv = await api('l1', 'GET', '/api/v1/problems?status=investigating');
  assert.equal(inv.status, 200);
  assert.ok(inv.body.problems.some((p) => p.id === created.body.id && p.tickets === 2));
  for (const p of inv.body.problems) assert.equal(p.status, 'investigating');
  assert.ok(!(await api('l1', 'GET', '/api/v1/problems?status=resolved')).body.problems.some((p) => p.id === created.body.id));
  assert.equal((await api('l1', 'GET', '/api/v1/problems?status=bogus')).status, 400);
  assert.equal((await api('l1', 'GET', '/api/v1/problems/PRB-999999')).status, 404);
  const one = await api('l1', 'GET', `/api/v1/problems/${created.body.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.id, created.body.id);
});

test('problems: analysis, linking, known error with its workaround article, matching, resolving with the tickets', async () => {
  const [t1, t2, t3, done] = [await ticket('l1', { title: 'VPN zorblax drops' }), await ticket(), await ticket(), await ticket()];
  const p = (await api('l2', 'POST', '/api/v1/problems', {
    title: 'Zorblax VPN drops every ten minutes on hotel wifi',
    symptoms: 'The zorblax VPN client disconnects every ten minutes on hotel wifi; reconnecting works briefly.',
    tickets: [t1.id, t2.id, done.id] })).body;
  // one linked ticket is resolved already: resolving the problem leaves it alone
  assert.equal((await api('l1', 'PATCH', `/api/v1/tickets/${done.id}`, { status: 'resolved' })).body.status, 'resolved');

  const analysis = { timeline: 'Since the gateway update on Monday.', cause: 'Gateway idle timeout of 600 s.',
    factors: 'Hotel captive portals.', whys: ['The tunnel drops', 'Idle timeout too short'],
    workaround: 'Enable keep-alive in the VPN client.', fix: 'Raise the gateway timeout.', owner: 'test-l3' };
  const edited = await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, analysis);
  assert.equal(edited.status, 200, edited.text);
  for (const [k, v] of Object.entries(analysis)) assert.deepEqual(edited.body[k], v, k);
  assert.equal((await api('l1', 'PATCH', `/api/v1/problems/${p.id}`, { cause: 'x' })).status, 403);
  assert.equal((await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, { colour: 'red' })).status, 400);
  assert.equal((await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, { whys: 'not a list' })).status, 422);
  assert.equal((await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, { status: 'known_error' })).status, 422,
    'a known error is declared with its article');
  assert.equal((await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, { resolve_tickets: true, message: 'x' })).status, 422,
    'resolve_tickets only when resolving');
  assert.equal((await api('l2', 'GET', `/api/v1/problems/${p.id}`)).body.status, 'investigating');

  const linked = await api('l2', 'POST', `/api/v1/problems/${p.id}/tickets`, { ticket: t3.id });
  assert.equal(linked.status, 200, linked.text);
  assert.deepEqual(linked.body.tickets.map((t) => t.id).sort(), [t1.id, t2.id, t3.id, done.id].sort());
  assert.equal((await api('l2', 'POST', `/api/v1/problems/${p.id}/tickets`, { ticket: 'T-999999' })).status, 404);

  // a known error needs its workaround article
  const none = await api('l2', 'POST', `/api/v1/problems/${p.id}/known-error`, {});
  assert.equal(none.status, 422);
  assert.equal((await api('l2', 'POST', `/api/v1/problems/${p.id}/known-error`, { article: 'no/such-article' })).status, 422);
  assert.equal((await api('l2', 'GET', `/api/v1/problems/${p.id}`)).body.status, 'investigating', 'nothing changed by the refusals');
  // before it is a known error, no match
  const q = encodeURIComponent('My zorblax VPN disconnects every ten minutes at the hotel wifi');
  assert.ok(!(await api('l1', 'GET', `/api/v1/known-errors?q=${q}`)).body.known_errors.some((k) => k.id === p.id));
  const ke = await api('l2', 'POST', `/api/v1/problems/${p.id}/known-error`, { article: 'email/outlook-keeps-asking-password' });
  assert.equal(ke.status, 200, ke.text);
  assert.equal(ke.body.status, 'known_error');
  assert.equal(ke.body.article, 'email/outlook-keeps-asking-password');
  assert.equal((await api('l1', 'GET', '/api/v1/problems?status=known_error')).body.problems.find((x) => x.id === p.id)?.article,
    'email/outlook-keeps-asking-password');

  // an investigating problem with the same words is not a known error: never offered
  const other = (await api('l3', 'POST', '/api/v1/problems', { title: 'Zorblax VPN drops every ten minutes on hotel wifi (second)',
    symptoms: 'The zorblax VPN client disconnects every ten minutes on hotel wifi.' })).body;
  const match = await api('l1', 'GET', `/api/v1/known-errors?q=${q}`);
  assert.equal(match.status, 200);
  assert.equal(match.body.known_errors[0]?.id, p.id, JSON.stringify(match.body));
  assert.equal(match.body.known_errors[0].article, 'email/outlook-keeps-asking-password');
  assert.ok(!match.body.known_errors.some((k) => k.id === other.id));
  assert.equal((await api('l1', 'GET', '/api/v1/known-errors')).status, 400, 'q is required');

  // resolve the problem and its open tickets with one message
  const message = 'Fixed: the VPN gateway timeout was raised. Reconnect once.';
  assert.equal((await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, { status: 'resolved', resolve_tickets: true })).status, 422,
    'the message is required');
  const resolved = await api('l2', 'PATCH', `/api/v1/problems/${p.id}`, { status: 'resolved', resolve_tickets: true, message });
  assert.equal(resolved.status, 200, resolved.text);
  assert.equal(resolved.body.status, 'resolved');
  assert.ok(resolved.body.resolved);
  assert.deepEqual(resolved.body.tickets_resolved.map((r) => [r.ticket, r.resolved]).sort(),
    [[t1.id, true], [t2.id, true], [t3.id, true]].sort(), JSON.stringify(resolved.body.tickets_resolved));
  for (const t of [t1, t2, t3]) {
    const now = (await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body;
    assert.equal(now.status, 'resolved', t.id);
    const last = now.comments.at(-1);
    assert.equal(last.body, message, t.id);
    assert.equal(last.internal, false, 'a public reply');
  }
  const untouched = (await api('l2', 'GET', `/api/v1/tickets/${done.id}`)).body;
  assert.ok(!untouched.comments.some((c) => c.body === message), 'the resolved ticket gets no second reply');
  assert.ok(!(await api('l1', 'GET', `/api/v1/known-errors?q=${q}`)).body.known_errors.some((k) => k.id === p.id),
    'a resolved problem is no longer a known error');

  // every change is an event of kind problem on the linked tickets
  const e1 = (await events(t1.id)).filter((e) => e.kind === 'problem');
  assert.ok(e1.every((e) => e.to === p.id), JSON.stringify(e1));
  assert.equal(e1.find((e) => e.field === 'edited').note, 'timeline, cause, factors, whys, workaround, fix, owner', 'analysis edits are on the tickets too');
  assert.deepEqual(e1.map((e) => e.field), ['linked', 'edited', 'known_error', 'status'], JSON.stringify(e1));
  assert.equal(e1.find((e) => e.field === 'known_error').note, 'email/outlook-keeps-asking-password');
  assert.equal(e1.find((e) => e.field === 'status').note, 'resolved');
  const e3 = (await events(t3.id)).filter((e) => e.kind === 'problem');
  assert.deepEqual(e3.map((e) => e.field), ['linked', 'known_error', 'status'], JSON.stringify(e3));
  // the problem's own log
  const log = (await api('l2', 'GET', `/api/v1/problems/${p.id}`)).body.log.map((l) => l.kind);
  for (const k of ['created', 'edited', 'ticket', 'known_error', 'resolved']) assert.ok(log.includes(k), `${k} in ${log}`);
});

test('problems: a known error can start from a new draft workaround article', async () => {
  const t = await ticket();
  const p = (await api('l3', 'POST', '/api/v1/problems', { title: 'Printer spooler crashes on queue purge',
    symptoms: 'The print spooler service stops whenever a queue is purged.', tickets: [t.id] })).body;
  await api('l3', 'PATCH', `/api/v1/problems/${p.id}`, { workaround: 'Restart the spooler, then purge from the web console.' });
  const both = await api('l3', 'POST', `/api/v1/problems/${p.id}/known-error`, { draft: true, article: 'email/outlook-keeps-asking-password' });
  assert.equal(both.status, 422, 'an article or a draft, not both');
  const res = await api('l3', 'POST', `/api/v1/problems/${p.id}/known-error`, { draft: true });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, 'known_error');
  const slug = res.body.article;
  assert.match(slug, new RegExp(`^problems/${p.id.toLowerCase()}`));
  assert.equal(res.body.article_status, 'draft');
  const file = path.join(articles, `${slug}.md`);
  assert.ok(existsSync(file), `${file} written`);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /status: draft/);
  assert.match(text, /The print spooler service stops whenever a queue is purged/);
  assert.match(text, /Restart the spooler, then purge from the web console/);
  assert.equal((await api('l1', 'GET', `/api/v1/problems/${p.id}`)).body.article, slug);
  const ev = (await events(t.id)).filter((e) => e.kind === 'problem' && e.field === 'known_error');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].note, slug);
});

// ---- major incidents ----

test('major incidents: P1 only, roles, updates, linking, closing review, events', async () => {
  const stream = await openStream('l1');
  try {
    const t = await ticket('l1', { title: 'Whole floor cannot print' });
    const summary = 'Printing down on floor 3 qxvint';
    const notP1 = await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id, summary, advice: 'Use floor 2.' });
    assert.equal(notP1.status, 422, 'only a P1 ticket is a major incident');
    const p1 = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { impact: 'high', urgency: 'high' });
    assert.equal(p1.body.priority, 'P1');
    assert.equal((await api('l1', 'POST', '/api/v1/incidents', { ticket: t.id, summary, advice: 'Use floor 2.' })).status, 403);
    assert.equal((await api(null, 'POST', '/api/v1/incidents', { ticket: t.id, summary })).status, 401);
    assert.equal((await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id, summary, colour: 'red' })).status, 400);
    assert.equal((await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id })).status, 422, 'summary required');
    const mi = await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id, summary, advice: 'Use the printers on floor 2.' });
    assert.equal(mi.status, 201, mi.text);
    assert.match(mi.body.id, /^MI-\d{6}$/);
    assert.equal(mi.body.status, 'active');
    assert.equal(mi.body.ticket, t.id);
    assert.equal(mi.body.declared_by, 'test-l2');
    assert.deepEqual(mi.body.tickets.map((x) => x.id), [t.id]);
    const id = mi.body.id;
    const declared = await stream.waitFor((e) => e.event === 'incident' && e.data.id === id, 3000, 'incident declared');
    assert.equal(declared.data.status, 'active');
    assert.equal(declared.data.summary, summary);

    // status updates: L2/L3 only
    assert.equal((await api('l1', 'POST', `/api/v1/incidents/${id}/updates`, { text: 'x' })).status, 403);
    assert.equal((await api('l2', 'POST', `/api/v1/incidents/${id}/updates`, {})).status, 422);
    const up = await api('l3', 'POST', `/api/v1/incidents/${id}/updates`, { text: 'Vendor engineer on site.' });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.body.text, 'Vendor engineer on site.');
    assert.equal(up.body.actor, 'test-l3');
    const upd = await stream.waitFor((e) => e.event === 'incident' && e.data.id === id && e.data.update === 'Vendor engineer on site.', 3000, 'incident update');
    assert.equal(upd.data.status, 'active');

    // any agent links a ticket
    const t2 = await ticket('l1', { title: 'My printout never comes out' });
    const link = await api('l1', 'POST', `/api/v1/incidents/${id}/tickets`, { ticket: t2.id });
    assert.equal(link.status, 200, link.text);
    assert.deepEqual(link.body.tickets.map((x) => x.id).sort(), [t.id, t2.id].sort());
    assert.equal((await api('l1', 'POST', `/api/v1/incidents/${id}/tickets`, { ticket: 'T-999999' })).status, 404);

    // an incident from a problem takes the problem's tickets
    const t3 = await ticket();
    const prb = (await api('l2', 'POST', '/api/v1/problems', { title: 'Print server disk full', symptoms: 'Jobs stall.', tickets: [t3.id] })).body;
    const summary2 = 'Print server degraded wqplmz';
    const mi2 = await api('l3', 'POST', '/api/v1/incidents', { problem: prb.id, summary: summary2, advice: '' });
    assert.equal(mi2.status, 201, mi2.text);
    assert.equal(mi2.body.problem, prb.id);
    assert.deepEqual(mi2.body.tickets.map((x) => x.id), [t3.id]);
    assert.equal((await api('l3', 'POST', '/api/v1/incidents', { problem: 'PRB-999999', summary: 'x' })).status, 404);

    const active = await api('l1', 'GET', '/api/v1/incidents?status=active');
    assert.equal(active.status, 200);
    assert.ok(active.body.incidents.some((i) => i.id === id && i.tickets === 2));
    assert.ok(active.body.incidents.some((i) => i.id === mi2.body.id));
    assert.equal((await api('l1', 'GET', '/api/v1/incidents?status=bogus')).status, 400);
    const got = await api('l1', 'GET', `/api/v1/incidents/${id}`);
    assert.deepEqual(got.body.updates.map((u) => u.text), ['Declared a major incident.', 'Vendor engineer on site.']);
    assert.equal((await api('l1', 'GET', '/api/v1/incidents/MI-999999')).status, 404);

    // closing: L2/L3, writes the review draft, once
    assert.equal((await api('l1', 'POST', `/api/v1/incidents/${id}/close`, { text: 'x' })).status, 403);
    const closed = await api('l2', 'POST', `/api/v1/incidents/${id}/close`, { text: 'Fuser replaced.' });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.status, 'resolved');
    assert.match(closed.body.review_article, new RegExp(`^incidents/${id.toLowerCase()}`));
    const review = path.join(articles, `${closed.body.review_article}.md`);
    assert.ok(existsSync(review), `${review} written`);
    const reviewText = readFileSync(review, 'utf8');
    assert.match(reviewText, /status: draft/);
    assert.ok(reviewText.includes(summary) && reviewText.includes('Vendor engineer on site.') && reviewText.includes('Fuser replaced.'));
    const again = await api('l2', 'POST', `/api/v1/incidents/${id}/close`, { text: 'again' });
    assert.equal(again.status, 409);
    assert.equal((await api('l2', 'POST', `/api/v1/incidents/${id}/updates`, { text: 'late' })).status, 409);
    const after1 = await api('l1', 'GET', `/api/v1/incidents/${id}`);
    assert.equal(after1.body.status, 'resolved');
    assert.equal(after1.body.review_article, closed.body.review_article);
    await stream.waitFor((e) => e.event === 'incident' && e.data.id === id && e.data.status === 'resolved', 3000, 'incident resolved');
    assert.ok(!(await api('l1', 'GET', '/api/v1/incidents?status=active')).body.incidents.some((i) => i.id === id));
    const closed2 = await api('l2', 'POST', `/api/v1/incidents/${mi2.body.id}/close`);
    assert.equal(closed2.status, 200, 'closing without a text');
    assert.ok(existsSync(path.join(articles, `${closed2.body.review_article}.md`)));

    // every change is an event of kind incident on the linked tickets
    const ev1 = (await events(t.id)).filter((e) => e.kind === 'incident');
    assert.ok(ev1.every((e) => e.to === id), JSON.stringify(ev1));
    assert.deepEqual(ev1.map((e) => e.field), ['linked', 'update', 'resolved'], JSON.stringify(ev1));
    const ev2 = (await events(t2.id)).filter((e) => e.kind === 'incident');
    assert.deepEqual(ev2.map((e) => e.field), ['linked', 'resolved'], JSON.stringify(ev2));
    const ev3 = (await events(t3.id)).filter((e) => e.kind === 'incident');
    assert.deepEqual(ev3.map((e) => [e.field, e.to]), [['linked', mi2.body.id], ['resolved', mi2.body.id]], JSON.stringify(ev3));
  } finally {
    stream.close();
  }
});

test('an active major incident shows on every page of a signed-in user until it is closed', async () => {
  const page = async (url, role = 'l1') => (await anonFetch(kbd.url + url, { headers: auth(role) })).text();
  const t = await ticket('l1', { impact: 'high', urgency: 'high', title: 'Badge readers dead' });
  const t2 = await ticket();
  const [s1, s2] = ['Badge readers down zqvbanner', 'Door locks degraded wqpbanner'];
  const a = (await api('l2', 'POST', '/api/v1/incidents', { ticket: t.id, summary: s1, advice: 'Use the side entrance.' })).body;
  const p = (await api('l2', 'POST', '/api/v1/problems', { title: 'Door controller firmware', symptoms: 'Locks reboot.', tickets: [t2.id] })).body;
  const b = (await api('l2', 'POST', '/api/v1/incidents', { problem: p.id, summary: s2 })).body;
  try {
    for (const [url, role] of [['/', 'l1'], ['/tickets', 'l1'], [`/tickets/${t2.id}`, 'l1'], ['/', 'l3'], ['/faq', 'admin']]) {
      const html = await page(url, role);
      assert.ok(html.includes(s1) && html.includes(s2), `the banner with both incidents on ${url} for ${role}`);
    }
    assert.ok(!(await (await anonFetch(kbd.url + '/')).text()).includes(s1), 'not for anonymous visitors');
    assert.equal((await api('l3', 'POST', `/api/v1/incidents/${a.id}/close`, { text: 'Fixed.' })).status, 200);
    const html = await page('/');
    assert.ok(!html.includes(s1), 'the closed incident leaves the banner');
    assert.ok(html.includes(s2), 'the other active one stays');
  } finally {
    await api('l3', 'POST', `/api/v1/incidents/${a.id}/close`, {});
    await api('l3', 'POST', `/api/v1/incidents/${b.id}/close`, {});
  }
  assert.ok(!(await page('/')).includes(s2), 'gone once closed');
});

// ---- the event stream ----

test('the event stream: 401 anonymous, text/event-stream with hello first', async () => {
  const anon = await anonFetch(`${kbd.url}/api/v1/events/stream`);
  assert.equal(anon.status, 401);
  await anon.text();
  const s = await openStream('l2');
  try {
    assert.equal(s.res.status, 200);
    assert.match(s.res.headers.get('content-type'), /^text\/event-stream/);
    assert.equal(s.events[0].event, 'hello');
    assert.equal(s.events[0].data.user, 'test-l2');
    assert.equal(typeof s.events[0].data.unread, 'number');
  } finally {
    s.close();
  }
});

test("another user's change reaches a stream within one second", async () => {
  const t = await ticket();
  const s = await openStream('l2');
  try {
    for (let i = 0; i < 3; i++) {
      const title = `Renamed for the stream ${i}`;
      const res = await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { title });
      assert.equal(res.status, 200);
      const done = performance.now();
      const ev = await s.waitFor((e) => e.event === 'ticket' && e.data.ticket === t.id && e.data.field === 'title' && e.data.to === title,
        5000, `ticket event for "${title}"`);
      const latency = Math.max(0, ev.at - done);
      assert.ok(latency < 1000, `the event came ${latency.toFixed(0)} ms after the change`);
      assert.equal(ev.data.kind, 'field');
      assert.equal(ev.data.actor, 'test-l1');
      assert.equal(typeof ev.data.event, 'number');
      assert.ok(Number.isInteger(ev.id) && ev.id > 0, 'events carry an id');
    }
  } finally {
    s.close();
  }
});

test('an escalation to L2 reaches L2 streams as escalation, L1 streams only as a ticket change', async () => {
  const t = await ticket('l1', { title: 'Escalate me to L2 please' });
  const [l1, l2, l3] = [await openStream('l1'), await openStream('l2'), await openStream('l3')];
  try {
    const res = await api('l1', 'POST', `/api/v1/tickets/${t.id}/escalate`, await handoff());
    assert.equal(res.status, 200, res.text);
    const esc = await l2.waitFor((e) => e.event === 'escalation' && e.data.ticket === t.id, 3000, 'escalation');
    assert.equal(esc.data.to_tier, 'L2');
    assert.equal(esc.data.from_tier, 'L1');
    assert.equal(esc.data.actor, 'test-l1');
    assert.equal(esc.data.title, 'Escalate me to L2 please');
    const change = await l1.waitFor((e) => e.event === 'ticket' && e.data.ticket === t.id && e.data.kind === 'escalated', 3000, 'ticket escalated');
    assert.equal(change.data.to, 'L2');
    await l2.waitFor((e) => e.event === 'notification' && e.data.ticket === t.id, 3000, 'L2 notification');
    await sleep(300);
    assert.ok(!l1.events.some((e) => e.event === 'escalation'), 'L1 gets no escalation event');
    assert.ok(!l3.events.some((e) => e.event === 'escalation' && e.data.ticket === t.id), 'L3 gets no escalation to L2');
    assert.ok(!l1.events.some((e) => e.event === 'notification' && e.data.ticket === t.id), 'nor its notification');
  } finally {
    l1.close(); l2.close(); l3.close();
  }
});

test('an @mention in an internal comment notifies that user; escalations notify the tier; read marks', async () => {
  const t = await ticket();
  const l3 = await openStream('l3');
  const l2 = await openStream('l2');
  try {
    const c = await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Can you look at the logs, @test-l3? Thanks.', internal: true });
    assert.equal(c.status, 201);
    const n = await l3.waitFor((e) => e.event === 'notification' && e.data.ticket === t.id, 3000, 'mention notification');
    assert.equal(n.data.kind, 'mention');
    assert.equal(n.data.actor, 'test-l1');
    assert.match(n.data.text, /@test-l3/);
    const comment = await l2.waitFor((e) => e.event === 'comment' && e.data.ticket === t.id, 3000, 'comment event');
    assert.equal(comment.data.internal, true);
    await sleep(200);
    assert.ok(!l2.events.some((e) => e.event === 'notification' && e.data.kind === 'mention' && e.data.ticket === t.id),
      'the mention is only for test-l3');

    const list = await api('l3', 'GET', '/api/v1/notifications');
    assert.equal(list.status, 200);
    assert.ok(list.body.unread >= 1, JSON.stringify(list.body));
    const item = list.body.notifications.find((x) => x.kind === 'mention' && x.ticket === t.id);
    assert.ok(item, JSON.stringify(list.body));
    assert.equal(item.unread, true);
    assert.equal(item.actor, 'test-l1');
    const hello = await openStream('l3');
    assert.ok(hello.events[0].data.unread >= 1, 'hello carries the unread count');
    hello.close();
    const read = await api('l3', 'POST', '/api/v1/notifications/read', {});
    assert.equal(read.status, 200, read.text);
    const after = await api('l3', 'GET', '/api/v1/notifications');
    assert.equal(after.body.unread, 0);
    assert.ok(after.body.notifications.every((x) => x.unread === false));
    const hello0 = await openStream('l3');
    assert.equal(hello0.events[0].data.unread, 0);
    hello0.close();
    assert.equal((await api(null, 'GET', '/api/v1/notifications')).status, 401);

    // a public comment or an unknown name notifies nobody
    await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Public: @test-l3 and @nobody-here', internal: false });
    await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'Write to someone@test-l3.example', internal: true });
    await sleep(600);
    assert.equal((await api('l3', 'GET', '/api/v1/notifications')).body.unread, 0, 'no mention from a public comment or an e-mail address');

    // an escalation to L2 lands for L2 users
    await api('l2', 'POST', '/api/v1/notifications/read', {});
    const e = await ticket('l1', { title: 'Needs L2 eyes' });
    assert.equal((await api('l1', 'POST', `/api/v1/tickets/${e.id}/escalate`, await handoff())).status, 200);
    const en = await l2.waitFor((x) => x.event === 'notification' && x.data.ticket === e.id, 3000, 'escalation notification');
    assert.equal(en.data.kind, 'escalation');
    const l2list = (await api('l2', 'GET', '/api/v1/notifications')).body;
    assert.ok(l2list.unread >= 1);
    assert.ok(l2list.notifications.some((x) => x.kind === 'escalation' && x.ticket === e.id && x.unread));
    assert.ok(!(await api('l1', 'GET', '/api/v1/notifications')).body.notifications.some((x) => x.ticket === e.id),
      'not for L1');
  } finally {
    l3.close(); l2.close();
  }
});

test('incidents arrive on every stream', async () => {
  const streams = [await openStream('l1'), await openStream('l3'), await openStream('admin')];
  try {
    const t = await ticket('l1', { impact: 'high', urgency: 'high', title: 'Internet down in building B' });
    assert.equal(t.priority, 'P1');
    const mi = (await api('l3', 'POST', '/api/v1/incidents', { ticket: t.id, summary: 'Building B offline', advice: 'Use the guest wifi.' })).body;
    for (const s of streams) {
      const ev = await s.waitFor((e) => e.event === 'incident' && e.data.id === mi.id, 3000, 'incident');
      assert.equal(ev.data.summary, 'Building B offline');
      assert.equal(ev.data.advice, 'Use the guest wifi.');
    }
    await api('l3', 'POST', `/api/v1/incidents/${mi.id}/updates`, { text: 'ISP is on it.' });
    for (const s of streams)
      await s.waitFor((e) => e.event === 'incident' && e.data.id === mi.id && e.data.update === 'ISP is on it.', 3000, 'incident update');
    await api('l3', 'POST', `/api/v1/incidents/${mi.id}/close`, { text: 'Back.' });
    for (const s of streams)
      await s.waitFor((e) => e.event === 'incident' && e.data.id === mi.id && e.data.status === 'resolved', 3000, 'incident resolved');
  } finally {
    for (const s of streams) s.close();
  }
});

test('reconnecting with Last-Event-ID replays what came after it', async () => {
  const t = await ticket();
  const first = await openStream('l2');
  const seen = [];
  for (let i = 0; i < 3; i++) {
    const title = `Replay me ${i}`;
    assert.equal((await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { title })).status, 200);
    seen.push(await first.waitFor((e) => e.event === 'ticket' && e.data.ticket === t.id && e.data.to === title, 3000, title));
  }
  first.close();
  assert.ok(seen[0].id < seen[1].id && seen[1].id < seen[2].id, 'ids increase');
  const again = await openStream('l2', { lastEventId: seen[0].id });
  const fresh = await openStream('l2');
  try {
    await again.waitFor((e) => e.id === seen[2].id, 3000, 'the replayed third change');
    const replayed = again.events.filter((e) => e.event !== 'hello');
    assert.ok(replayed.every((e) => e.id > seen[0].id), 'nothing up to the Last-Event-ID');
    assert.deepEqual(replayed.filter((e) => e.event === 'ticket' && e.data.ticket === t.id).map((e) => e.data.to),
      ['Replay me 1', 'Replay me 2']);
    await sleep(300);
    assert.ok(!fresh.events.some((e) => e.event === 'ticket' && e.data.ticket === t.id), 'without the header: news from now on');
    // and the replayed stream goes on live
    await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Replay me live' });
    await again.waitFor((e) => e.event === 'ticket' && e.data.to === 'Replay me live', 3000, 'live after replay');
    await fresh.waitFor((e) => e.event === 'ticket' && e.data.to === 'Replay me live', 3000, 'live on the fresh stream');
  } finally {
    again.close(); fresh.close();
  }
});

async function streamCount() {
  const text = await (await anonFetch(`${kbd.url}/metrics`, { headers: auth('admin') })).text();
  const m = text.match(/^kbd_event_streams (\d+)$/m);
  return m ? Number(m[1]) : NaN;
}

// Wake the parked streams (a closed one is only noticed when written to)
// and wait until the count is n, waking them again each second: a client
// may close its stream just after a wake-up (slow under ASan), and then
// only the next write lets it go.
async function streamsSettle(n) {
  const t = await ticket();
  let now = NaN;
  for (let i = 0; i < 100 && now !== n; i++) {
    if (i % 10 === 0)
      await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { title: `Wake the streams ${i}` });
    await sleep(100);
    now = await streamCount();
  }
  return now;
}

test('50 open streams neither block nor slow other requests, and all get the news', async () => {
  const base = await streamsSettle(0);
  assert.equal(base, 0, 'the streams of the tests before are released');
  const roles = ['l1', 'l2', 'l3', 'admin'];
  const streams = await Promise.all(Array.from({ length: 50 }, (_, i) => openStream(roles[i % 4], { timeout: 10000 })));
  try {
    assert.equal(streams.filter((s) => s.res.status === 200).length, 50);
    assert.equal(await streamCount(), base + 50);
    const health = await anonFetch(`${kbd.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(health.status, 200);
    await health.text();
    const search = await anonFetch(`${kbd.url}/api/v1/search?q=outlook`, { headers: auth('l1'), signal: AbortSignal.timeout(5000) });
    assert.equal(search.status, 200);
    assert.ok((await search.json()).total >= 1);
    const t = await ticket();
    const res = await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Fifty listeners' });
    assert.equal(res.status, 200);
    await Promise.all(streams.map((s) => s.waitFor((e) => e.event === 'ticket' && e.data.ticket === t.id && e.data.to === 'Fifty listeners',
      5000, 'the change')));
  } finally {
    for (const s of streams) s.close();
  }
  // the server keeps working, and lets the closed streams go
  await sleep(100);
  const health = await anonFetch(`${kbd.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  assert.equal(health.status, 200);
  await health.text();
  assert.equal(await streamsSettle(base), base, 'closed streams are released');
  const t = await ticket();
  const s = await openStream('l1');
  try {
    await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Still live' });
    await s.waitFor((e) => e.event === 'ticket' && e.data.to === 'Still live', 3000, 'a new stream still works');
  } finally {
    s.close();
  }
});

// ---- editing together ----

test('who is editing: answered to the editor and announced as presence', async () => {
  const t = await ticket();
  const s = await openStream('l1');
  try {
    const mine = await api('l2', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(mine.body.editing, []);
    await s.waitFor((e) => e.event === 'presence' && e.data.ticket === t.id && e.data.editing.includes('test-l2'), 3000, 'presence l2');
    const theirs = await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true });
    assert.deepEqual(theirs.body.editing, ['test-l2']);
    const both = await s.waitFor((e) => e.event === 'presence' && e.data.ticket === t.id && e.data.editing.length === 2, 3000, 'presence both');
    assert.deepEqual([...both.data.editing].sort(), ['test-l2', 'test-l3']);
    // renewing changes nothing
    assert.deepEqual((await api('l2', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true })).body.editing, ['test-l3']);
    const stop = await api('l2', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: false });
    assert.equal(stop.status, 200);
    assert.deepEqual(stop.body.editing, ['test-l3']);
    await s.waitFor((e) => e.event === 'presence' && e.data.ticket === t.id && e.data.editing.length === 1 && e.data.editing[0] === 'test-l3',
      3000, 'presence without l2');
    assert.deepEqual((await api('l1', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true })).body.editing, ['test-l3']);
    await api('l1', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: false });
    await api('l3', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: false });
    await s.waitFor((e) => e.event === 'presence' && e.data.ticket === t.id && e.data.editing.length === 0, 3000, 'nobody editing');
    assert.equal((await api('l2', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: 'yes' })).status, 422);
    assert.equal((await api('l2', 'POST', '/api/v1/tickets/T-999999/editing', { editing: true })).status, 404);
    // an extra field is a bad request, not "no such ticket"
    const extra = await api('l2', 'POST', `/api/v1/tickets/${t.id}/editing`, { editing: true, x: 1 });
    assert.ok([400, 422].includes(extra.status), `{editing: true, x: 1} on an existing ticket: ${extra.status} ${extra.text}`);
  } finally {
    s.close();
  }
});

test("an edit based on an old view refuses to overwrite someone else's change (409 conflict)", async () => {
  const t = await ticket('l1', { title: 'Conflict original' });
  const base = (await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body.last_event;
  assert.ok(Number.isInteger(base) && base > 0, 'the ticket JSON carries last_event');
  const first = await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Conflict mine', base_event: base });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.title, 'Conflict mine');
  assert.ok(first.body.last_event > base);
  // my own later changes do not conflict with me
  const second = await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { category: 'Network', base_event: base });
  assert.equal(second.status, 200, second.text);
  // someone else changes it
  const theirs = await api('l3', 'PATCH', `/api/v1/tickets/${t.id}`, { queue: 'L1-special', description: 'Theirs.' });
  assert.equal(theirs.status, 200, theirs.text);
  const stale = await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Conflict lost', urgency: 'high', base_event: base });
  assert.equal(stale.status, 409, stale.text);
  assert.equal(stale.body.error.code, 'conflict');
  const changes = stale.body.error.changes;
  assert.ok(Array.isArray(changes) && changes.length >= 1, JSON.stringify(stale.body));
  assert.ok(changes.every((c) => c.actor === 'test-l3'), 'only their changes');
  assert.deepEqual(changes.map((c) => c.field).sort(), ['description', 'queue']);
  for (const c of changes) for (const k of ['id', 'at', 'kind', 'field', 'from', 'to']) assert.ok(k in c, k);
  assert.match(stale.body.error.message, /test-l3/);
  // nothing saved
  const now = (await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body;
  assert.equal(now.title, 'Conflict mine');
  assert.equal(now.urgency, 'medium');
  assert.equal(now.queue, 'L1-special');
  // with a fresh view it goes through; without base_event as before
  const fresh = await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Conflict resolved', base_event: now.last_event });
  assert.equal(fresh.status, 200, fresh.text);
  assert.equal((await api('l2', 'PATCH', `/api/v1/tickets/${t.id}`, { base_event: 'x' })).status, 400);
  assert.equal((await api('l3', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'No base' })).status, 200);
});

test('a known error is offered at triage only once its workaround draft is published', async () => {
  const t = await ticket('l1', { title: 'Quibbleflux printer spooler halts', description: 'The quibbleflux spooler halts after every job' });
  const p = (await api('l2', 'POST', '/api/v1/problems', { title: 'Quibbleflux spooler halts',
    symptoms: 'quibbleflux spooler halts after every print job', tickets: [t.id] })).body;
  const ke = await api('l2', 'POST', `/api/v1/problems/${p.id}/known-error`, { draft: true });
  assert.equal(ke.status, 200, ke.text);
  assert.equal(ke.body.article_status, 'draft');
  const q = encodeURIComponent('the quibbleflux spooler halts when printing');
  let found = (await api('l1', 'GET', `/api/v1/known-errors?q=${q}`)).body.known_errors;
  assert.ok(!found.some((k) => k.id === p.id), 'a draft workaround is not offered to L1');
  for (const step of ['review', 'publish'])
    assert.equal((await api('l2', 'POST', `/api/v1/articles/${ke.body.article}/${step}`)).status, 200);
  found = (await api('l1', 'GET', `/api/v1/known-errors?q=${q}`)).body.known_errors;
  assert.equal(found[0]?.id, p.id, JSON.stringify(found));
  // and the ticket's page shows the published workaround
  const page = await anonFetch(`${kbd.url}/tickets/${t.id}`, { headers: auth('l1') });
  assert.match(await page.text(), new RegExp(ke.body.article.replace(/[/.-]/g, '.')));
});

test('pages: "mark all read" works as a plain form; a stale status form gets 409, nothing saved', async () => {
  const t = await ticket('l1');
  await api('l1', 'POST', `/api/v1/tickets/${t.id}/comments`, { body: 'ask @test-l2 about it', internal: true });
  await sleep(400);
  assert.ok((await api('l2', 'GET', '/api/v1/notifications')).body.unread >= 1);
  // a signed-in browser session: cookie + the form's csrf field
  const login = await anonFetch(`${kbd.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'test-l2', password: 'correct-horse-battery' }) });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const csrf = (await login.json()).csrf;
  const form = (url, fields) => anonFetch(kbd.url + url, { method: 'POST', redirect: 'manual',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: kbd.url },
    body: new URLSearchParams({ csrf, ...fields }) });
  const read = await form('/notifications', {});
  assert.equal(read.status, 303);
  assert.equal(read.headers.get('location'), '/notifications');
  assert.equal((await api('l2', 'GET', '/api/v1/notifications')).body.unread, 0);
  // the status form carries the last event the page showed
  const before = (await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body;
  assert.ok(before.last_event > 0);
  await api('l1', 'PATCH', `/api/v1/tickets/${t.id}`, { title: 'Changed by L1 meanwhile' });
  const stale = await form(`/tickets/${t.id}`, { action: 'status', status: 'pending', base_event: String(before.last_event) });
  assert.equal(stale.status, 409);
  assert.equal((await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body.status, before.status, 'nothing saved');
  const fresh = (await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body;
  const ok = await form(`/tickets/${t.id}`, { action: 'status', status: 'pending', base_event: String(fresh.last_event) });
  assert.equal(ok.status, 303);
  assert.equal((await api('l2', 'GET', `/api/v1/tickets/${t.id}`)).body.status, 'pending');
});
