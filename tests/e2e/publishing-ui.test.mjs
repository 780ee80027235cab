// The publishing pages in headless Chromium against the real kbd, over a
// temporary copy of the articles (saves write article files). People sign
// in with the login form, so every form and every request app.js makes
// carries the session's CSRF token.
//
//  (a) an L2 writer creates an article: the live preview renders the
//      Markdown as it is typed; the saved draft shows the draft banner;
//  (b) sends it for review and publishes it with the page buttons; an L1
//      agent's search finds it at once;
//  (c) edits it, sees the added line in the history's diff, restores
//      revision 1 and the article reads as before;
//  (d) two writers edit the same article: the second save is refused with
//      the conflict, naming the first writer and showing their changes, the
//      second writer's text kept; saving again succeeds;
//  (e) L1 votes "yes" and flags the article; L2 resolves the flag in the
//      inbox;
//  (f) the FAQ copy button copies and counts the use; an answer is sent to
//      a ticket;
//  (g) a canned reply goes into a ticket's comment, filled in for it;
//  (h) axe-core finds no serious or critical problem on the editor (also
//      with a conflict), history, inbox, canned replies and an article
//      with its feedback section;
//  (i) the editor attaches an image to an article: the Markdown goes in at
//      the cursor and the preview shows the image from the article's media
//      folder; a file too large or of another kind is refused before any
//      request; the same name again is replaced only once confirmed.
// Screenshots go to tests/artifacts/publishing-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, cpSync, readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startKbd, addUser, chromiumPath, CHROMIUM_ARGS, ROOT, PASSWORD, tempDir, cleanup } from './helpers.mjs';

const EN = JSON.parse(readFileSync(path.join(ROOT, 'templates/i18n/en.json'), 'utf8'));
const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const WORD = 'zorblatt';	// in no shipped article
const SLUG = `network/${WORD}-gateway-resets`;
const TITLE = `The ${WORD} gateway resets after sleep`;
const BODY = `## Fix the ${WORD} gateway\n\nRestart the **${WORD}** service, then sign in again.\n`;
const ADDED = 'Also check the network cable before anything else.';
// an article of the corpus for the conflict and the feedback
const CONFLICT_SLUG = 'network/vpn-cannot-connect';
const FEEDBACK_SLUG = 'email/outlook-keeps-asking-password';

let kbd, browser, dir;
let created = null;	// the article of (a), once saved

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = tempDir('kbd-publishing-ui-');
  const articles = path.join(dir, 'articles');
  cpSync(path.join(ROOT, 'articles'), articles, { recursive: true });
  kbd = await startKbd({ articles, users: ['admin', 'l2', 'l1'] });
  addUser(kbd.data, 'test-l2b', 'l2');
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await kbd?.stop();
  if (dir) cleanup(dir);
});

// A browser context signed in as `name` through the login form (once per
// user: later contexts reuse the session cookie); the page collects script
// errors.
const sessions = new Map();
async function signIn(name, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
    storageState: sessions.get(name), ...options });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  if (!sessions.has(name)) {
    await page.goto(`${kbd.url}/login`);
    await page.locator('#username').fill(name);
    await page.locator('#password').fill(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.locator('.login__form button[type="submit"]').click()]);
    assert.doesNotMatch(new URL(page.url()).pathname, /^\/login/, `${name} is signed in`);
    sessions.set(name, await ctx.storageState());
  }
  return { ctx, page, errors };
}

async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target).join(' ')}`);
}

// Click a submit button; resolves to the HTTP status of the page landed on.
async function submit(page, button) {
  const [res] = await Promise.all([page.waitForNavigation({ timeout: 10000 }), button.click()]);
  return res.status();
}

const shot = (page, name, fullPage = true) => page.screenshot({ path: path.join(ARTIFACTS, `publishing-${name}.png`), fullPage });
const statusBanner = (page) => page.locator('.article-status');
const action = (page, name) => page.locator(`.article-tools button[data-action="${name}"]`);

async function apiTicket(title, requester = 'Sara Ali') {
  const res = await fetch(`${kbd.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + kbd.tokens.l1 },
    body: JSON.stringify({ title, description: 'Reported by phone.', requester: { name: requester },
      category: 'Email', impact: 'low', urgency: 'medium' }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).id;
}

test('(a) an L2 writer creates an article with a live preview; the draft shows its banner', async () => {
  const { ctx, page, errors } = await signIn('test-l2');
  await page.goto(kbd.url + '/');
  await page.locator('.site-nav a[href="/write"]').click();
  await page.waitForURL(/\/write$/);
  assert.equal(await page.locator('h1').innerText(), EN.title_write_new);
  const preview = page.locator('#preview');
  assert.ok(await preview.isVisible(), 'the preview pane shows with JavaScript');

  await page.locator('#field-title').fill(TITLE);
  await page.locator('#field-slug').fill(SLUG);
  await page.locator('#field-summary').fill(`What to do when the ${WORD} gateway drops the connection after the laptop sleeps.`);
  await page.locator('#field-tags').fill(`${WORD}, gateway, sleep`);
  await page.locator('#field-product').fill('Zorblatt gateway');
  await page.locator('#field-category').fill('Network');
  await page.locator('#field-lang').selectOption('en');
  await page.locator('#field-audience').selectOption('l1');
  // typed, not filled: the preview follows the keys (debounced)
  await page.locator('#field-body').pressSequentially(BODY, { delay: 5 });
  await preview.locator('h2', { hasText: `Fix the ${WORD} gateway` }).waitFor({ timeout: 5000 });
  assert.equal(await preview.locator('strong').innerText(), WORD, 'bold is rendered');
  assert.equal(await preview.getAttribute('dir'), 'ltr');
  await page.locator('#field-faq_q_1').fill(`Does the ${WORD} gateway need a restart?`);
  await page.locator('#field-faq_a_1').fill('Yes: restart the service, then sign in again.');
  // one more FAQ row, numbered after the last
  const rows = await page.locator('[data-faq-row]').count();
  await page.locator('[data-faq-add]').click();
  assert.equal(await page.locator('[data-faq-row]').count(), rows + 1);
  assert.equal(await page.locator(`#field-faq_q_${rows + 1}[name="faq_q_${rows + 1}"]`).count(), 1, 'the new row is numbered');
  assert.ok(await page.locator(`#field-faq_q_${rows + 1}`).evaluate((el) => el === document.activeElement), 'focus moves to the new question');
  await shot(page, 'editor-new');

  // a slug the server refuses: the editor comes back with the error linked
  // to its field and everything typed kept
  await page.locator('#field-slug').fill('Not A Slug');
  await page.locator('form.editor').evaluate((f) => { f.noValidate = true; });
  assert.equal(await submit(page, page.locator('form.editor button[name="action"][value="save"]')), 422);
  assert.equal(await page.locator('.form-errors a[href="#field-slug"]').count(), 1, 'the error links to the slug');
  assert.equal(await page.locator('#field-slug').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#field-title').inputValue(), TITLE);
  assert.equal(await page.locator('#field-body').inputValue(), BODY, 'the text is kept');
  assert.equal(await page.locator('#field-faq_a_1').inputValue(), 'Yes: restart the service, then sign in again.');
  await page.locator('#preview h2').waitFor({ timeout: 5000 });
  assert.deepEqual(await axe(page), [], 'axe on the editor with errors');
  await page.locator('#field-slug').fill(SLUG);
  assert.equal(await submit(page, page.locator('form.editor button[name="action"][value="save"]')), 200);
  assert.equal(new URL(page.url()).pathname, `/articles/${SLUG}`);
  assert.equal(await page.locator('h1').innerText(), TITLE);
  assert.equal(await page.locator('.article__body h2').innerText(), `Fix the ${WORD} gateway`);
  assert.ok(await statusBanner(page).isVisible(), 'the draft banner shows');
  assert.match(await statusBanner(page).innerText(), new RegExp(`${EN.article_status_draft}.*L1`, 's'));
  assert.equal(await page.locator('.quick-answers .qa').count(), 1, 'the FAQ row was saved, the empty ones dropped');
  assert.deepEqual(errors, []);
  created = SLUG;
  await ctx.close();
});

test('(b) sent for review and published with the buttons; L1 search finds it at once', async (t) => {
  if (!created) return t.skip('needs the article of (a)');
  const { ctx, page, errors } = await signIn('test-l2');
  await page.goto(`${kbd.url}/articles/${created}`);
  // L1 cannot see a draft
  const l1 = await signIn('test-l1');
  assert.equal((await l1.page.goto(`${kbd.url}/articles/${created}`)).status(), 404, 'a draft is not for L1');

  assert.equal(await submit(page, action(page, 'review')), 200);
  assert.match(await statusBanner(page).innerText(), new RegExp(EN.article_status_review));
  assert.equal(await action(page, 'review').count(), 0, 'no "Send for review" once in review');
  assert.equal(await submit(page, action(page, 'publish')), 200);
  assert.equal(new URL(page.url()).pathname, `/articles/${created}`);
  assert.equal(await statusBanner(page).count(), 0, 'no banner once published');
  assert.equal((await page.locator('.article__meta').innerText()).includes(EN.article_status_published), true);
  assert.equal(await action(page, 'review').innerText(), EN.article_action_reviewed, 'a published article can be marked reviewed');
  const reviewed = page.locator('.article__meta div', { hasText: EN.art_last_reviewed });
  assert.match(await reviewed.innerText(), /test-l2/, 'publishing counts as a review, by whom');
  assert.match(await reviewed.locator('time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(errors, []);

  await l1.page.goto(`${kbd.url}/search?q=${WORD}`);
  const hit = l1.page.locator(`main a[href="/articles/${created}"]`);
  assert.ok(await hit.count() >= 1, 'the published article is found');
  await hit.first().click();
  await l1.page.waitForURL(new RegExp(`/articles/${created}$`));
  assert.equal(await l1.page.locator('.article-tools').count(), 0, 'no writer tools for L1');
  assert.deepEqual(l1.errors, []);
  await l1.ctx.close();
  await ctx.close();
});

test('(c) an edit shows in the history diff; restoring revision 1 brings the old text back', async (t) => {
  if (!created) return t.skip('needs the article of (a)');
  const { ctx, page, errors } = await signIn('test-l2');
  await page.goto(`${kbd.url}/articles/${created}`);
  await page.locator('.article-tools a', { hasText: EN.art_edit }).click();
  await page.waitForURL(new RegExp(`/write/${created}$`));
  assert.equal(await page.locator('.editor-meta .badge').innerText(), EN.article_status_published);
  const body = page.locator('#field-body');
  assert.equal(await body.inputValue(), BODY, 'the editor starts from the saved text');
  await body.press('End');
  await body.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await body.pressSequentially(`\n${ADDED}\n`, { delay: 2 });
  await page.locator('#preview p', { hasText: ADDED }).waitFor({ timeout: 5000 });
  assert.equal(await submit(page, page.locator('form.editor button[value="save"]')), 200);
  assert.match(await page.locator('.article__body').innerText(), new RegExp(ADDED));

  await page.locator('.article-tools a', { hasText: EN.art_history }).click();
  await page.waitForURL(new RegExp(`/history/${created}$`));
  // browsers send a textarea's line ends as CRLF: the saved text must be
  // the text read back, or kbd records a "changed on disk" revision after
  // every save from a page and the diff compares the wrong revisions
  assert.deepEqual(await page.locator('.history-event--disk').allInnerTexts(), [],
    'no "changed on disk" revision after saves from the browser');
  const added = page.locator('.diff__line--add', { hasText: ADDED });
  assert.equal(await added.count(), 1, 'the diff shows the added line');
  assert.equal(await added.locator('.diff__mark').innerText(), '+', 'marked, not only coloured');
  assert.match(await added.locator('.visually-hidden').innerText(), new RegExp(EN.diff_added));
  const revisions = page.locator('.history-row');
  const n = await revisions.count();
  assert.ok(n >= 2, `revisions: ${n}`);
  assert.equal(await page.locator('.history-row--current').getAttribute('data-revision'), String(n), 'the newest is current');
  const events = await page.locator('.history-event').allInnerTexts();
  assert.ok(events.some((e) => e.includes(EN.article_event_published)), `events:\n${events.join('\n')}`);
  assert.ok(events.some((e) => e.includes(EN.article_event_created)));
  assert.deepEqual(await axe(page), [], 'axe on the history');
  await shot(page, 'history');

  // compare revision 1 with the current one, and read revision 1
  await page.locator('#compare-a-1').check();
  await page.locator(`#compare-b-${n}`).check();
  assert.equal(await submit(page, page.locator('button[form="compare-form"]')), 200);
  assert.equal(new URL(page.url()).searchParams.get('a'), '1');
  assert.match(await page.locator('#diff-title').innerText(), new RegExp(`1.*${n}`));
  await page.locator('.history-row[data-revision="1"] a', { hasText: EN.hi_view }).click();
  await page.waitForURL(/[?&]rev=1/);
  assert.match(await page.locator('.revision-text').innerText(), /Restart the \*\*zorblatt\*\* service/);
  assert.doesNotMatch(await page.locator('.revision-text').innerText(), new RegExp(ADDED));

  // restore revision 1: a new revision with the old text
  const restore = page.locator('.history-row[data-revision="1"] .restore-form button');
  assert.equal(await submit(page, restore), 200);
  assert.equal(new URL(page.url()).pathname, `/history/${created}`);
  assert.equal(await page.locator('.history-row').count(), n + 1, 'restoring adds a revision');
  assert.match(await page.locator('.history-event').first().innerText(), new RegExp(EN.article_event_restored));
  await page.locator('.editor-meta a', { hasText: EN.hi_back }).click();
  await page.waitForURL(new RegExp(`/articles/${created}$`));
  assert.doesNotMatch(await page.locator('.article__body').innerText(), new RegExp(ADDED), 'the added line is gone');
  assert.match(await page.locator('.article__body').innerText(), /Restart the zorblatt service/);
  assert.equal(await statusBanner(page).count(), 0, 'restoring does not change the status');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(d) two writers, one article: the second save shows the conflict and keeps the text', async () => {
  const a = await signIn('test-l2');
  const b = await signIn('test-l2b');
  await a.page.goto(`${kbd.url}/write/${CONFLICT_SLUG}`);
  await b.page.goto(`${kbd.url}/write/${CONFLICT_SLUG}`);
  const rev = await b.page.locator('input[name="base_revision"]').inputValue();

  const theirs = 'A line test-l2 added: check the VPN client version first.';
  const bodyA = a.page.locator('#field-body');
  await bodyA.fill((await bodyA.inputValue()) + `\n${theirs}\n`);
  assert.equal(await submit(a.page, a.page.locator('form.editor button[value="save"]')), 200);

  const revs = await (await fetch(`${kbd.url}/api/v1/articles/${CONFLICT_SLUG}/revisions`)).json();
  assert.deepEqual(revs.revisions.map((r) => r.author), ['test-l2', 'disk'],
    'one revision for the save from the browser (no "changed on disk" one after it)');
  const mine = 'My own paragraph, typed while the other writer saved.';
  const bodyB = b.page.locator('#field-body');
  const textB = `${await bodyB.inputValue()}\n${mine}\n`;
  await bodyB.fill(textB);
  assert.equal(await submit(b.page, b.page.locator('form.editor button[value="save"]')), 409);
  const conflict = b.page.locator('.conflict');
  assert.ok(await conflict.isVisible(), 'the conflict is shown');
  assert.equal(await conflict.locator('.conflict__author').innerText(), 'test-l2', 'it names who saved');
  assert.match(await conflict.locator('.conflict__lead').innerText(),
    new RegExp(`test-l2 saved revision ${Number(rev) + 1} after you started`));
  const their = conflict.locator('.diff__line--add', { hasText: theirs });
  assert.equal(await their.count(), 1, 'their change is in the diff');
  assert.equal(await their.locator('.diff__mark').innerText(), '+');
  assert.match(await conflict.locator('#conflict-theirs').inputValue(), new RegExp(theirs), 'their current text');
  assert.equal(await conflict.locator('#conflict-theirs').getAttribute('readonly'), '');
  assert.equal(await bodyB.inputValue(), textB, 'my text is still in the editor');
  assert.equal(await b.page.locator('input[name="base_revision"]').inputValue(), String(Number(rev) + 1),
    'saving again goes on top of their revision');
  assert.deepEqual(await axe(b.page), [], 'axe on the editor with a conflict');
  await shot(b.page, 'conflict');

  assert.equal(await submit(b.page, b.page.locator('form.editor button[value="save"]')), 200);
  assert.equal(new URL(b.page.url()).pathname, `/articles/${CONFLICT_SLUG}`);
  assert.match(await b.page.locator('.article__body').innerText(), new RegExp(mine));
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.ctx.close();
  await b.ctx.close();
});

test('(e) L1 votes and flags the article; L2 resolves the flag in the inbox', async () => {
  const { ctx, page, errors } = await signIn('test-l1');
  await page.goto(`${kbd.url}/articles/${FEEDBACK_SLUG}`);
  const feedback = page.locator('#feedback');
  assert.equal(await feedback.locator('h2').innerText(), EN.fb_title);
  assert.equal(await feedback.locator('.feedback__ratio').innerText(), EN.fb_no_votes);
  const yes = feedback.locator('.vote--yes');
  assert.equal(await yes.getAttribute('aria-pressed'), 'false');
  assert.equal(await submit(page, yes), 200);
  const url = new URL(page.url());
  assert.equal(url.pathname, `/articles/${FEEDBACK_SLUG}`);
  assert.equal(url.hash, '#feedback');
  assert.equal(await feedback.locator('.feedback__thanks').innerText(), EN.feedback_thanks_vote);
  assert.equal(await feedback.locator('.vote--yes').getAttribute('aria-pressed'), 'true', 'my vote shows as pressed');
  assert.equal(await feedback.locator('.vote--no').getAttribute('aria-pressed'), 'false');
  assert.equal(await feedback.locator('.feedback__ratio').innerText(),
    EN.fb_ratio.replace('{pct}', '100').replace('{yes}', '1').replace('{no}', '0'), 'the helpfulness line');

  const comment = 'The screenshots show the old Outlook; the new one has no "Account settings" menu.';
  await feedback.locator('.flag-form summary').click();
  await feedback.locator('#flag-kind-outdated').check();
  await feedback.locator('#flag-comment').fill(comment);
  assert.deepEqual(await axe(page), [], 'axe on an article with its feedback section');
  await shot(page, 'feedback');
  assert.equal(await submit(page, feedback.locator('.flag-form button[type="submit"]')), 200);
  assert.equal(await feedback.locator('.feedback__thanks').innerText(), EN.feedback_thanks_flag);
  assert.deepEqual(errors, []);
  await ctx.close();

  const l2 = await signIn('test-l2');
  await l2.page.goto(`${kbd.url}/articles/${FEEDBACK_SLUG}`);
  assert.match(await l2.page.locator('#feedback .feedback__flags').innerText(), /1/, 'writers see the open flag count');
  await l2.page.locator('.site-nav a[href="/inbox"]').click();
  await l2.page.waitForURL(/\/inbox$/);
  const flag = l2.page.locator('.flag-item', { hasText: comment });
  assert.equal(await flag.count(), 1, 'the flag is in the inbox');
  assert.match(await flag.innerText(), new RegExp(EN.flag_kind_outdated));
  assert.match(await flag.innerText(), /test-l1/);
  assert.equal(await flag.locator(`a[href="/articles/${FEEDBACK_SLUG}"]`).count(), 1);
  assert.equal(await l2.page.locator('.inbox-table a', { hasText: /Outlook/ }).count() >= 1, true, 'counted by article');
  assert.deepEqual(await axe(l2.page), [], 'axe on the inbox');
  await shot(l2.page, 'inbox');
  // "my articles" are those test-l2 wrote: not this one
  await l2.page.locator('.tabs__link', { hasText: EN.in_view_mine }).click();
  await l2.page.waitForURL(/\/inbox\?mine=1$/);
  assert.equal(await l2.page.locator('.flag-item', { hasText: comment }).count(), 0);
  assert.equal(await l2.page.locator('.tabs__link[aria-current="page"]').innerText(), EN.in_view_mine);
  await l2.page.locator('.tabs__link', { hasText: EN.in_view_all }).click();
  await l2.page.waitForURL(/\/inbox$/);
  await flag.locator('input[name="note"]').fill('Screenshots replaced.');
  assert.equal(await submit(l2.page, flag.locator('button[type="submit"]')), 200);
  assert.equal(new URL(l2.page.url()).pathname, '/inbox');
  assert.equal(await l2.page.locator('.flag-item', { hasText: comment }).count(), 0, 'a resolved flag leaves the inbox');
  await l2.page.goto(`${kbd.url}/articles/${FEEDBACK_SLUG}`);
  assert.equal(await l2.page.locator('#feedback .feedback__flags').count(), 0, 'no open flags any more');
  assert.deepEqual(l2.errors, []);
  await l2.ctx.close();
});

test('(f) the FAQ copy button copies and counts the use; an answer is sent to a ticket', async () => {
  const { ctx, page, errors } = await signIn('test-l1', { permissions: ['clipboard-read', 'clipboard-write'] });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: kbd.url });
  await page.goto(`${kbd.url}/faq`);
  const entries = page.locator('.faq-entry');
  assert.ok(await entries.count() >= 5, 'the FAQ lists answers');
  const entry = entries.first();
  const slug = await entry.getAttribute('data-faq-slug');
  const q = await entry.getAttribute('data-faq-q');
  const answer = (await entry.locator('.faq-entry__answer').innerText()).trim();
  await entry.locator('.answer__copy').click();
  await entry.locator('[data-copy-status]', { hasText: EN.js_copied }).waitFor({ timeout: 5000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), answer, 'the answer is on the clipboard');
  await page.locator(`.faq-entry[data-faq-counted][data-faq-slug="${slug}"]`).first().waitFor({ state: 'attached', timeout: 5000 });
  const faq = await (await fetch(`${kbd.url}/api/v1/faq`)).json();
  const used = faq.categories.flatMap((c) => c.entries).find((e) => e.slug === slug && e.q === q);
  assert.equal(used?.uses, 1, 'the use is counted');
  await page.reload();
  assert.match(await page.locator(`.faq-entry[data-faq-slug="${slug}"]`).first().locator('.faq-entry__uses').innerText(), /1/);

  // search the FAQ
  await page.locator('#faq-q').fill('password');
  await Promise.all([page.waitForNavigation(), page.locator('.faq-search button').click()]);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'password');
  assert.ok(await page.locator('.faq-entry').count() >= 1, 'answers about passwords');

  // from a ticket: the ticket number fills the send form
  const id = await apiTicket('Outlook asks for the password again and again');
  await page.goto(`${kbd.url}/tickets/${id}`);
  await page.locator('.reply-tools a', { hasText: EN.tk_faq_link }).click();
  await page.waitForURL(/\/faq\?ticket=/);
  assert.match(await page.locator('.faq-ticket').innerText(), new RegExp(id));
  const send = page.locator('.faq-entry').nth(1);
  const sent = (await send.locator('.faq-entry__answer').innerText()).trim();
  assert.equal(await send.locator('input[name="ticket"]').inputValue(), id);
  await shot(page, 'faq', false);
  assert.equal(await submit(page, send.locator('.faq-send button')), 200);
  assert.equal(new URL(page.url()).pathname, `/tickets/${id}`);
  const comment = page.locator('.comment', { hasText: sent.slice(0, 40) });
  assert.equal(await comment.count(), 1, 'the answer is a comment on the ticket');

  // typing the number works as well (from the plain FAQ)
  await page.goto(`${kbd.url}/faq`);
  const other = page.locator('.faq-entry').nth(2);
  const otherText = (await other.locator('.faq-entry__answer').innerText()).trim();
  await other.locator('input[name="ticket"]').fill(id);
  assert.equal(await submit(page, other.locator('.faq-send button')), 200);
  assert.equal(await page.locator('.comment', { hasText: otherText.slice(0, 40) }).count(), 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(g) canned replies: managed by L2, inserted into a ticket comment filled in for it', async () => {
  const l2 = await signIn('test-l2');
  await l2.page.goto(kbd.url + '/');
  await l2.page.locator('.site-nav a[href="/canned"]').click();
  await l2.page.waitForURL(/\/canned$/);
  const form = l2.page.locator('#canned-form');
  const before = await l2.page.locator('.canned-item').count();
  await form.locator('#field-name').fill('Follow-up');
  await form.locator('#field-body').fill('Hello {requester},\n\nwe are working on {ticket}.\n\n{agent}');
  assert.equal(await submit(l2.page, form.locator('button[type="submit"]')), 200);
  await form.locator('#field-name').fill('Old closing');
  await form.locator('#field-body').fill('Closing the ticket now.');
  assert.equal(await submit(l2.page, form.locator('button[type="submit"]')), 200);
  assert.equal(await l2.page.locator('.canned-item').count(), before + 2);
  // a name that is taken is refused
  await form.locator('#field-name').fill('Follow-up');
  await form.locator('#field-body').fill('Another text.');
  assert.equal(await submit(l2.page, form.locator('button[type="submit"]')), 409);
  await l2.page.goto(`${kbd.url}/canned`);
  // rename one, delete the other
  const old = l2.page.locator('.canned-item', { hasText: 'Old closing' });
  await old.locator('a', { hasText: EN.cn_edit }).click();
  await l2.page.waitForURL(/\/canned\?edit=\d+/);
  assert.equal(await form.locator('#field-name').inputValue(), 'Old closing');
  assert.equal(await form.locator('#field-body').inputValue(), 'Closing the ticket now.');
  await form.locator('#field-name').fill('Short closing');
  assert.equal(await submit(l2.page, form.locator('button[type="submit"]')), 200);
  assert.equal(await l2.page.locator('.canned-item h3', { hasText: /^Short closing$/ }).count(), 1, 'renamed');
  assert.equal(await l2.page.locator('.canned-item h3', { hasText: /^Old closing$/ }).count(), 0);
  assert.deepEqual(await axe(l2.page), [], 'axe on the canned replies');
  await shot(l2.page, 'canned');
  const doomed = l2.page.locator('.canned-item', { hasText: 'Short closing' });
  assert.equal(await submit(l2.page, doomed.locator('button', { hasText: EN.cn_delete })), 200);
  assert.equal(await l2.page.locator('.canned-item').count(), before + 1, 'deleted');
  assert.deepEqual(l2.errors, []);
  await l2.ctx.close();

  const id = await apiTicket('Mailbox full', 'Omar Haddad');
  const { ctx, page, errors } = await signIn('test-l1');
  await page.goto(`${kbd.url}/tickets/${id}`);
  const box = page.locator('#field-body');
  await box.fill('Thanks for the call.');
  // the cursor at the start: the reply goes before what is typed
  await box.evaluate((el) => { el.focus(); el.setSelectionRange(0, 0); });
  await page.locator('#field-canned').selectOption({ label: 'Follow-up' });
  await page.locator('[data-canned-insert]').click();
  await page.locator('[data-canned-status]', { hasText: EN.tk_canned_inserted }).waitFor({ timeout: 5000 });
  assert.equal(await box.inputValue(), `Hello Omar Haddad,\n\nwe are working on ${id}.\n\ntest-l1Thanks for the call.`);
  assert.deepEqual(await axe(page), [], 'axe on a ticket with the reply tools');
  assert.equal(await submit(page, page.locator('#comment-form-title').locator('xpath=ancestor::form').locator('button[type="submit"]')), 200);
  assert.equal(await page.locator('.comment', { hasText: 'Hello Omar Haddad' }).count(), 1);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('(h) the publishing pages in Arabic: right to left, no template tags, axe-core', async () => {
  // (the English pages are checked by axe in the tests above)
  const { ctx, page, errors } = await signIn('test-l2');
  await ctx.addCookies([{ name: 'kbd_lang', value: 'ar', url: kbd.url }]);
  await page.goto(`${kbd.url}/write/${FEEDBACK_SLUG}`);
  await page.locator('#preview h2').first().waitFor({ timeout: 5000 });
  await shot(page, 'editor-ar');
  for (const url of [`/write/${FEEDBACK_SLUG}`, '/inbox', '/canned', `/history/${FEEDBACK_SLUG}`, `/articles/${FEEDBACK_SLUG}`]) {
    if (url !== page.url().slice(kbd.url.length)) await page.goto(kbd.url + url);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', url);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\{\{|\}\}|\b[tm]\.[a-z_]+\b/, `${url}: a template tag shows`);
    assert.match(await page.locator('h1').innerText(), /[\u0600-\u06ff]|Outlook/, url);
    assert.deepEqual(await axe(page), [], `axe on ${url} in Arabic`);
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

// A valid PNG of w×h pixels (RGB, a colour gradient).
function pngBuffer(w = 8, h = 6) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;	// bit depth
  ihdr[9] = 2;	// colour type: RGB
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + 3 * w);	// filter 0, then the pixels
    for (let x = 0; x < w; x++) row.set([x * 30, y * 40, 200], 1 + 3 * x);
    rows.push(row);
  }
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

test('(i) the editor attaches an image: its Markdown goes in at the cursor and the preview shows it', async () => {
  const slug = 'hardware/second-monitor-not-detected';
  const { ctx, page, errors } = await signIn('test-l2');
  const uploads = [];
  page.on('request', (req) => { if (req.url().includes('/attachments')) uploads.push(req.url()); });

  // a new article has no address yet: the editor says to save first
  await page.goto(`${kbd.url}/write`);
  assert.equal(await page.locator('[data-attach-note]').innerText(), EN.ed_attach_new_note);
  assert.equal(await page.locator('#field-attach').count(), 0, 'no file control before the first save');

  await page.goto(`${kbd.url}/write/${slug}`);
  await page.locator('.editor__preview[data-rendered]').waitFor({ state: 'attached', timeout: 5000 });
  const body = page.locator('#field-body');
  const before = await body.inputValue();
  const input = page.locator('#field-attach');
  assert.ok(await input.isVisible(), 'the file control shows with JavaScript');
  assert.equal(await page.locator('label[for="field-attach"]').innerText(), EN.ed_attach_label);
  const status = page.locator('[data-attach-status]');
  assert.equal(await status.getAttribute('role'), 'status', 'messages go to a live region');

  // the cursor at the start: the image goes there; the name is made one
  // the server takes
  await body.evaluate((el) => { el.focus(); el.setSelectionRange(0, 0); });
  const png = pngBuffer();
  await input.setInputFiles({ name: 'Screen shot (1).png', mimeType: 'image/png', buffer: png });
  const name = 'Screen-shot--1-.png';
  await status.filter({ hasText: EN.ed_attach_done.replace('{name}', name) }).waitFor({ timeout: 5000 });
  assert.equal(await body.inputValue(), `![${name}](media/${name})${before}`, 'the Markdown is at the cursor');
  assert.equal(uploads.length, 1);
  assert.equal(new URL(uploads[0]).searchParams.get('name'), name);
  const served = await fetch(`${kbd.url}/articles/hardware/media/${name}`);
  assert.equal(served.status, 200);
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), png, 'the file is stored as sent');

  // the preview resolves media/… against the article's address, and the
  // image loads
  const img = page.locator(`#preview img[alt="${name}"]`);
  await img.waitFor({ timeout: 5000 });
  assert.equal(await img.getAttribute('src'), `/articles/hardware/media/${name}`);
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 5000 });
  assert.equal(await img.evaluate((el) => el.naturalWidth), 8, 'the image loaded');

  // too large, or not a kind the server takes: refused here, no request
  const large = Buffer.alloc(1024 * 1024 + 1);
  png.copy(large);
  const text = await body.inputValue();
  await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: large });
  await status.filter({ hasText: EN.ed_attach_too_large.replace('{name}', 'huge.png') }).waitFor({ timeout: 5000 });
  assert.match(await status.getAttribute('class'), /editor__attach-status--error/);
  await input.setInputFiles({ name: 'notes.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: Buffer.from('PK') });
  await status.filter({ hasText: EN.ed_attach_bad_type.replace('{name}', 'notes.docx') }).waitFor({ timeout: 5000 });
  await page.waitForTimeout(300);
  assert.equal(uploads.length, 1, 'nothing was sent');
  assert.equal(await body.inputValue(), text, 'the text is unchanged');
  assert.deepEqual(await axe(page), [], 'axe on the editor with a refused file');

  // the same name again: asked first, replaced only when confirmed
  await input.setInputFiles({ name, mimeType: 'image/png', buffer: pngBuffer(4, 4) });
  await status.filter({ hasText: EN.ed_attach_exists.replace('{name}', name) }).waitFor({ timeout: 5000 });
  assert.equal(uploads.length, 2);
  assert.equal(new URL(uploads[1]).searchParams.get('replace'), null, 'not replaced unasked');
  assert.equal(await body.inputValue(), text);
  assert.deepEqual(await axe(page), [], 'axe on the editor asking to replace a file');
  await shot(page, 'attach');
  await page.locator('[data-attach-replace]').click();
  await status.filter({ hasText: EN.ed_attach_done.replace('{name}', name) }).waitFor({ timeout: 5000 });
  assert.equal(uploads.length, 3);
  assert.equal(new URL(uploads[2]).searchParams.get('replace'), '1');
  assert.ok(await page.locator('[data-attach-confirm]').isHidden());
  assert.equal((await (await fetch(`${kbd.url}/articles/hardware/media/${name}`)).arrayBuffer()).byteLength,
    pngBuffer(4, 4).length, 'replaced');
  assert.deepEqual(errors, []);
  await ctx.close();
});
