// Hold N idle live-update streams open on a running kbd, for the bench:
//   node tests/bench/streams.mjs URL TOKEN N
// Prints "open N" once every stream has had its hello, then keeps them
// until stdin closes (or SIGTERM), and exits 1 if any stream failed.
const [url, token, nText] = process.argv.slice(2);
const n = Number(nText);
if (!url || !token || !(n > 0)) {
  console.error('usage: streams.mjs URL TOKEN N');
  process.exit(2);
}
const controller = new AbortController();
let failed = 0;

async function hold() {
  const res = await fetch(`${url}/api/v1/events/stream`, {
    headers: { Authorization: `Bearer ${token}` }, signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
  const reader = res.body.getReader();
  let text = '';
  while (!text.includes('event: hello')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream closed before its hello');
    text += new TextDecoder().decode(value);
  }
  // keep reading (pings) until aborted, so the connection stays healthy
  (async () => { try { for (;;) { const r = await reader.read(); if (r.done) break; } } catch { /* aborted */ } })();
}

const opened = await Promise.allSettled(Array.from({ length: n }, hold));
for (const r of opened) if (r.status === 'rejected') { failed++; if (failed === 1) console.error(r.reason.message); }
console.log(`open ${n - failed}`);
const stop = () => { controller.abort(); process.exit(failed ? 1 : 0); };
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.on('SIGTERM', stop);
process.stdin.resume();
