// Connection limits over real sockets: --max-per-address holds across all
// the worker threads, and a freed place is given again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startKbd } from './helpers.mjs';

let kbd, port;
before(async () => {
  kbd = await startKbd({ extraArgs: ['--threads', '2', '--max-per-address', '4'] });
  port = Number(new URL(kbd.url).port);
});
after(async () => { assert.equal(await kbd.stop(), 0, 'kbd exits cleanly on SIGTERM'); });

// Open a keep-alive connection from 127.0.0.2 (an address of its own: the
// test runner's fetch keeps connections open from 127.0.0.1) and make one
// request on it. Resolves to { socket, head } where head is the status
// line, or '' if the server closed the connection without answering.
function openAndAsk() {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    let data = '';
    const done = (head) => { clearTimeout(timer); resolve({ socket, head }); };
    const timer = setTimeout(() => done(data.split('\r\n')[0]), 3000);
    socket.on('data', (d) => {
      data += d;
      if (data.includes('\r\n\r\n')) done(data.split('\r\n')[0]);
    });
    socket.on('error', () => done(''));
    socket.on('end', () => done(data.split('\r\n')[0]));
  });
}

test('--max-per-address is one limit over all worker threads', async () => {
  const held = [];
  for (let i = 0; i < 4; i++) {
    const c = await openAndAsk();
    assert.match(c.head, /^HTTP\/1\.1 200/, `connection ${i + 1} of 4 is served`);
    held.push(c.socket);
  }
  const fifth = await openAndAsk();
  assert.equal(fifth.head, '', 'a fifth connection from the same address is refused');
  fifth.socket.destroy();

  held.pop().destroy();
  await new Promise((r) => setTimeout(r, 300));
  const again = await openAndAsk();
  assert.match(again.head, /^HTTP\/1\.1 200/, 'a freed place is given again');
  again.socket.destroy();
  for (const s of held) s.destroy();
});

test('the server keeps serving after refusing connections', async () => {
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await fetch(`${kbd.url}/healthz`)).status, 200);
});

// libmicrohttpd 0.9.75's epoll loop left connections unserved once a
// worker had more than about 128 busy ones: their requests sat unread
// until the idle timeout. Every one of 256 connections on one worker, each
// asking again as soon as it is answered, must be served.
test('a worker with 256 busy connections serves every one of them', async () => {
  const one = await startKbd({ extraArgs: ['--threads', '1', '--public-articles'] });
  const onePort = Number(new URL(one.url).port);
  const N = 256, ROUNDS = 5;
  const ask = 'GET /api/v1/search?q=password+reset HTTP/1.1\r\nHost: x\r\n\r\n';
  const answered = new Array(N).fill(0);
  const sockets = [];
  await new Promise((resolve) => {
    const deadline = setTimeout(resolve, 20000);	// starved ones never finish
    let finished = 0;
    for (let i = 0; i < N; i++) {
      const s = net.connect({ port: onePort, host: '127.0.0.1' }, () => s.write(ask));
      let data = Buffer.alloc(0);
      s.on('data', (d) => {
        data = Buffer.concat([data, d]);
        for (;;) {
          const end = data.indexOf('\r\n\r\n');
          if (end < 0) break;
          const m = /content-length:\s*(\d+)/i.exec(data.subarray(0, end).toString());
          const size = end + 4 + (m ? Number(m[1]) : 0);
          if (data.length < size) break;
          data = data.subarray(size);
          if (++answered[i] < ROUNDS) s.write(ask);
          else if (++finished === N) { clearTimeout(deadline); resolve(); }
        }
      });
      s.on('error', () => {});
      sockets.push(s);
    }
  });
  for (const s of sockets) s.destroy();
  assert.equal(await one.stop(), 0, 'kbd exits cleanly on SIGTERM');
  const starved = answered.filter((n) => n === 0).length;
  assert.equal(starved, 0, `${starved} of ${N} connections were never answered`);
  assert.ok(answered.every((n) => n === ROUNDS), `each answered ${ROUNDS} times`);
});
