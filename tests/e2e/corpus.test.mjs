// Real-world Markdown: index a slice of the shared Microsoft corpus (DocFX
// includes, alerts, image lines, foreign front matter) and find a known article.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CORPUS, startKbd, getJson } from './helpers.mjs';

const SLICE = path.join(CORPUS, 'ms-officedocs-support');

test('a slice of the shared corpus indexes and a known article is found', { skip: !existsSync(SLICE) && 'no shared corpus' }, async () => {
  const kbd = await startKbd({ articles: SLICE }).catch((e) => { throw e; });
  try {
    const { body } = await getJson(`${kbd.url}/api/v1/search?q=${encodeURIComponent('shared mailbox not automapped outlook profile')}&per_page=5`);
    const slugs = body.results.map((r) => r.slug);
    assert.ok(slugs.includes('Outlook/Client/profiles-and-accounts/full-access-mailbox-not-automapped-outlook-profile'), slugs.join('\n'));
    for (const r of body.results) {
      assert.doesNotMatch(r.snippet, /\[!(NOTE|INCLUDE|TIP|IMPORTANT|WARNING)|:::image/);
    }
    const fragment = await getJson(`${kbd.url}/api/v1/search?q=includes&per_page=50`);
    for (const r of fragment.body.results) assert.doesNotMatch(r.slug, /(^|\/)includes\//);
    const art = await getJson(`${kbd.url}/api/v1/articles/Outlook/Client/profiles-and-accounts/full-access-mailbox-not-automapped-outlook-profile`);
    assert.equal(art.status, 200);
    assert.doesNotMatch(art.body.html, /\[!NOTE\]|:::image|\[!INCLUDE/);
  } finally {
    await kbd.stop();
  }
});
