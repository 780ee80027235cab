// Interface languages (templates/i18n/*.json): the catalogues are complete
// and consistent, the language is chosen from the user / cookie /
// Accept-Language / --lang, the header switch works and only goes back to
// this site, and every page renders in English and in Arabic in headless
// Chromium: Arabic pages are dir="rtl" and mirrored, show no catalogue key
// or placeholder and no English interface string, keep an English article
// left-to-right, and pass axe-core (no serious or critical violations).
// A screenshot of every page in both languages goes to
// tests/artifacts/i18n-LANG-PAGE.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startKbd, anonFetch, chromiumPath, CHROMIUM_ARGS, ROOT, tempDir, cleanup } from './helpers.mjs';

const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const I18N = path.join(ROOT, 'templates/i18n');
const catalogue = (lang) => JSON.parse(readFileSync(path.join(I18N, `${lang}.json`), 'utf8'));
const en = catalogue('en');
const ar = catalogue('ar');
const LANGS = readdirSync(I18N).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (s) => [...s.matchAll(/\{([a-z][a-z0-9_]*)\}/g)].map((m) => m[1]).sort();

// ---- the catalogues ----

test('every catalogue has every string of en.json (a missing one shows in English: listed here)', () => {
  for (const lang of LANGS) {
    const cat = catalogue(lang);
    const missing = Object.keys(en).filter((k) => !(k in cat));
    assert.deepEqual(missing, [], `${lang}.json lacks ${missing.length} string(s) of en.json`);
  }
});

test('catalogues: keys a template can look up, strings only, the same placeholders as English', () => {
  for (const lang of LANGS) {
    const cat = catalogue(lang);
    for (const [key, value] of Object.entries(cat)) {
      assert.match(key, /^[a-z0-9_]+$/, `${lang}.json: key ${key}`);
      assert.equal(typeof value, 'string', `${lang}.json: ${key}`);
      // a plural form of one language only (KEY_few) must belong to a key English has
      const base = key.replace(PLURAL, '');
      const ref = key in en ? en[key] : en[`${base}_other`] ?? en[base];
      assert.ok(ref !== undefined, `${lang}.json: ${key} is not a string of en.json`);
      const want = placeholders(ref);
      const got = placeholders(value);
      // singular forms may say "a day" instead of "{days} days"
      if (key !== base && !/_other$/.test(key)) {
        assert.ok(got.every((p) => want.includes(p)), `${lang}.json: ${key} has {${got}} but English {${want}}`);
      } else {
        assert.deepEqual(got, want, `${lang}.json: ${key}`);
      }
    }
    assert.match(cat.lang_dir, /^(ltr|rtl)$/, `${lang}.json: lang_dir`);
    assert.equal([...cat.number_digits].length, 10, `${lang}.json: number_digits`);
  }
  assert.equal(ar.lang_dir, 'rtl');
});

test('every string the templates, app.js and the C code ask for is in en.json', () => {
  const keys = new Set(Object.keys(en));
  const has = (k) => keys.has(k) || keys.has(`${k}_other`);
  const tdir = path.join(ROOT, 'templates');
  for (const f of readdirSync(tdir).filter((x) => x.endsWith('.html'))) {
    const src = readFileSync(path.join(tdir, f), 'utf8');
    for (const m of src.matchAll(/\{\{[#^/]?\s*([tm])\.([a-z0-9_]+)/g))
      assert.ok(has(m[2]), `${f}: ${m[1]}.${m[2]} is not in en.json`);
    if (f === 'footer.html') {
      const js = readFileSync(path.join(tdir, 'static/app.js'), 'utf8');
      for (const m of js.matchAll(/\.text\('([a-z-]+)'/g))
        assert.match(src, new RegExp(`data-${m[1]}="\\{\\{t\\.`), `app.js asks for data-${m[1]}, footer.html has none`);
    }
  }
  const kdir = path.join(ROOT, 'kbd');
  for (const f of readdirSync(kdir).filter((x) => x.endsWith('.c'))) {
    const src = readFileSync(path.join(kdir, f), 'utf8');
    // the HTML error page shows error_CODE and status_NNN of every error
    for (const m of src.matchAll(/resp_error(?:_args)?\s*\([^;]*?\b(\d{3}),\s*"([a-z_]+)"/gs)) {
      assert.ok(has(`status_${m[1]}`), `${f}: status_${m[1]} is not in en.json`);
      assert.ok(has(`error_${m[2]}`), `${f}: error code ${m[2]} has no error_${m[2]} in en.json`);
    }
    // catalogue keys named in C: the key arguments of the i18n calls, and
    // the messages the account pages pick (problem = "users_err_…")
    const named = [];
    for (const m of src.matchAll(/\b(req_text|i18n_text|i18n_plural|i18n_message|resp_error_args|login_form)\s*\(([^;]*?)\);/gs))
      for (const l of m[2].matchAll(/"([a-z][a-z0-9]*(?:_[a-z0-9]+)+)"/g))
        if (m[1] !== 'resp_error_args' || l[1].startsWith('error_')) named.push(l[1]);
    for (const m of src.matchAll(/\b(?:problem|notice)\s*=\s*([^;]*);/g))
      for (const l of m[1].matchAll(/"([a-z][a-z0-9]*(?:_[a-z0-9]+)+)"/g)) named.push(l[1]);
    for (const key of named) assert.ok(has(key), `${f}: "${key}" is not in en.json`);
  }
});

// ---- language choice, over HTTP ----

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

async function langOf(url, headers = {}) {
  const html = await (await fetch(kbd.url + url, { headers })).text();
  return html.match(/<html lang="([^"]+)" dir="([^"]+)"/).slice(1).join(' ');
}

test('Accept-Language picks the language, with its q-values', async () => {
  for (const [header, want] of [
    [undefined, 'en ltr'],
    ['ar', 'ar rtl'],
    ['ar-SA,ar;q=0.9,en;q=0.8', 'ar rtl'],
    ['en-US,en;q=0.9,ar;q=0.8', 'en ltr'],
    ['fr-FR, fr;q=0.9, ar;q=0.5, en;q=0.4', 'ar rtl'],
    ['en;q=0.2, AR;q=0.7', 'ar rtl'],
    ['ar;q=0, en', 'en ltr'],
    ['ar;q=0.000', 'en ltr'],
    ['de, fr', 'en ltr'],
    ['*;q=0.5, ar;q=0.4', 'en ltr'],
    ['ar;q=2, en;q=0.1', 'en ltr'],	// a malformed q-value is ignored
    ['ar; q=0.8 , en ; q=0.3', 'ar rtl'],
  ]) {
    assert.equal(await langOf('/faq', header ? { 'Accept-Language': header } : {}), want, `Accept-Language: ${header}`);
  }
});

test('the kbd_lang cookie beats Accept-Language; an unknown one is ignored', async () => {
  assert.equal(await langOf('/faq', { 'Accept-Language': 'ar', Cookie: 'kbd_lang=en' }), 'en ltr');
  assert.equal(await langOf('/faq', { 'Accept-Language': 'en', Cookie: 'kbd_lang=ar' }), 'ar rtl');
  assert.equal(await langOf('/faq', { 'Accept-Language': 'ar', Cookie: 'kbd_lang=xx' }), 'ar rtl');
});

test('/lang sets the cookie and goes back, to this site only', async () => {
  const go = (qs) => anonFetch(`${kbd.url}/lang?${qs}`, { redirect: 'manual' });
  let res = await go(`set=ar&back=${encodeURIComponent('/search?q=vpn&page=2')}`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/search?q=vpn&page=2');
  assert.match(res.headers.get('set-cookie'), /^kbd_lang=ar; Path=\/; Max-Age=31536000; SameSite=Lax; HttpOnly$/);
  for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '\\\\evil.example',
    '/\t/evil.example', 'javascript:alert(1)', '', '/%0d%0aSet-Cookie:x=1'.replace('%0d%0a', '\r\n')]) {
    res = await go(`set=en&back=${encodeURIComponent(back)}`);
    assert.equal(res.status, 303, back);
    assert.equal(res.headers.get('location'), '/', `back=${JSON.stringify(back)}`);
  }
  res = await go('set=en');
  assert.equal(res.headers.get('location'), '/');
  res = await go('set=xx&back=/');
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('set-cookie'), null);
});

test('the JSON API stays English and stable in any language; the error page is translated', async () => {
  const res = await fetch(`${kbd.url}/api/v1/search?q=x&page=0`, { headers: { 'Accept-Language': 'ar' } });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.code, 'bad_parameter');
  assert.match(body.error.message, /must be a whole number/);
  const page = await (await fetch(`${kbd.url}/search?q=x&page=0`, { headers: { 'Accept-Language': 'ar' } })).text();
  assert.match(page, /<code>bad_parameter<\/code>/);
  assert.match(page, /يجب أن تكون قيمة <code>page<\/code> عددًا صحيحًا من 1 إلى 100\./);
});

test('--lang sets the default; a missing string shows in English and is logged; a new file is a new language', async () => {
  const dir = tempDir('kbd-i18n-');
  try {
    const templates = path.join(dir, 'templates');
    cpSync(path.join(ROOT, 'templates'), templates, { recursive: true });
    const partial = { ...ar };
    delete partial.nav_faq;
    writeFileSync(path.join(templates, 'i18n/ar.json'), JSON.stringify(partial));
    writeFileSync(path.join(templates, 'i18n/fr.json'), JSON.stringify({
      lang_name: 'Français', lang_dir: 'ltr', number_group: '\u202f', plural_rule: 'fr',
      nav_search: 'Rechercher', title_faq: 'Questions fréquentes', faq_title: 'Questions fréquentes',
    }));
    const k = await startKbd({ index: kbd.index, extraArgs: ['--lang', 'ar', '--templates', templates], users: ['admin'] });
    try {
      const html = await (await fetch(`${k.url}/faq`)).text();
      assert.match(html, /<html lang="ar" dir="rtl">/, 'no Accept-Language: the --lang default');
      assert.match(html, /<a href="\/faq">FAQ<\/a>/, 'the missing string is shown in English');
      assert.match(html, /<a href="\/">بحث<\/a>/);
      assert.match(k.logs(), /ar\.json lacks 1 string of en\.json \(shown in English\): nav_faq/);
      assert.match(html, /hreflang="fr">Français<\/a>/, 'the switch lists the new language');
      const fr = await (await fetch(`${k.url}/faq`, { headers: { Cookie: 'kbd_lang=fr' } })).text();
      assert.match(fr, /<html lang="fr" dir="ltr">/);
      assert.match(fr, /<h1>Questions fréquentes<\/h1>/);
      assert.match(fr, /<a href="\/">Rechercher<\/a>/);
      assert.match(fr, /<a href="\/faq">FAQ<\/a>/, 'English for what fr.json does not have');
    } finally {
      await k.stop();
    }
  } finally {
    cleanup(dir);
  }
});

// ---- every page in both languages, in Chromium ----

const PAGES = [
  ['home', '/'],
  ['search', '/search?q=vpn'],
  ['search-pages', '/search?q=the&page=2'],
  ['no-results', '/search?q=zzqqxxnothing'],
  ['corrected', '/search?q=outlok+pasword'],
  ['article', '/articles/network/vpn-cannot-connect'],
  ['article-ar', '/articles/ar/accounts/password-reset'],
  ['faq', '/faq'],
  ['gaps', '/gaps'],
  ['not-found', '/nope'],
  ['bad-parameter', '/search?q=x&page=0'],
  ['login', '/login'],
  ['users', '/admin/users'],
];

// English interface strings that must not show in the Arabic interface:
// those of two words or more that Arabic translates differently.
const ENGLISH_UI = Object.entries(en)
  .filter(([k, v]) => ar[k] !== v && /[a-z]{3,} [a-z]{2,}/i.test(v) && !/\{/.test(v))
  .map(([, v]) => v.trim());
const KEYS = Object.keys(en).filter((k) => k.includes('_'));

async function newPage(lang) {
  const ctx = await browser.newContext({ extraHTTPHeaders: kbd.authHeaders, viewport: { width: 1100, height: 800 } });
  await ctx.addCookies([{ name: 'kbd_lang', value: lang, url: kbd.url }]);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { ctx, page, errors };
}

// The visible text and UI attributes of the page, split by the language of
// the element it is in (the interface's, or an article's own).
function textByLang() {
  const out = {};
  const add = (el, s) => {
    const lang = (el.closest('[lang]')?.getAttribute('lang') || '').split('-')[0];
    out[lang] = (out[lang] || '') + '\n' + s;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && el.closest('[hidden], script, style') === null && n.nodeValue.trim()) add(el, n.nodeValue);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]'))
    for (const a of ['aria-label', 'placeholder', 'title']) if (el.hasAttribute(a)) add(el, el.getAttribute(a));
  out.title = document.title;
  return out;
}

for (const lang of ['en', 'ar']) {
    for (const [name, url] of PAGES) {
      test(`${lang}: ${name} (${url})`, async () => {
        const { ctx, page, errors } = await newPage(lang);
        const res = await page.goto(kbd.url + url);
        assert.ok(res.status() < 500, `HTTP ${res.status()}`);
        const html = page.locator('html');
        assert.equal(await html.getAttribute('lang'), lang);
        assert.equal(await html.getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
        assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), lang === 'ar' ? 'rtl' : 'ltr');

        const text = await page.evaluate(textByLang);
        const all = Object.values(text).join('\n');
        // no catalogue key, template tag or placeholder reaches the page
        assert.doesNotMatch(all, /\{\{|\}\}|\{[a-z][a-z0-9_]*\}/, 'a template tag or a placeholder shows');
        assert.doesNotMatch(all, /\b[tm]\.[a-z][a-z0-9_]+/, 'a t.KEY / m.KEY name shows');
        const keys = KEYS.filter((k) => new RegExp(`(^|[^\\w-])${k}([^\\w-]|$)`).test(all));
        assert.deepEqual(keys, [], 'catalogue key names show');
        // the interface's own text is in its language
        if (lang === 'ar') {
          const ui = (text.ar || '') + '\n' + text.title;
          const english = ENGLISH_UI.filter((s) => ui.includes(s));
          assert.deepEqual(english, [], 'English interface strings in the Arabic interface');
          assert.match(ui, /[\u0600-\u06ff]/);
        }

        // mixed content keeps its own direction
        const article = page.locator('article.article');
        if (await article.count()) {
          const want = name === 'article-ar' ? 'rtl' : 'ltr';
          assert.equal(await article.getAttribute('dir'), want);
          assert.equal(await article.evaluate((el) => getComputedStyle(el).direction), want, 'the article keeps its direction');
          assert.equal(await page.locator('.article__meta').evaluate((el) => getComputedStyle(el).direction),
            lang === 'ar' ? 'rtl' : 'ltr', 'its labels follow the interface');
        }
        for (const box of await page.locator('input[type="search"]').all())
          assert.equal(await box.getAttribute('dir'), 'auto', 'what users type gets dir="auto"');
        for (const code of (await page.locator('main code').all()).slice(0, 5))
          assert.equal(await code.evaluate((el) => getComputedStyle(el).direction), 'ltr', 'codes and paths stay left to right');

        // the layout is mirrored: brand at the inline start
        const brand = await page.locator('.brand').boundingBox();
        const nav = await page.locator('.site-nav').boundingBox();
        assert.ok(lang === 'ar' ? brand.x > nav.x : brand.x < nav.x, 'the header runs in the text direction');

        // the switch offers the other language, back to this page
        const other = page.locator(`.lang-switch a[hreflang="${lang === 'ar' ? 'en' : 'ar'}"]`);
        assert.equal(await other.count(), 1);
        const back = new URL(new URL(await other.getAttribute('href'), kbd.url).searchParams.get('back'), kbd.url);
        const here = new URL(url, kbd.url);
        assert.equal(back.pathname, here.pathname);
        assert.deepEqual([...back.searchParams], [...here.searchParams]);

        await page.screenshot({ path: path.join(ARTIFACTS, `i18n-${lang}-${name}.png`), fullPage: true });
        if (lang === 'ar') {
          const results = await new AxeBuilder({ page }).analyze();
          const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
        }
        assert.deepEqual(errors, []);
        await ctx.close();
      });
    }
}

test('Arabic details: dates, numbers, arrows, facets at the inline start', async () => {
  const { ctx, page } = await newPage('ar');
  await page.goto(`${kbd.url}/articles/network/vpn-cannot-connect`);
  assert.match(await page.locator('.article__meta time').innerText(), /^\d{1,2} (يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر) \d{4}$/);
  await page.goto(`${kbd.url}/search?q=the&page=2`);
  assert.match(await page.locator('.result-count').innerText(), /^النتائج 11–20 من \d+$/);
  const arrows = await page.locator('.pager .arrow').evaluateAll((els) => els.map((el) => getComputedStyle(el).transform));
  assert.ok(arrows.length >= 1 && arrows.every((t) => t === 'matrix(-1, 0, 0, 1, 0, 0)'), `arrows mirrored: ${arrows}`);
  const prev = await page.locator('.pager__prev').boundingBox();
  const next = await page.locator('.pager__next').boundingBox();
  assert.ok(prev.x > next.x, '"previous" is on the right');
  await page.goto(`${kbd.url}/search?q=vpn`);
  const facets = await page.locator('nav.facets').boundingBox();
  const results = await page.locator('ol.results').boundingBox();
  assert.ok(facets.x > results.x, 'the filters sidebar is on the right');
  assert.match(await page.locator('.facets__title').innerText(), /تصفية النتائج/);
  await ctx.close();

  const enPage = await newPage('en');
  await enPage.page.goto(`${kbd.url}/articles/network/vpn-cannot-connect`);
  assert.match(await enPage.page.locator('.article__meta time').innerText(), /^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  await enPage.ctx.close();
});

test('the header switch changes the language and stays on the page', async () => {
  // its own user: the switch also stores a signed-in user's preference,
  // which would outrank the cookies the other tests set for the admin
  const ctx = await browser.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${kbd.tokens.l2}` } });
  const page = await ctx.newPage();
  await page.goto(`${kbd.url}/search?q=${encodeURIComponent('كلمة المرور')}`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
  await page.locator('.lang-switch a[hreflang="ar"]').click();
  await page.waitForURL((u) => u.pathname === '/search');
  assert.equal(new URL(page.url()).searchParams.get('q'), 'كلمة المرور');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('.lang-switch [aria-current="true"]').innerText(), 'العربية');
  await page.goto(`${kbd.url}/faq`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar', 'the choice is remembered');
  await page.locator('.lang-switch a[hreflang="en"]').click();
  await page.waitForURL((u) => u.pathname === '/faq');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await ctx.close();
});

test('the Arabic interface reads the JavaScript strings from the catalogue', async () => {
  const { ctx, page, errors } = await newPage('ar');
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: kbd.url });
  await page.goto(`${kbd.url}/search?q=${encodeURIComponent('how long does a password reset take')}`);
  const button = page.locator('button[data-copy]').first();
  assert.equal(await button.innerText(), ar.copy_answer);
  await button.click();
  const status = page.locator('[data-copy-status]').first();
  await page.waitForFunction((el) => el.textContent.length > 0, await status.elementHandle(), { timeout: 2000 });
  assert.equal(await status.innerText(), ar.js_copied);
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially('vpn', { delay: 40 });
  await page.locator('[role="listbox"] [role="option"]').first().waitFor({ state: 'visible', timeout: 2000 });
  assert.equal(await page.locator('[role="listbox"]').getAttribute('aria-label'), ar.js_suggested);
  assert.deepEqual(errors, []);
  await ctx.close();
});
