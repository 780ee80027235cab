// The real kbd over real HTTP on the shipped articles: every route, the JSON
// shapes, the error cases and the headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startKbd, getJson } from './helpers.mjs';

let kbd;
before(async () => { kbd = await startKbd(); });
after(async () => { assert.equal(await kbd.stop(), 0, 'kbd exits cleanly on SIGTERM'); });

test('GET /healthz is ready', async () => {
  const { status, body } = await getJson(`${kbd.url}/healthz`);
  assert.equal(status, 200);
  assert.equal(body.status, 'ok');
  assert.ok(body.articles >= 30, `articles: ${body.articles}`);
});

test('search API returns the documented shape', async () => {
  const { status, body, headers } = await getJson(`${kbd.url}/api/v1/search?q=password%20reset`);
  assert.equal(status, 200);
  assert.match(headers.get('content-type'), /application\/json/);
  assert.equal(body.query, 'password reset');
  assert.equal(body.page, 1);
  assert.ok(body.total >= 1);
  assert.ok(Array.isArray(body.results) && body.results.length >= 1);
  for (const r of body.results) {
    for (const k of ['slug', 'title', 'summary', 'snippet', 'lang', 'url']) assert.equal(typeof r[k], 'string', k);
    assert.ok(Array.isArray(r.tags));
    assert.equal(typeof r.score, 'number');
    assert.equal(r.url, `/articles/${r.slug}`);
  }
  assert.equal(body.results[0].slug, 'accounts/password-reset');
});

test('search API pages, limits and filters by language', async () => {
  const one = await getJson(`${kbd.url}/api/v1/search?q=password&per_page=1`);
  assert.equal(one.body.results.length, 1);
  const two = await getJson(`${kbd.url}/api/v1/search?q=password&per_page=1&page=2`);
  assert.equal(two.body.page, 2);
  assert.notEqual(two.body.results[0].slug, one.body.results[0].slug);
  const ar = await getJson(`${kbd.url}/api/v1/search?q=password&lang=ar`);
  assert.ok(ar.body.results.length >= 1);
  for (const r of ar.body.results) assert.equal(r.lang, 'ar');
  const fifty = await getJson(`${kbd.url}/api/v1/search?q=the&per_page=50`);
  assert.equal(fifty.status, 200);
  const tooMany = await getJson(`${kbd.url}/api/v1/search?q=the&per_page=51`);
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.error.code, 'bad_parameter');
});

test('Arabic query (typed without hamza) finds the Arabic password article', async () => {
  const { body } = await getJson(`${kbd.url}/api/v1/search?q=${encodeURIComponent('اعادة تعيين كلمة المرور')}`);
  assert.ok(body.results.length >= 1);
  assert.equal(body.results[0].lang, 'ar');
  assert.match(body.results[0].slug, /password/);
});

test('article API returns metadata and rendered html', async () => {
  const { status, body } = await getJson(`${kbd.url}/api/v1/articles/accounts/password-reset`);
  assert.equal(status, 200);
  assert.equal(body.slug, 'accounts/password-reset');
  for (const k of ['title', 'summary', 'product', 'category', 'lang', 'audience', 'status', 'author', 'updated', 'html'])
    assert.equal(typeof body[k], 'string', k);
  assert.ok(Array.isArray(body.faq) && body.faq.length >= 1);
  assert.match(body.html, /<(p|h2|ol)>/);
  assert.doesNotMatch(body.html, /^---/);
});

test('errors are JSON with code and message', async () => {
  const cases = [
    [`/api/v1/articles/no/such/article`, 404, 'not_found'],
    [`/api/v1/articles/../../etc/passwd`, 404, 'not_found'],
    [`/api/v1/search`, 400, 'missing_query'],
    [`/api/v1/search?q=${'a'.repeat(1025)}`, 400, 'query_too_long'],
    [`/api/v1/search?q=%FF%FE`, 400, 'bad_encoding'],
    [`/api/v1/search?q=x&page=0`, 400, 'bad_parameter'],
    [`/api/v1/search?q=x&page=abc`, 400, 'bad_parameter'],
    [`/api/v1/search?q=x&lang=fr`, 400, 'bad_parameter'],
    [`/api/v1/nope`, 404, 'not_found'],
  ];
  for (const [path, status, code] of cases) {
    const res = await fetch(kbd.url + path);
    assert.equal(res.status, status, path);
    assert.match(res.headers.get('content-type'), /application\/json/, path);
    const body = await res.json();
    assert.equal(body.error.code, code, path);
    assert.equal(typeof body.error.message, 'string');
  }
});

test('pages answer with HTML', async () => {
  for (const path of ['/', '/search?q=vpn', '/articles/accounts/password-reset', '/faq']) {
    const res = await fetch(kbd.url + path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type'), /text\/html/);
    const html = await res.text();
    assert.match(html, /<html/);
  }
});

test('the search page shows results with highlighted snippets and paging', async () => {
  const html = await (await fetch(`${kbd.url}/search?q=printer`)).text();
  assert.match(html, /<mark>[Pp]rinter/);
  assert.match(html, /href="\/articles\/printing\//);
  const page2 = await fetch(`${kbd.url}/search?q=the&page=2`);
  assert.equal(page2.status, 200);
});

test('no results page has tips', async () => {
  const res = await fetch(`${kbd.url}/search?q=zzqqxxnothing`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /No articles match/);
  assert.match(html, /href="\/faq"/);
});

test('Arabic articles are right-to-left', async () => {
  const { body } = await getJson(`${kbd.url}/api/v1/search?q=password&lang=ar`);
  const html = await (await fetch(kbd.url + body.results[0].url)).text();
  assert.match(html, /lang="ar" dir="rtl"/);
});

test('the FAQ page lists questions grouped by category', async () => {
  const html = await (await fetch(`${kbd.url}/faq`)).text();
  assert.match(html, /Accounts/);
  assert.match(html, /Network/);
  assert.ok((html.match(/class="faq-entry"/g) || []).length >= 30);
});

test('the query is escaped, never reflected as markup', async () => {
  const q = encodeURIComponent('<script>alert(1)</script>"\'');
  for (const path of [`/search?q=${q}`, `/articles/%3Cscript%3E`]) {
    const html = await (await fetch(kbd.url + path)).text();
    assert.doesNotMatch(html, /<script>alert/);
  }
  const html = await (await fetch(`${kbd.url}/search?q=${q}`)).text();
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('bad page input gives a clear 4xx page', async () => {
  for (const [path, status] of [['/search?q=x&page=-1', 400], ['/search?q=x&page=99999999', 400],
    [`/search?q=${'b'.repeat(1100)}`, 400], ['/search?q=%C3%28', 400], ['/articles/nope', 404],
    ['/articles/../etc/passwd', 404], ['/nothing-here', 404]]) {
    const res = await fetch(kbd.url + path);
    assert.equal(res.status, status, path);
    assert.match(res.headers.get('content-type'), /text\/html/, path);
    assert.match(await res.text(), /<h1/);
  }
});

test('empty search goes home', async () => {
  const res = await fetch(`${kbd.url}/search?q=`, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
});

test('other methods are refused with 405 and Allow', async () => {
  const res = await fetch(`${kbd.url}/api/v1/search?q=x`, { method: 'POST', body: 'x' });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get('allow'), 'GET, HEAD');
  const head = await fetch(`${kbd.url}/faq`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('security headers on every response', async () => {
  for (const path of ['/', '/api/v1/search?q=x', '/nope', '/static/style.css']) {
    const res = await fetch(kbd.url + path);
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp && csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  }
});

test('static files are served with their types, unknown ones 404', async () => {
  const css = await fetch(`${kbd.url}/static/style.css`);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /text\/css/);
  const js = await fetch(`${kbd.url}/static/app.js`);
  assert.match(js.headers.get('content-type'), /javascript/);
  assert.equal((await fetch(`${kbd.url}/static/../Makefile`)).status, 404);
  assert.equal((await fetch(`${kbd.url}/static/nope.css`)).status, 404);
});

function rawRequest(port, text) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('end', () => resolve(data));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(data); }, 3000);
  });
}

test('a malformed request gets 400 or is dropped, and the server keeps serving', async () => {
  const port = new URL(kbd.url).port;
  assert.match(await rawRequest(port, 'GET / FOO/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.[01] 400/);
  assert.match(await rawRequest(port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'), /^HTTP\/1\.[01] 400/);
  const garbage = await rawRequest(port, 'GARBAGE\r\n\r\n');
  assert.ok(garbage === '' || /^HTTP\/1\.[01] 400/.test(garbage), garbage);
  assert.equal((await fetch(`${kbd.url}/healthz`)).status, 200);
});

test('each request is logged with method, path, status and microseconds', async () => {
  await fetch(`${kbd.url}/faq`);
  await new Promise((r) => setTimeout(r, 100));
  assert.match(kbd.logs(), /GET \/faq 200 \d+us/);
});
