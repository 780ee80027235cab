// Publishing over real HTTP: creating and editing articles (with revisions,
// conflicts and restores), the draft → review → published → archived
// lifecycle and what L1 sees of it, changes made on disk, feedback votes and
// flags, attachments, preview, FAQ usage and sending, canned replies, and a
// kill -9 in the middle of concurrent saves.
//
// Every kbd here writes into a COPY of the articles folder, never the repo's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startKbd, anonFetch, runIndexer, KBD, ROOT, tempDir, cleanup } from './helpers.mjs';

let kbd, dir, articles;
before(async () => {
  dir = tempDir('kbd-pub-');
  articles = path.join(dir, 'articles');
  cpSync(path.join(ROOT, 'articles'), articles, { recursive: true });
  kbd = await startKbd({ articles });
});
after(async () => {
  try { if (kbd) await kbd.stop(); } finally { cleanup(dir); }
});

// A request as role (a key of k.tokens, or null for anonymous). body: an
// object (sent as JSON), a Buffer/string (sent raw with `type`), or undefined.
async function call(k, role, method, url, body, type) {
  const headers = {};
  if (role) headers.Authorization = `Bearer ${k.tokens[role]}`;
  let payload;
  if (body !== undefined && (Buffer.isBuffer(body) || typeof body === 'string')) {
    payload = body;
    headers['Content-Type'] = type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await anonFetch(k.url + url, { method, headers, body: payload });
  const buf = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* not JSON */ }
  return { status: res.status, body: json, headers: res.headers, raw: buf };
}
const api = (role, method, url, body, type) => call(kbd, role, method, url, body, type);

const mdFile = (slug, dirPath = articles) => path.join(dirPath, `${slug}.md`);

const draft = (extra = {}) => ({
  title: 'Badge reader beeps twice', summary: 'What the double beep of a badge reader means.',
  tags: ['Badge', 'door access'], product: 'Badge reader', category: 'Hardware', lang: 'en',
  audience: 'l1', faq: [{ q: 'Why two beeps?', a: 'The badge is not enrolled.' }],
  body: '## Check\n\n1. Hold the badge flat.\n2. Wait one second.\n', ...extra,
});

// the slugs suggested as you type q
const suggested = async (role, q) => {
  const r = await api(role, 'GET', `/api/v1/suggest?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200);
  return r.body.suggestions.map((s) => s.slug);
};

const fieldNames = (res) => (res.body.error.fields || []).map((f) => f.field).sort();

const searchTotal = async (role, q) => {
  const r = await api(role, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200);
  return r.body;
};

test('create: 201 with the documented shape, the file on disk, and the refusals', async () => {
  const slug = 'kbtest/badge-reader-beeps';
  const byL1 = await api('l1', 'POST', '/api/v1/articles', draft({ slug }));
  assert.equal(byL1.status, 403);
  assert.equal(byL1.body.error.code, 'forbidden');
  assert.ok(!existsSync(mdFile(slug)), 'L1 wrote nothing');
  assert.equal((await api(null, 'POST', '/api/v1/articles', draft({ slug }))).status, 401);

  const r = await api('l2', 'POST', '/api/v1/articles', draft({ slug }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.slug, slug);
  assert.equal(r.body.revision, 1);
  assert.equal(r.body.status, 'draft');
  assert.equal(r.body.title, 'Badge reader beeps twice');
  assert.equal(r.body.indexed, true);
  assert.match(r.body.url, /\/articles\/kbtest\/badge-reader-beeps$/);
  const file = readFileSync(mdFile(slug), 'utf8');
  assert.match(file, /^---\n/);
  assert.match(file, /^title: "Badge reader beeps twice"$/m);
  assert.match(file, /^status: draft$/m);
  assert.match(file, /^author: "test-l2"$/m);
  assert.match(file, /^tags: \["badge", "door access"\]$/m, 'tags lower-cased as the indexer keeps them');
  assert.match(file, /^ {2}- q: "Why two beeps\?"$/m);
  assert.ok(file.endsWith('## Check\n\n1. Hold the badge flat.\n2. Wait one second.\n'));

  // refusals: nothing written for any of them
  const cases = [
    [draft({ slug: 'kbtest/r1', colour: 'red' }), 400, 'unknown_field', null],
    [draft({ slug: 'kbtest/r2', lang: 'fr' }), 422, 'invalid', ['lang']],
    [draft({ slug: 'Bad Slug' }), 422, 'invalid', ['slug']],
    [draft({ slug: 'kbtest/../etc' }), 422, 'invalid', ['slug']],
    [draft({ slug: 'kbtest/revisions' }), 422, 'invalid', ['slug']],
    [draft({ slug: 'kbtest/media/x' }), 422, 'invalid', ['slug']],
    [draft({ slug: 'kbtest/r3', title: undefined }), 422, 'invalid', ['title']],
    [draft({ slug: 'kbtest/r4', title: 'two\nlines' }), 422, 'invalid', ['title']],
    [draft({ slug: 'kbtest/r5', audience: 'everyone' }), 422, 'invalid', ['audience']],
    [draft({ slug: 'kbtest/r6', faq: [{ q: 'no answer' }] }), 422, 'invalid', ['faq']],
    [draft({ slug: 'kbtest/r7', tags: ['a,b'] }), 422, 'invalid', ['tags']],
    [draft({ slug: 'kbtest/r8', lang: 'xx', audience: 'x' }), 422, 'invalid', ['audience', 'lang']],
  ];
  for (const [body, status, code, fields] of cases) {
    const res = await api('l2', 'POST', '/api/v1/articles', body);
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 100));
    assert.equal(res.body.error.code, code);
    if (fields) {
      assert.deepEqual(fieldNames(res), fields);
      for (const f of res.body.error.fields) assert.equal(typeof f.message, 'string');
    }
    if (typeof body.slug === 'string' && !body.slug.includes('..')) assert.ok(!existsSync(mdFile(body.slug)), body.slug);
  }
  assert.ok(!existsSync(path.join(articles, 'etc.md')));

  // an existing slug: 409, the file untouched
  const again = await api('l3', 'POST', '/api/v1/articles', draft({ slug, title: 'Overwritten?' }));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'exists');
  assert.equal(readFileSync(mdFile(slug), 'utf8'), file);
  const corpus = readFileSync(mdFile('network/vpn-cannot-connect'), 'utf8');
  const clash = await api('l2', 'POST', '/api/v1/articles', draft({ slug: 'network/vpn-cannot-connect' }));
  assert.equal(clash.status, 409);
  assert.equal(readFileSync(mdFile('network/vpn-cannot-connect'), 'utf8'), corpus);

  // no slug: made from the title
  const auto = await api('l2', 'POST', '/api/v1/articles', draft({ title: 'Kbtest Auto Slug: Printer (3rd floor)' }));
  assert.equal(auto.status, 201);
  assert.equal(auto.body.slug, 'kbtest-auto-slug-printer-3rd-floor');
  assert.ok(existsSync(mdFile(auto.body.slug)));
});

test('a created article is readable at its API address (slugs ending in API words)', async () => {
  // Slugs whose last segments are words the API routes on must either be
  // refused at creation or still be readable as articles afterwards.
  const problems = [];
  for (const slug of ['kbtest-words/source', 'kbtest-words/revisions/7', 'kbtest-words/diff/2']) {
    const c = await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: `Reserved ${slug}` }));
    if (c.status === 422) continue;	// refused: fine
    assert.equal(c.status, 201);
    const get = await api('l2', 'GET', `/api/v1/articles/${slug}`);
    if (get.status !== 200 || get.body.title !== `Reserved ${slug}`)
      problems.push(`created ${slug} (201) but GET /api/v1/articles/${slug} answers ${get.status}: ${JSON.stringify(get.body).slice(0, 120)}`);
  }
  assert.deepEqual(problems, []);
});

test('fields with quotes, backslashes, colons and hashes survive the round trip', async () => {
  const slug = 'kbtest/tricky-fields';
  const fields = { slug, title: 'He said "hi" \\ back\\slash: yes # not a comment', summary: 'Colon: "quoted" # hash',
    tags: ['C:\\Temp', 'say "x"'], product: "O'Brien: x", category: '#cat', lang: 'en', audience: 'l2',
    faq: [{ q: 'Is it "a: b"?', a: 'Yes \\ no # maybe' }], body: '---\nnot front matter\n---\n' };
  const c = await api('l2', 'POST', '/api/v1/articles', fields);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.title, fields.title);
  const src = (await api('l2', 'GET', `/api/v1/articles/${slug}/source`)).body;
  for (const k of ['title', 'summary', 'product', 'category', 'lang', 'audience', 'body']) assert.equal(src[k], fields[k], k);
  assert.deepEqual(src.tags, ['c:\\temp', 'say "x"']);
  assert.deepEqual(src.faq, fields.faq);
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}`)).body.title, fields.title, 'the index read it the same way');
});

test('titles without Latin letters get distinct slugs', async () => {
  // no slug given: kbd makes one; two Arabic titles must not collide
  const made = [];
  for (const title of ['الطابعة لا تعمل', 'الشاشة سوداء', 'البريد لا يصل']) {
    const r = await api('l2', 'POST', '/api/v1/articles', { title, lang: 'ar', body: 'نص\n' });
    made.push([r.status, r.body.slug || r.body.error.message]);
  }
  assert.deepEqual(made.map((m) => m[0]), [201, 201, 201], JSON.stringify(made));
  assert.equal(new Set(made.map((m) => m[1])).size, 3);
});

test('a slug whose file was deleted continues its revision numbers', async () => {
  const slug = 'kbtest/reborn';
  assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: 'Reborn one' }))).body.revision, 1);
  assert.equal((await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, body: 'Second.\n' })).body.revision, 2);
  rmSync(mdFile(slug));
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/source`)).status, 404);
  assert.equal((await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 2, body: 'x\n' })).status, 404);
  const again = await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: 'Reborn two' }));
  assert.equal(again.status, 201);
  assert.equal(again.body.revision, 3);
  const h = (await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`)).body;
  assert.deepEqual(h.revisions.map((r) => r.revision), [3, 2, 1]);
  assert.equal(h.title, 'Reborn two');
});

test('lifecycle: drafts are hidden from L1 and published articles are found at once', async () => {
  const slug = 'kbtest/zorblax-badge';
  const word = 'zorblaxification';
  const c = await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: `The ${word} of badge readers`,
    body: `A ${word} happens when the reader firmware is old.\n` }));
  assert.equal(c.status, 201);

  // a draft: not for L1
  assert.equal((await searchTotal('l1', word)).total, 0, 'L1 search does not find a draft');
  assert.deepEqual(await suggested('l1', word.slice(0, 7)), [], 'nor suggests it');
  assert.equal((await api('l1', 'GET', `/api/v1/articles/${slug}`)).status, 404);
  const asL2 = await api('l2', 'GET', `/api/v1/articles/${slug}`);
  assert.equal(asL2.status, 200);
  assert.equal(asL2.body.title, `The ${word} of badge readers`);
  assert.equal(asL2.body.status, 'draft');

  // illegal moves and L1
  const early = await api('l2', 'POST', `/api/v1/articles/${slug}/publish`);
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'illegal_move');
  assert.deepEqual(early.body.error.allowed.split(', ').sort(), ['archive', 'review']);
  for (const action of ['review', 'publish', 'archive', 'draft'])
    assert.equal((await api('l1', 'POST', `/api/v1/articles/${slug}/${action}`)).status, 403, action);
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/draft`)).status, 409, 'already a draft');

  const rev = await api('l2', 'POST', `/api/v1/articles/${slug}/review`, { note: 'ready for a look' });
  assert.equal(rev.status, 200, JSON.stringify(rev.body));
  assert.equal(rev.body.status, 'review');
  assert.equal(rev.body.revision, 2);
  assert.match(readFileSync(mdFile(slug), 'utf8'), /^status: review$/m);
  assert.equal((await searchTotal('l1', word)).total, 0, 'in review: still hidden');
  assert.equal((await api('l1', 'GET', `/api/v1/articles/${slug}`)).status, 404);

  const pub = await api('l3', 'POST', `/api/v1/articles/${slug}/publish`);
  assert.equal(pub.status, 200);
  assert.equal(pub.body.status, 'published');
  assert.equal(pub.body.revision, 3);
  assert.match(readFileSync(mdFile(slug), 'utf8'), /^status: published$/m);
  const found = await searchTotal('l1', word);
  assert.ok(found.total >= 1, 'published: found by L1 at once');
  assert.equal(found.results[0].slug, slug);
  assert.equal((await api('l1', 'GET', `/api/v1/articles/${slug}`)).status, 200);
  assert.deepEqual(await suggested('l1', `badge ${word.slice(0, 7)}`), [slug],
    'published: suggested as its title is typed, at once');

  // a review of a published article keeps it published and adds no revision
  const checked = await api('l3', 'POST', `/api/v1/articles/${slug}/review`, { note: 'still right' });
  assert.equal(checked.status, 200);
  assert.equal(checked.body.status, 'published');
  assert.equal(checked.body.revision, 3);
  assert.match(readFileSync(mdFile(slug), 'utf8'), /^status: published$/m);
  const again = await api('l2', 'POST', `/api/v1/articles/${slug}/publish`);
  assert.equal(again.status, 409);
  assert.deepEqual(again.body.error.allowed.split(', ').sort(), ['archive', 'draft', 'review']);

  // archived: gone for L1 again
  const arch = await api('l2', 'POST', `/api/v1/articles/${slug}/archive`);
  assert.equal(arch.body.status, 'archived');
  assert.equal((await searchTotal('l1', word)).total, 0, 'archived: hidden from L1');
  assert.deepEqual(await suggested('l1', word.slice(0, 7)), [], 'and no longer suggested');
  assert.equal((await api('l1', 'GET', `/api/v1/articles/${slug}`)).status, 404);
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/review`)).status, 409);
  const back = await api('l2', 'POST', `/api/v1/articles/${slug}/draft`);
  assert.equal(back.body.status, 'draft');
  assert.equal(back.body.revision, 5);
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/archive`)).body.status, 'archived', 'draft → archived');

  const h = await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`);
  assert.equal(h.status, 200);
  assert.equal(h.body.current, 6);
  assert.equal(h.body.status, 'archived');
  assert.deepEqual(h.body.revisions.map((r) => [r.revision, r.status]),
    [[6, 'archived'], [5, 'draft'], [4, 'archived'], [3, 'published'], [2, 'review'], [1, 'draft']]);
  assert.deepEqual(h.body.events.map((e) => e.kind),
    ['archived', 'reopened', 'archived', 'reviewed', 'published', 'submitted', 'created']);
  const reviewed = h.body.events.find((e) => e.kind === 'reviewed');
  assert.equal(reviewed.actor, 'test-l3');
  assert.equal(reviewed.note, 'still right');
  assert.equal(reviewed.revision, 3);
  assert.equal(h.body.revisions.find((r) => r.revision === 2).note, 'ready for a look');
});

test('edits need the base revision; a stale one gets 409 with the current text and a diff', async () => {
  const slug = 'kbtest/conflict-demo';
  const body1 = 'Line one\nLine two\nLine three\n';
  assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: 'Conflict demo', body: body1 }))).status, 201);

  const noBase = await api('l2', 'PUT', `/api/v1/articles/${slug}`, { body: 'x\n' });
  assert.equal(noBase.status, 422);
  assert.deepEqual(fieldNames(noBase), ['base_revision']);
  assert.equal((await api('l1', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, body: 'x\n' })).status, 403);
  assert.equal((await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, slug: 'other' })).status, 400);
  assert.equal((await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, lang: 'fr' })).status, 422);
  assert.equal((await api('l2', 'PUT', '/api/v1/articles/kbtest/no-such-article', { base_revision: 1, body: 'x\n' })).status, 404);
  assert.equal(readFileSync(mdFile(slug), 'utf8').split('---\n').at(-1), body1, 'refused edits wrote nothing');

  const body2 = 'Line one\nLine two changed\nLine three\n';
  const ok = await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, body: body2, note: 'fix step two' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.revision, 2);
  assert.equal(ok.body.status, 'draft');
  assert.equal(ok.body.title, 'Conflict demo');

  // someone else, still on revision 1
  const stale = await api('l3', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, body: 'Line one\nMy version\n' });
  assert.equal(stale.status, 409);
  const e = stale.body.error;
  assert.equal(e.code, 'conflict');
  assert.equal(e.current_revision, 2);
  assert.equal(e.base_revision, 1);
  assert.equal(e.current.revision, 2);
  assert.equal(e.current.author, 'test-l2');
  assert.ok(e.current.text.includes('Line two changed'));
  assert.equal(e.body, body2);
  assert.equal(e.fields.title, 'Conflict demo');
  assert.deepEqual(e.diff.lines.filter((l) => l.op !== 'same').map((l) => [l.op, l.text]),
    [['del', 'Line two'], ['add', 'Line two changed']]);
  assert.equal(readFileSync(mdFile(slug), 'utf8').split('---\n').at(-1), body2, 'the stale save wrote nothing');
  const ahead = await api('l3', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 9, body: 'x\n' });
  assert.equal(ahead.status, 409, 'a base from the future is not the latest either');

  // fields only: the body stays
  const retitle = await api('l3', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 2, title: 'Conflict demo, renamed', tags: ['Two Words'] });
  assert.equal(retitle.status, 200);
  assert.equal(retitle.body.revision, 3);
  const file = readFileSync(mdFile(slug), 'utf8');
  assert.match(file, /^title: "Conflict demo, renamed"$/m);
  assert.match(file, /^tags: \["two words"\]$/m);
  assert.match(file, /^author: "test-l2"$/m, 'the author stays the first writer');
  assert.ok(file.endsWith(body2));
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}`)).body.title, 'Conflict demo, renamed', 'index updated');
});

test('revisions, diff, source and restore', async () => {
  const slug = 'kbtest/history-demo';
  const bodyA = 'Alpha quuxinator step.\nShared line.\n';
  const bodyB = 'Beta step.\nShared line.\n';
  assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: 'History demo', body: bodyA }))).status, 201);
  assert.equal((await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, body: bodyB })).body.revision, 2);
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/review`)).body.revision, 3);
  assert.equal((await api('l3', 'POST', `/api/v1/articles/${slug}/publish`)).body.revision, 4);

  const h = (await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`)).body;
  assert.equal(h.slug, slug);
  assert.equal(h.current, 4);
  assert.equal(h.status, 'published');
  assert.equal(h.title, 'History demo');
  assert.deepEqual(h.revisions.map((r) => [r.revision, r.author, r.status]),
    [[4, 'test-l3', 'published'], [3, 'test-l2', 'review'], [2, 'test-l2', 'draft'], [1, 'test-l2', 'draft']]);
  for (const r of h.revisions) assert.match(r.at, /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(h.events.map((e) => e.kind), ['published', 'submitted', 'saved', 'created']);
  for (const e of h.events) for (const k of ['kind', 'at', 'actor', 'revision', 'note']) assert.ok(k in e, k);

  const r1 = await api('l2', 'GET', `/api/v1/articles/${slug}/revisions/1`);
  assert.equal(r1.status, 200);
  assert.equal(r1.body.revision, 1);
  assert.equal(r1.body.author, 'test-l2');
  assert.ok(r1.body.text.endsWith(bodyA));
  assert.match(r1.body.text, /^status: draft$/m);
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/revisions/99`)).status, 404);

  const d = await api('l2', 'GET', `/api/v1/articles/${slug}/diff?a=1&b=2`);
  assert.equal(d.status, 200);
  assert.equal(d.body.a, 1);
  assert.equal(d.body.b, 2);
  assert.equal(d.body.truncated, false);
  assert.deepEqual(d.body.lines.filter((l) => l.op !== 'same').map((l) => [l.op, l.text]),
    [['del', 'Alpha quuxinator step.'], ['add', 'Beta step.']]);
  for (const l of d.body.lines) {
    assert.ok(['same', 'add', 'del'].includes(l.op));
    for (const k of ['a_line', 'b_line']) assert.equal(typeof l[k], 'number');
  }
  assert.ok(d.body.lines.some((l) => l.op === 'same' && l.text === 'Shared line.'));
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/diff?a=1`)).status, 400);
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/diff?a=1&b=50`)).status, 404);

  const src = await api('l2', 'GET', `/api/v1/articles/${slug}/source`);
  assert.equal(src.status, 200);
  assert.equal(src.body.body, bodyB);
  assert.equal(src.body.revision, 4);
  assert.equal(src.body.status, 'published');
  assert.equal(src.body.title, 'History demo');
  assert.deepEqual(src.body.tags, ['badge', 'door access']);
  assert.deepEqual(src.body.faq, [{ q: 'Why two beeps?', a: 'The badge is not enrolled.' }]);

  for (const u of ['revisions', 'revisions/1', 'diff?a=1&b=2', 'source', 'flags'])
    assert.equal((await api('l1', 'GET', `/api/v1/articles/${slug}/${u}`)).status, 403, u);

  // restore: needs both numbers and the current base
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/restore`, { revision: 1 })).status, 422);
  const staleRestore = await api('l2', 'POST', `/api/v1/articles/${slug}/restore`, { revision: 1, base_revision: 3 });
  assert.equal(staleRestore.status, 409);
  assert.equal(staleRestore.body.error.code, 'conflict');
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/restore`, { revision: 42, base_revision: 4 })).status, 404);
  assert.equal((await api('l1', 'POST', `/api/v1/articles/${slug}/restore`, { revision: 1, base_revision: 4 })).status, 403);
  const restored = await api('l2', 'POST', `/api/v1/articles/${slug}/restore`, { revision: 1, base_revision: 4 });
  assert.equal(restored.status, 200, JSON.stringify(restored.body));
  assert.equal(restored.body.revision, 5);
  assert.equal(restored.body.status, 'published', 'restoring keeps the current status');
  const file = readFileSync(mdFile(slug), 'utf8');
  assert.ok(file.endsWith(bodyA));
  assert.match(file, /^status: published$/m);
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/source`)).body.body, bodyA);
  const h2 = (await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`)).body;
  assert.equal(h2.revisions[0].note, 'restored revision 1');
  assert.equal(h2.events[0].kind, 'restored');
  // the index has the restored text: L1 finds it
  const s = await searchTotal('l1', 'quuxinator');
  assert.ok(s.results.some((r) => r.slug === slug), 'restored text indexed');
  // restoring a published revision into a draft does not publish it
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/draft`)).body.revision, 6);
  const intoDraft = await api('l2', 'POST', `/api/v1/articles/${slug}/restore`, { revision: 4, base_revision: 6 });
  assert.equal(intoDraft.status, 200);
  assert.equal(intoDraft.body.status, 'draft');
  assert.match(readFileSync(mdFile(slug), 'utf8'), /^status: draft$/m);
  assert.ok(readFileSync(mdFile(slug), 'utf8').endsWith(bodyB));
  assert.equal((await api('l1', 'GET', `/api/v1/articles/${slug}`)).status, 404, 'still a draft for L1');
  // POST to a read-only action
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/source`)).status, 405);
});

test('a file changed on disk becomes a revision by "disk" and makes older bases stale', async () => {
  const slug = 'kbtest/disk-demo';
  const c = await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: 'Disk demo', body: 'From kbd.\n' }));
  assert.equal(c.body.revision, 1);
  const onDisk = readFileSync(mdFile(slug), 'utf8').replace('From kbd.\n', 'From an editor.\nWith CRLF too.\n').replace(/\n/g, '\r\n');
  writeFileSync(mdFile(slug), onDisk);

  const h = (await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`)).body;
  assert.equal(h.current, 2);
  assert.equal(h.revisions[0].author, 'disk');
  assert.equal(h.revisions[0].note, 'changed on disk');
  assert.equal(h.events[0].kind, 'disk');
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`)).body.current, 2, 'recorded once');
  assert.equal((await api('l2', 'GET', `/api/v1/articles/${slug}/source`)).body.body, 'From an editor.\nWith CRLF too.\n');

  const stale = await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 1, body: 'Mine.\n' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.current_revision, 2);
  assert.equal(stale.body.error.current.author, 'disk');
  assert.ok(readFileSync(mdFile(slug), 'utf8').includes('From an editor.'), 'not overwritten');
  const ok = await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 2, body: 'Mine.\n' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.revision, 3);

  // an article kbd never touched: its first access records it as found on disk
  const corpus = 'printing/add-network-printer';
  const src = await api('l2', 'GET', `/api/v1/articles/${corpus}/source`);
  assert.equal(src.status, 200);
  assert.equal(src.body.revision, 1);
  assert.equal(src.body.status, 'published');
  const ch = (await api('l2', 'GET', `/api/v1/articles/${corpus}/revisions`)).body;
  assert.deepEqual(ch.revisions.map((r) => [r.revision, r.author, r.note]), [[1, 'disk', 'found on disk']]);

  // a broken file is refused, not overwritten
  writeFileSync(mdFile(slug), '---\ntitle: [unclosed\n');
  const broken = await api('l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: 3, body: 'x\n' });
  assert.equal(broken.status, 409);
  assert.equal(broken.body.error.code, 'unreadable');
  assert.equal(readFileSync(mdFile(slug), 'utf8'), '---\ntitle: [unclosed\n');
});

test('feedback votes: published articles only, one vote per user, the latest counts', async () => {
  const slug = 'network/wifi-guest-access';
  const vote = (role, helpful) => api(role, 'POST', `/api/v1/articles/${slug}/feedback`, { helpful });
  const a = await vote('l1', true);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.deepEqual(a.body, { helpful: 1, not_helpful: 0, votes: 1, ratio: 1, open_flags: 0, my_vote: true });
  const b = await vote('l1', false);
  assert.deepEqual(b.body, { helpful: 0, not_helpful: 1, votes: 1, ratio: 0, open_flags: 0, my_vote: false }, 'the vote replaced');
  const c = await vote('l2', true);
  assert.deepEqual(c.body, { helpful: 1, not_helpful: 1, votes: 2, ratio: 0.5, open_flags: 0, my_vote: true });

  assert.equal((await api('l1', 'POST', `/api/v1/articles/${slug}/feedback`, { helpful: 'yes' })).status, 422);
  assert.equal((await api('l1', 'POST', `/api/v1/articles/${slug}/feedback`, { helpful: true, extra: 1 })).status, 422);
  assert.equal((await api('l1', 'POST', `/api/v1/articles/${slug}/feedback`, 'helpful=1', 'application/x-www-form-urlencoded')).status, 415);
  assert.equal((await api(null, 'POST', `/api/v1/articles/${slug}/feedback`, { helpful: true })).status, 401);
  assert.equal((await api('l1', 'POST', '/api/v1/articles/kbtest/nothing-here/feedback', { helpful: true })).status, 404);
  const d = 'kbtest/feedback-draft';
  assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug: d }))).status, 201);
  assert.equal((await api('l1', 'POST', `/api/v1/articles/${d}/feedback`, { helpful: true })).status, 404, 'no votes on drafts');
  assert.equal((await api('l1', 'POST', `/api/v1/articles/${d}/flags`, { kind: 'outdated' })).status, 404, 'no flags on drafts');
  // the refused ones changed nothing
  assert.deepEqual((await vote('l2', true)).body, c.body);
});

test('helpful votes break near-ties in search, never outrank a better answer', async () => {
  const word = 'quuxotron';
  const publish = async (slug, fields) => {
    assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug, faq: [], tags: ['Badge'], ...fields }))).status, 201);
    assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/review`, { note: 'ok' })).status, 200);
    assert.equal((await api('l3', 'POST', `/api/v1/articles/${slug}/publish`)).status, 200);
  };
  // the best answer names the word in its title; two twins say the same thing
  await publish('kbtest/tie-best', { title: `Reset the ${word}`, summary: `How to reset the ${word}.`,
    body: `Reset the ${word} from its menu.\n` });
  const twin = { title: 'Badge reader notes', summary: 'Notes on badge readers.',
    body: `Some readers have a ${word} that may need a reset.\n` };
  await publish('kbtest/tie-a', twin);
  await publish('kbtest/tie-b', twin);
  const order = async () => (await searchTotal('l1', word)).results.map((r) => r.slug);
  const before = await order();
  assert.equal(before.length, 3);
  assert.equal(before[0], 'kbtest/tie-best');
  const [, ahead, behind] = before;
  const scores = (await searchTotal('l1', word)).results.map((r) => r.score);
  assert.equal(scores[1], scores[2], 'the twins tie');

  // one helpful vote for the one behind: it comes first of the two
  const vote = (role, slug, helpful) => api(role, 'POST', `/api/v1/articles/${slug}/feedback`, { helpful });
  assert.equal((await vote('l1', behind, true)).status, 200);
  assert.deepEqual(await order(), ['kbtest/tie-best', behind, ahead]);
  // each hit says how its votes went
  const counts = (await searchTotal('l1', word)).results.map((r) => [r.slug, r.helpful, r.votes]);
  assert.deepEqual(counts, [['kbtest/tie-best', 0, 0], [behind, 1, 1], [ahead, 0, 0]]);
  // many votes still only nudge: the article that answers stays first
  for (const role of ['l2', 'l3', 'admin']) assert.equal((await vote(role, behind, true)).status, 200);
  assert.deepEqual(await order(), ['kbtest/tie-best', behind, ahead]);
  // not-helpful votes take the nudge away; they never push an article down
  for (const role of ['l1', 'l2', 'l3', 'admin']) assert.equal((await vote(role, behind, false)).status, 200);
  assert.deepEqual(await order(), before);
  // the results page orders the same way
  assert.equal((await vote('l1', behind, true)).status, 200);
  const page = await call(kbd, 'l1', 'GET', `/search?q=${word}`);
  assert.equal(page.status, 200);
  const html = page.raw.toString('utf8');
  assert.ok(html.indexOf(`/articles/${behind}`) < html.indexOf(`/articles/${ahead}`), 'page: voted twin first');
  // and shows what colleagues said: one helpful vote of four
  assert.equal((html.match(/class="meta-item helpful"/g) || []).length, 1, 'only the voted article');
  assert.match(html, /class="meta-item helpful"[^>]*>1 of 4 found it helpful</);
  const ar = await anonFetch(`${kbd.url}/search?q=${word}`,
    { headers: { Authorization: `Bearer ${kbd.tokens.l1}`, 'Accept-Language': 'ar' } });
  assert.match(await ar.text(), /class="meta-item helpful"[^>]*>وجدها 1 من 4 مفيدة</, 'Arabic interface');
});

test('flags: L1 raises them, L2 sees and resolves them, the article log records both', async () => {
  const slug = 'network/wifi-cannot-connect';
  const flag = (role, body) => api(role, 'POST', `/api/v1/articles/${slug}/flags`, body);
  const bad = await flag('l1', { kind: 'wrong', comment: 'x' });
  assert.equal(bad.status, 422);
  assert.deepEqual(fieldNames(bad), ['kind']);
  assert.equal((await flag('l1', { kind: 'outdated', colour: 'red' })).status, 400);
  assert.equal((await flag('l1', { kind: 'outdated', comment: 'x'.repeat(2001) })).status, 422);

  const f = await flag('l1', { kind: 'missing_step', comment: 'Step 4 needs the SSID' });
  assert.equal(f.status, 201, JSON.stringify(f.body));
  assert.equal(typeof f.body.id, 'number');
  assert.equal(f.body.kind, 'missing_step');
  assert.equal(f.body.status, 'open');
  const f2 = await flag('l1', { kind: 'outdated' });
  assert.equal(f2.status, 201);

  assert.equal((await api('l1', 'GET', '/api/v1/flags')).status, 403);
  assert.equal((await api('l1', 'POST', `/api/v1/flags/${f.body.id}/resolve`, { note: 'x' })).status, 403);
  const open = await api('l2', 'GET', '/api/v1/flags');
  assert.equal(open.status, 200);
  const mine = open.body.flags.find((x) => x.id === f.body.id);
  assert.ok(mine, 'open flag listed');
  assert.equal(mine.slug, slug);
  assert.equal(mine.kind, 'missing_step');
  assert.equal(mine.comment, 'Step 4 needs the SSID');
  assert.equal(mine.created_by, 'test-l1');
  assert.equal(mine.resolved_by, null);
  assert.ok(open.body.flags.findIndex((x) => x.id === f2.body.id) < open.body.flags.findIndex((x) => x.id === f.body.id), 'newest first');
  const perArticle = await api('l2', 'GET', `/api/v1/articles/${slug}/flags`);
  assert.deepEqual(perArticle.body.flags.map((x) => x.id).sort(), [f.body.id, f2.body.id].sort());
  const summary = await api('l1', 'POST', `/api/v1/articles/${slug}/feedback`, { helpful: true });
  assert.equal(summary.body.open_flags, 2);

  const res = await api('l2', 'POST', `/api/v1/flags/${f.body.id}/resolve`, { note: 'Added the SSID step' });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'resolved');
  const twice = await api('l3', 'POST', `/api/v1/flags/${f.body.id}/resolve`, { note: 'again' });
  assert.equal(twice.status, 409);
  assert.equal((await api('l2', 'POST', '/api/v1/flags/999999/resolve')).status, 404);
  assert.equal((await api('l2', 'POST', '/api/v1/flags/abc/resolve')).status, 404);
  assert.equal((await api('l2', 'GET', '/api/v1/flags?status=bogus')).status, 400);

  const after = (await api('l2', 'GET', '/api/v1/flags')).body.flags;
  assert.ok(!after.some((x) => x.id === f.body.id), 'resolved: out of the inbox');
  assert.ok(after.some((x) => x.id === f2.body.id), 'the other stays');
  const all = (await api('l2', 'GET', '/api/v1/flags?status=all')).body.flags.find((x) => x.id === f.body.id);
  assert.equal(all.resolved_by, 'test-l2');
  assert.equal(all.resolution, 'Added the SSID step');
  assert.match(all.resolved_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal((await api('l1', 'POST', `/api/v1/articles/${slug}/feedback`, { helpful: true })).body.open_flags, 1);

  const events = (await api('l2', 'GET', `/api/v1/articles/${slug}/revisions`)).body.events;
  const flagged = events.filter((e) => e.kind === 'flagged');
  assert.equal(flagged.length, 2);
  assert.ok(flagged.every((e) => e.actor === 'test-l1'));
  const resolved = events.find((e) => e.kind === 'flag_resolved');
  assert.ok(resolved, JSON.stringify(events));
  assert.equal(resolved.actor, 'test-l2');
  assert.equal(resolved.note, 'Added the SSID step');
});

// the PNG signature, then an IHDR chunk's worth of bytes and every byte value
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff))]);

test('attachments: typed by their bytes, stored beside the article, served back intact', async () => {
  const slug = 'kbtest/attach-demo';
  assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug, title: 'Attach demo' }))).status, 201);
  const up = (role, name, bytes, type = 'image/png') =>
    api(role, 'POST', `/api/v1/articles/${slug}/attachments?name=${encodeURIComponent(name)}`, bytes, type);

  const byL1 = await up('l1', 'l1.png', PNG);
  assert.equal(byL1.status, 403);
  assert.ok(!existsSync(path.join(articles, 'kbtest/media/l1.png')));

  const r = await up('l2', 'shot.png', PNG);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.name, 'shot.png');
  assert.equal(r.body.url, '/articles/kbtest/media/shot.png');
  assert.equal(r.body.markdown, '![shot.png](media/shot.png)');
  assert.equal(r.body.type, 'image/png');
  assert.ok(readFileSync(path.join(articles, 'kbtest/media/shot.png')).equals(PNG), 'stored beside the article');

  const got = await anonFetch(kbd.url + r.body.url, { headers: { Authorization: `Bearer ${kbd.tokens.l1}` } });
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(PNG), 'identical bytes');

  const dup = await up('l2', 'shot.png', PNG);
  assert.equal(dup.status, 409);
  const png2 = Buffer.concat([PNG, Buffer.from('more')]);
  const replaced = await api('l2', 'POST', `/api/v1/articles/${slug}/attachments?name=shot.png&replace=1`, png2, 'image/png');
  assert.equal(replaced.status, 201);
  assert.ok(readFileSync(path.join(articles, 'kbtest/media/shot.png')).equals(png2));

  const fake = await up('l2', 'fake.png', Buffer.from('<svg onload="alert(1)"></svg>'));
  assert.equal(fake.status, 415);
  assert.equal((await up('l2', 'x.png', Buffer.from(PNG.subarray(0, 4)))).status, 415, 'a truncated signature');
  assert.equal((await up('l2', 'jpeg.jpg', PNG, 'image/jpeg')).status, 415, 'PNG bytes named .jpg');
  assert.equal((await up('l2', 'empty.png', Buffer.alloc(0))).status, 415);
  for (const name of ['../x.png', 'x.svg', 'x.html', '.hidden.png', 'a b.png', 'x'])
    assert.equal((await up('l2', name, PNG)).status, 422, name);
  assert.equal((await api('l2', 'POST', `/api/v1/articles/${slug}/attachments`, PNG, 'image/png')).status, 422, 'no name');
  assert.ok(!existsSync(path.join(articles, 'kbtest/x.png')));
  assert.ok(!existsSync(path.join(articles, 'kbtest/media/fake.png')));
  assert.equal((await api('l2', 'POST', '/api/v1/articles/kbtest/no-such/attachments?name=a.png', PNG, 'image/png')).status, 404);

  // a text file is a download, never shown inline
  const txt = await up('l2', 'notes.txt', Buffer.from('plain <b>notes</b>\n'), 'text/plain');
  assert.equal(txt.status, 201);
  assert.equal(txt.body.markdown, '[notes.txt](media/notes.txt)');
  const t = await anonFetch(kbd.url + txt.body.url, { headers: { Authorization: `Bearer ${kbd.tokens.l1}` } });
  assert.equal(t.status, 200);
  assert.match(t.headers.get('content-disposition') || '', /^attachment/);
  assert.match(t.headers.get('content-type'), /^text\/plain/);
  assert.equal(await t.text(), 'plain <b>notes</b>\n');
  assert.equal((await up('l2', 'bin.txt', Buffer.from([0x61, 0, 0x62]), 'text/plain')).status, 415, 'NUL bytes are not text');

  // serving: only files that exist, under plain folder names
  const miss = await anonFetch(`${kbd.url}/articles/kbtest/media/nope.png`, { headers: { Authorization: `Bearer ${kbd.tokens.l1}` } });
  assert.equal(miss.status, 404);
  const md = await anonFetch(`${kbd.url}/articles/kbtest/media/..%2fattach-demo.md`, { headers: { Authorization: `Bearer ${kbd.tokens.l1}` } });
  assert.equal(md.status, 404);
});

test('preview renders like the article page and strips what could run', async () => {
  const body = '# Hi\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>';
  const r = await api('l2', 'POST', '/api/v1/preview', { body });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.body.html, /<strong>bold<\/strong>/);
  assert.doesNotMatch(r.body.html, /<script/i);
  assert.doesNotMatch(r.body.html, /javascript:/i);
  assert.doesNotMatch(r.body.html, /onerror/i);
  assert.equal(r.body.dir, 'ltr');
  const ar = await api('l3', 'POST', '/api/v1/preview', { title: 'مرحبا', lang: 'ar', body: 'نص' });
  assert.equal(ar.status, 200);
  assert.equal(ar.body.dir, 'rtl');
  assert.equal(ar.body.title, 'مرحبا');
  assert.equal((await api('l1', 'POST', '/api/v1/preview', { body })).status, 403);
  assert.equal((await api('l2', 'POST', '/api/v1/preview', { body: 42 })).status, 422);
});

const newTicket = (extra = {}) => ({
  title: 'VPN drops at the hotel', description: 'User travels this week.',
  requester: { name: 'Ali Hassan', contact: 'ali@example.com' }, category: 'Network',
  impact: 'low', urgency: 'medium', ...extra,
});

test('FAQ: usage orders each category; an answer can be sent to a ticket', async () => {
  const faq = async () => {
    const r = await api('l1', 'GET', '/api/v1/faq');
    assert.equal(r.status, 200);
    return r.body.categories;
  };
  const cats = await faq();
  assert.ok(cats.length >= 3);
  for (const c of cats) {
    assert.equal(typeof c.name, 'string');
    for (const e of c.entries) {
      for (const k of ['q', 'a', 'slug', 'url']) assert.equal(typeof e[k], 'string', k);
      assert.equal(typeof e.uses, 'number');
    }
  }
  // the last entry of a category with several: used more than the first, it leads
  const cat = cats.find((c) => c.entries.length >= 3);
  const last = cat.entries.at(-1);
  const times = cat.entries[0].uses - last.uses + 2;
  for (let i = 0; i < times; i++) {
    const u = await api('l1', 'POST', '/api/v1/faq/use', { slug: last.slug, q: last.q });
    assert.equal(u.status, 200);
  }
  const now = (await faq()).find((c) => c.name === cat.name);
  assert.equal(now.entries[0].q, last.q);
  assert.equal(now.entries[0].slug, last.slug);
  assert.equal(now.entries[0].uses, last.uses + times);
  assert.equal(now.entries.length, cat.entries.length);
  for (let i = 1; i < now.entries.length; i++) assert.ok(now.entries[i - 1].uses >= now.entries[i].uses, 'most used first');
  assert.equal((await api('l1', 'POST', '/api/v1/faq/use', { slug: last.slug })).status, 422);
  assert.equal((await api(null, 'POST', '/api/v1/faq/use', { slug: last.slug, q: last.q })).status, 401);

  const s = await api('l1', 'GET', '/api/v1/faq?q=vpn');
  assert.equal(s.status, 200);
  assert.ok(s.body.results.length >= 1);
  assert.ok(s.body.results.some((e) => e.slug === 'network/vpn-cannot-connect'));
  for (const e of s.body.results) for (const k of ['q', 'a', 'slug', 'url']) assert.equal(typeof e[k], 'string');

  // only published articles' answers are in the FAQ
  const fslug = 'kbtest/faq-lifecycle', fq = 'Does the frobnicator need a reboot?';
  assert.equal((await api('l2', 'POST', '/api/v1/articles', draft({ slug: fslug, title: 'Frobnicator', category: 'Hardware',
    faq: [{ q: fq, a: 'Only on Mondays.' }] }))).status, 201);
  const has = async () => ({
    listed: (await faq()).some((c) => c.entries.some((e) => e.q === fq)),
    searched: (await api('l1', 'GET', '/api/v1/faq?q=frobnicator')).body.results.some((e) => e.q === fq),
  });
  assert.deepEqual(await has(), { listed: false, searched: false }, 'a draft\'s answers are not in the FAQ');
  await api('l2', 'POST', `/api/v1/articles/${fslug}/review`);
  assert.equal((await api('l3', 'POST', `/api/v1/articles/${fslug}/publish`)).status, 200);
  assert.deepEqual(await has(), { listed: true, searched: true }, 'published: in the FAQ at once');
  await api('l3', 'POST', `/api/v1/articles/${fslug}/draft`);
  assert.deepEqual(await has(), { listed: false, searched: false }, 'unpublished: gone again');

  // send an answer to a ticket's requester
  const t = await api('l1', 'POST', '/api/v1/tickets', newTicket());
  assert.equal(t.status, 201);
  const slug = 'network/vpn-cannot-connect', q = 'Do I need VPN for email and Teams?';
  const usesBefore = (await faq()).flatMap((c) => c.entries).find((e) => e.slug === slug && e.q === q).uses;
  const sent = await api('l1', 'POST', '/api/v1/faq/send', { ticket: t.body.id, slug, q });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.equal(sent.body.ticket, t.body.id);
  assert.equal(sent.body.slug, slug);
  assert.equal(sent.body.q, q);
  assert.match(sent.body.a, /^No\. Outlook, Teams and OneDrive work over the internet/);
  const ticket = (await api('l1', 'GET', `/api/v1/tickets/${t.body.id}`)).body;
  const comment = ticket.comments.find((c) => c.body === sent.body.a);
  assert.ok(comment, JSON.stringify(ticket.comments));
  assert.equal(comment.internal, false);
  assert.equal(comment.author, 'test-l1');
  assert.ok(ticket.links.some((l) => l.article === slug && l.relation === 'sent-to-requester'), JSON.stringify(ticket.links));
  assert.ok(ticket.sla.first_response, 'a public reply');
  const usesAfter = (await faq()).flatMap((c) => c.entries).find((e) => e.slug === slug && e.q === q).uses;
  assert.equal(usesAfter, usesBefore + 1);

  const nComments = ticket.comments.length;
  const refusals = [
    [{ ticket: t.body.id, slug, q: 'Not a question here?' }, 404],
    [{ ticket: t.body.id, slug: 'kbtest/nope', q }, 404],
    [{ ticket: 'T-999999', slug, q }, 404],
    [{ ticket: t.body.id, slug: fslug, q: fq }, 404],
    [{ slug, q }, 422],
    [{ ticket: t.body.id, slug }, 422],
  ];
  for (const [body, status] of refusals)
    assert.equal((await api('l1', 'POST', '/api/v1/faq/send', body)).status, status, JSON.stringify(body));
  assert.equal((await api('l1', 'GET', `/api/v1/tickets/${t.body.id}`)).body.comments.length, nComments, 'refusals posted nothing');
});

test('canned replies: L2 manages them, anyone fills them in for a ticket', async () => {
  const list = await api('l1', 'GET', '/api/v1/canned');
  assert.equal(list.status, 200);
  const names = list.body.replies.map((r) => r.name);
  for (const n of ['Greeting', 'Looking into it', 'Closing']) assert.ok(names.includes(n), n);
  assert.equal(list.body.replies.length, 3);
  for (const r of list.body.replies) for (const k of ['id', 'name', 'body', 'updated_by', 'updated_at']) assert.ok(k in r, k);

  const reply = { name: 'VPN reset', body: 'Hi {requester}, about {ticket}: reset the VPN client. {agent} {unknown}' };
  assert.equal((await api('l1', 'POST', '/api/v1/canned', reply)).status, 403);
  const c = await api('l2', 'POST', '/api/v1/canned', reply);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(typeof c.body.id, 'number');
  assert.equal(c.body.name, 'VPN reset');
  assert.equal(c.body.text, 'Hi {requester}, about {ticket}: reset the VPN client. test-l2 {unknown}');
  const dup = await api('l3', 'POST', '/api/v1/canned', reply);
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'exists');
  assert.equal((await api('l2', 'POST', '/api/v1/canned', { name: 'No body' })).status, 422);
  assert.equal((await api('l2', 'POST', '/api/v1/canned', { ...reply, name: 'x', colour: 1 })).status, 400);
  assert.equal((await api('l2', 'POST', '/api/v1/canned', { name: 'a\nb', body: 'x' })).status, 422);

  const t = await api('l1', 'POST', '/api/v1/tickets', newTicket({ requester: { name: 'Mona Said', contact: 'mona@example.com' } }));
  const filled = await api('l1', 'GET', `/api/v1/canned/${c.body.id}?ticket=${t.body.id}`);
  assert.equal(filled.status, 200);
  assert.equal(filled.body.text, `Hi Mona Said, about ${t.body.id}: reset the VPN client. test-l1 {unknown}`);
  assert.equal(filled.body.body, reply.body);
  const greeting = list.body.replies.find((r) => r.name === 'Greeting');
  const g = await api('l2', 'GET', `/api/v1/canned/${greeting.id}?ticket=${t.body.id}`);
  assert.equal(g.body.text, `Hello Mona Said,\n\nThank you for contacting the service desk about ${t.body.id}.`);
  assert.equal((await api('l1', 'GET', `/api/v1/canned/${c.body.id}?ticket=bogus`)).status, 400);
  assert.equal((await api('l1', 'GET', `/api/v1/canned/${c.body.id}?ticket=T-999999`)).status, 404);
  assert.equal((await api(null, 'GET', '/api/v1/canned')).status, 401);

  // change
  assert.equal((await api('l1', 'PUT', `/api/v1/canned/${c.body.id}`, { name: 'x', body: 'y' })).status, 403);
  const p = await api('l3', 'PUT', `/api/v1/canned/${c.body.id}`, { name: 'VPN reset (v2)', body: 'Reset done for {ticket}.' });
  assert.equal(p.status, 200);
  assert.equal(p.body.name, 'VPN reset (v2)');
  const listed = (await api('l1', 'GET', '/api/v1/canned')).body.replies.find((r) => r.id === c.body.id);
  assert.equal(listed.name, 'VPN reset (v2)');
  assert.equal(listed.updated_by, 'test-l3');
  assert.equal((await api('l3', 'PUT', `/api/v1/canned/${c.body.id}`, { name: 'Greeting', body: 'taken' })).status, 409);
  assert.equal((await api('l3', 'PUT', '/api/v1/canned/999999', { name: 'Nobody', body: 'x' })).status, 404);
  assert.equal((await api('l3', 'PUT', '/api/v1/canned', { name: 'Nobody', body: 'x' })).status, 405);

  // delete
  assert.equal((await api('l1', 'DELETE', `/api/v1/canned/${c.body.id}`)).status, 403);
  const del = await api('l2', 'DELETE', `/api/v1/canned/${c.body.id}`);
  assert.equal(del.status, 200);
  assert.equal(del.body.deleted, true);
  assert.equal((await api('l1', 'GET', `/api/v1/canned/${c.body.id}`)).status, 404);
  assert.equal((await api('l2', 'DELETE', `/api/v1/canned/${c.body.id}`)).status, 404);
  assert.equal((await api('l1', 'GET', '/api/v1/canned')).body.replies.length, 3);
});

test('kill -9 during concurrent saves: the file, the index and the history agree after a restart', async () => {
  const cdir = tempDir('kbd-pub-crash-');
  const carticles = path.join(cdir, 'articles');
  cpSync(path.join(ROOT, 'articles'), carticles, { recursive: true });
  const k = await startKbd({ articles: carticles, users: ['l2'] });
  const slug = 'kbtest/crash-demo';
  const bodies = new Map();	// body → title sent with it
  const acked = [];	// {revision, body}
  let k2;
  try {
    const c = await call(k, 'l2', 'POST', '/api/v1/articles', draft({ slug, title: 'Crash demo 0', body: 'Crash body 0.\n' }));
    assert.equal(c.status, 201);
    bodies.set('Crash body 0.\n', 'Crash demo 0');
    let killed = false;
    const writers = Array.from({ length: 40 }, async (_, i) => {
      const body = `Crash body ${i + 1}.\n${'Filler line for a longer file.\n'.repeat(200)}`;
      const title = `Crash demo ${i + 1}`;
      bodies.set(body, title);
      for (let attempt = 0; attempt < 3 && !killed; attempt++) {
        try {
          const src = await call(k, 'l2', 'GET', `/api/v1/articles/${slug}/source`);
          if (src.status !== 200) continue;
          const r = await call(k, 'l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: src.body.revision, title, body });
          if (r.status === 200) { acked.push({ revision: r.body.revision, body }); return; }
          assert.ok([409, 503].includes(r.status), `PUT answered ${r.status}: ${JSON.stringify(r.body)}`);
        } catch (err) {
          if (!killed) throw err;	// connection errors after the kill are expected
        }
      }
    });
    // kill -9 once a few saves are acknowledged (or after 2 s)
    for (let i = 0; i < 200 && acked.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    k.kill9();
    await Promise.all(writers);
    assert.ok(acked.length >= 1, 'some saves were acknowledged before the kill');

    k2 = await startKbd({ articles: carticles, users: [], reuseData: k.data, index: k.index });
    const token = spawnSync(KBD, ['--data', k.data, 'token', 'add', 'test-l2'], { encoding: 'utf8' }).stdout.trim().split('\n').pop();
    k2.tokens.l2 = token;

    // the file parses and holds one of the bodies sent, whole
    const src = await call(k2, 'l2', 'GET', `/api/v1/articles/${slug}/source`);
    assert.equal(src.status, 200, JSON.stringify(src.body));
    assert.ok(bodies.has(src.body.body), `the body on disk is one that was sent: ${src.body.body.slice(0, 60)}`);
    assert.equal(src.body.title, bodies.get(src.body.body), 'title and body from the same save');
    // the index agrees with the file
    const view = await call(k2, 'l2', 'GET', `/api/v1/articles/${slug}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.title, src.body.title);
    // every acknowledged save is in the history with its text
    const maxAcked = Math.max(...acked.map((a) => a.revision));
    assert.ok(src.body.revision >= maxAcked, `current revision ${src.body.revision} ≥ last acknowledged ${maxAcked}`);
    for (const a of acked) {
      const r = await call(k2, 'l2', 'GET', `/api/v1/articles/${slug}/revisions/${a.revision}`);
      assert.equal(r.status, 200, `acknowledged revision ${a.revision} lost`);
      assert.ok(r.body.text.endsWith(a.body), `revision ${a.revision} has the text that was acknowledged`);
    }
    // saving on top works again
    const more = await call(k2, 'l2', 'PUT', `/api/v1/articles/${slug}`, { base_revision: src.body.revision, body: 'After the crash.\n' });
    assert.equal(more.status, 200, JSON.stringify(more.body));

    // no article in the folder is truncated: the indexer reads every one
    const check = runIndexer([carticles, path.join(cdir, 'check-index')]);
    assert.equal(check.status, 0, check.stderr);
    const walk = (d) => readdirSync(d).flatMap((n) => {
      const p = path.join(d, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
    const mds = walk(carticles).filter((p) => p.endsWith('.md'));
    for (const p of mds) assert.match(readFileSync(p, 'utf8'), /^---\n[\s\S]*\n---\n/, p);
    assert.equal(mds.length, walk(path.join(ROOT, 'articles')).filter((p) => p.endsWith('.md')).length + 1);
  } finally {
    if (k2) await k2.stop();
    k.cleanup();
    cleanup(cdir);
  }
});

test('L2/L3 search drafts and articles in review, labelled; L1 does not; the archive by status:', async () => {
  const word = 'glimmerquaxes';
  const c = await api('l2', 'POST', '/api/v1/articles', { slug: 'kbtest/search-drafts', title: `The ${word} draft`, body: `All about ${word}.\n` });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const l1 = await api('l1', 'GET', `/api/v1/search?q=${word}`);
  assert.equal(l1.body.total, 0, 'L1 sees published articles only');
  const l2 = await api('l2', 'GET', `/api/v1/search?q=${word}`);
  assert.equal(l2.body.total, 1);
  assert.equal(l2.body.results[0].status, 'draft');
  const page = await anonFetch(`${kbd.url}/search?q=${word}`, { headers: { Authorization: `Bearer ${kbd.tokens.l3}` } });
  assert.match(await page.text(), /class="badge">[^<]+</, 'the results page labels the draft');
  // archived: only when asked for by status
  await api('l2', 'POST', '/api/v1/articles/kbtest/search-drafts/archive');
  assert.equal((await api('l2', 'GET', `/api/v1/search?q=${word}`)).body.total, 0);
  const arch = await api('l2', 'GET', `/api/v1/search?q=${encodeURIComponent(`${word} status:archived`)}`);
  assert.equal(arch.body.total, 1);
  assert.equal((await api('l1', 'GET', `/api/v1/search?q=${encodeURIComponent(`${word} status:archived`)}`)).body.total, 0);
});
