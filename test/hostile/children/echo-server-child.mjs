// A server under an echo flood, in a fresh process of its own so that what its RSS grows by is
// not paid (or pre-paid) by another measurement in the same process.
// argv: <dist/index.js | 'bare'> <budget bytes>. Run with --expose-gc.
//   'bare': the same work as a controller's automatic echo replies, done by a plain Node `net`
//   server with no library: frames by the length field, answers HELLO with HELLO and each
//   ECHO_REQUEST with a copy of it (type ECHO_REPLY), and stops reading while a socket holds more
//   than the budget unsent. What RSS costs it is what any Node program pays for the flood.
// stdout: JSON lines: {ev:'listening', port}, then one {ev:'cost', ...} per 'measure'.
// stdin lines: 'mark' (GC, start from here), 'measure' (GC, report what grew since 'mark').
import * as net from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [target, budgetArg] = process.argv.slice(2);
const budget = Number(budgetArg);
const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

function bareServer() {
  const hello = Buffer.from([4, 0, 0, 8, 0, 0, 0, 1]);
  return net.createServer((s) => {
    s.on('error', () => {});
    // A message split across reads is assembled in a buffer of its own, as any framer must; a
    // header cut in two is rare enough to join by concatenation.
    let partial;
    let fill = 0;
    let tail;
    const handle = (msg) => {
      if (msg[1] === 0) s.write(hello);
      if (msg[1] !== 2) return;
      const reply = Buffer.from(msg);
      reply[1] = 3;
      s.write(reply);
    };
    s.on('data', (data) => {
      const chunk = tail ? Buffer.concat([tail, data]) : data;
      tail = undefined;
      let pos = 0;
      if (partial) {
        const n = Math.min(partial.length - fill, chunk.length);
        chunk.copy(partial, fill, 0, n);
        fill += n;
        pos = n;
        if (fill < partial.length) return;
        handle(partial);
        partial = undefined;
      }
      while (chunk.length - pos >= 8) {
        const len = chunk.readUInt16BE(pos + 2);
        if (len < 8) return void s.destroy();
        if (chunk.length - pos < len) break;
        handle(chunk.subarray(pos, pos + len));
        pos += len;
      }
      const rest = chunk.subarray(pos);
      if (rest.length > 0 && rest.length < 8) tail = Buffer.from(rest);
      else if (rest.length > 0) {
        partial = Buffer.allocUnsafe(rest.readUInt16BE(2));
        fill = rest.copy(partial);
      }
      if (s.writableLength > budget) {
        s.pause();
        s.once('drain', () => s.resume());
      }
    });
  });
}

let port;
let backlog = () => 0;
if (target === 'bare') {
  const server = bareServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  port = server.address().port;
} else {
  const { listen } = await import(pathToFileURL(target).href);
  const listener = await listen('ptcp:0:127.0.0.1', { probeInterval: 0, sendBudget: budget });
  listener.on('error', () => {});
  port = listener.address().port;
  backlog = () => Math.max(0, ...[...listener.connections].map((r) => r.status().sendBacklog));
}

let mem0 = process.memoryUsage();
let rssPeak = 0;
let maxBacklog = 0;
setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  maxBacklog = Math.max(maxBacklog, backlog());
}, 20).unref();
createInterface({ input: process.stdin }).on('line', (line) => {
  // Twice: buffers freed by the first collection release their memory in the second.
  globalThis.gc();
  globalThis.gc();
  const mem = process.memoryUsage();
  if (line === 'mark') {
    mem0 = mem;
    rssPeak = mem.rss;
    maxBacklog = 0;
    say({ ev: 'marked' });
  } else if (line === 'measure') {
    say({
      ev: 'cost',
      rssPeak: Math.max(rssPeak, mem.rss) - mem0.rss,
      rssAfterGc: mem.rss - mem0.rss,
      retained: mem.heapUsed + mem.external - mem0.heapUsed - mem0.external,
      maxBacklog,
    });
  }
});
process.stdin.on('end', () => process.exit(0));
say({ ev: 'listening', port });
