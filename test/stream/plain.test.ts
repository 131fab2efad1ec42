import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenStream, openStream, StreamError, TargetError, type PassiveStream, type Stream } from '../../src/stream/index.js';
import { closed, readBytes, rejectionOf, settle, socketHandles, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

/** Active name for a listener, per kind. */
function activeName(kind: 'tcp' | 'unix', l: PassiveStream): string {
  return kind === 'tcp' ? `tcp:127.0.0.1:${l.address().port}` : `unix:${l.address().path}`;
}

async function exchange(client: Stream, server: Stream): Promise<void> {
  client.duplex.write('ping from client');
  expect((await readBytes(server.duplex, 16)).toString()).toBe('ping from client');
  server.duplex.write(Buffer.from([0, 1, 2, 255]));
  expect([...(await readBytes(client.duplex, 4))]).toEqual([0, 1, 2, 255]);
}

describe.each(['tcp', 'unix'] as const)('%s streams', (kind) => {
  const passiveName = (): string => (kind === 'tcp' ? 'ptcp:0:127.0.0.1' : `punix:${join(tmp.dir, 'of.sock')}`);

  it('connects, moves bytes both ways, closes, and leaks no handles', async () => {
    const before = socketHandles();
    const listener = await listenStream(passiveName());
    if (kind === 'tcp') {
      expect(listener.address().host).toBe('127.0.0.1');
      expect(listener.address().port).toBeGreaterThan(0);
      expect(listener.name).toBe('ptcp:0:127.0.0.1');
    } else {
      expect(listener.address().path).toBe(join(tmp.dir, 'of.sock'));
    }
    const accepted = listener.accept();
    const client = await openStream(activeName(kind, listener));
    const { value: server, done } = await accepted.next();
    expect(done).toBe(false);

    expect(client.kind).toBe(kind);
    expect(server!.kind).toBe(kind);
    if (kind === 'tcp') {
      expect(client.name).toBe(`tcp:127.0.0.1:${listener.address().port}`);
      expect(client.peer).toBe(`127.0.0.1:${listener.address().port}`);
      expect(server!.name).toBe(`tcp:127.0.0.1:${client.socket.localPort}`);
      expect(server!.peer).toBe(`127.0.0.1:${client.socket.localPort}`);
    } else {
      expect(client.name).toBe(`unix:${listener.address().path}`);
      expect(client.peer).toBe(listener.address().path);
      expect(server!.name).toBe(`unix:${listener.address().path}`);
    }
    expect(client.duplex).toBe(client.socket);
    await exchange(client, server!);

    // The peer sees the close.
    const serverEnded = new Promise<void>((r) => server!.duplex.once('end', () => r()));
    server!.duplex.resume();
    client.destroy();
    client.destroy(); // idempotent
    await serverEnded;
    server!.destroy();
    await Promise.all([closed(client.duplex), closed(server!.duplex)]);
    // A connection nobody took from the listener is not leaked by close().
    const untaken = await openStream(activeName(kind, listener));
    await settle();
    await listener.close();
    expect(await accepted.next()).toEqual({ value: undefined, done: true });
    untaken.destroy();
    if (kind === 'unix') expect(existsSync(listener.address().path!)).toBe(false);
    await settle();
    expect(socketHandles()).toEqual(before);
  });

  it("also delivers accepted streams as 'stream' events, in order, to several accept() loops", async () => {
    const listener = await listenStream(passiveName());
    const events: Stream[] = [];
    listener.on('stream', (s) => events.push(s));
    const clients = [await openStream(activeName(kind, listener)), await openStream(activeName(kind, listener))];
    const it1 = listener.accept();
    // Streams that arrived while only an event listener existed are not buffered for accept().
    const third = it1.next();
    clients.push(await openStream(activeName(kind, listener)));
    const { value } = await third;
    expect(events).toHaveLength(3);
    expect(value).toBe(events[2]);
    for (const s of [...clients, ...events]) s.destroy();
    await listener.close();
  });

  it('buffers accepted streams for a later accept() and ends the iterator on close', async () => {
    const listener = await listenStream(passiveName());
    const clients = [await openStream(activeName(kind, listener)), await openStream(activeName(kind, listener))];
    const got: Stream[] = [];
    const loop = (async () => {
      for await (const s of listener.accept()) {
        got.push(s);
        s.duplex.write(`#${got.length}`);
        if (got.length === 2) setImmediate(() => void listener.close());
      }
    })();
    await loop; // ends because the listener closed
    expect(got).toHaveLength(2);
    const replies = await Promise.all(clients.map((c) => readBytes(c.duplex, 2)));
    expect(replies.map(String).sort()).toEqual(['#1', '#2']);
    // Accepted streams outlive their listener.
    clients[0]!.duplex.write('still open');
    expect((await readBytes(got[0]!.duplex, 10)).toString()).toBe('still open');
    for (const s of [...clients, ...got]) s.destroy();
  });

  it('refuses a second listener on the same address with EADDRINUSE', async () => {
    const first = await listenStream(passiveName());
    const name = kind === 'tcp' ? `ptcp:${first.address().port}:127.0.0.1` : passiveName();
    const err = await rejectionOf(listenStream(name));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.code).toBe('EADDRINUSE');
    expect(err.message).toContain(name.replace(/^ptcp:/, 'ptcp:'));
    await first.close();
  });
});

describe('connection failures', () => {
  it('connection refused -> StreamError ECONNREFUSED naming the target, no handle left', async () => {
    const l = await listenStream('ptcp:0:127.0.0.1');
    const port = l.address().port!;
    await l.close();
    const before = socketHandles();
    const err = await rejectionOf(openStream(`tcp:127.0.0.1:${port}`));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.name).toBe('StreamError');
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toContain(`tcp:127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
    expect((err as StreamError).target).toBe(`tcp:127.0.0.1:${port}`);
    await settle();
    expect(socketHandles()).toEqual(before);
  });

  it('missing unix socket -> ENOENT', async () => {
    const path = join(tmp.dir, 'nobody-here.sock');
    const err = await rejectionOf(openStream(`unix:${path}`));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.code).toBe('ENOENT');
    expect(err.message).toContain(path);
  });

  it('a bad name throws TargetError at the call; a passive name is not accepted by openStream and vice versa', () => {
    expect(() => openStream('tcp:')).toThrow(TargetError);
    expect(() => openStream('ptcp:0')).toThrow(/active target/);
    expect(() => listenStream('tcp:127.0.0.1:1')).toThrow(TargetError);
    expect(() => listenStream('tcp:127.0.0.1:1')).toThrow(/passive target/);
  });

  it('ptcp without a host listens on every IPv4 address, like OVS', async () => {
    const l = await listenStream('ptcp:0');
    expect(l.address().host).toBe('0.0.0.0');
    const s = await openStream(`tcp:127.0.0.1:${l.address().port}`);
    s.destroy();
    await l.close();
  });

  it('accepts a parsed Target object', async () => {
    const l = await listenStream({ kind: 'tcp', active: false, host: '127.0.0.1', port: 0 });
    const s = await openStream({ kind: 'tcp', active: true, host: '127.0.0.1', port: l.address().port! });
    expect(s.name).toBe(`tcp:127.0.0.1:${l.address().port}`);
    s.destroy();
    await l.close();
  });
});

describe('abort', () => {
  it('an already aborted signal rejects with ABORTED without connecting', async () => {
    const before = socketHandles();
    const ac = new AbortController();
    ac.abort();
    const err = await rejectionOf(openStream('tcp:127.0.0.1:9', { signal: ac.signal }));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.code).toBe('ABORTED');
    await settle();
    expect(socketHandles()).toEqual(before);
  });

  it('aborting while the connect is in flight destroys the socket', async () => {
    const before = socketHandles();
    const l = await listenStream('ptcp:0:127.0.0.1');
    const ac = new AbortController();
    const p = openStream(`tcp:127.0.0.1:${l.address().port}`, { signal: ac.signal });
    ac.abort(new Error('user gave up'));
    const err = await rejectionOf(p);
    expect(err.code).toBe('ABORTED');
    expect((err as Error).cause).toEqual(new Error('user gave up'));
    // Closing the listener also destroys a server side it accepted but nobody took.
    await l.close();
    await settle();
    expect(socketHandles()).toEqual(before);
  });
});

describe('punix socket file', () => {
  it('removes a stale socket file before binding', async () => {
    const path = join(tmp.dir, 'stale.sock');
    makeStaleSocket(path);
    expect(existsSync(path)).toBe(true);
    expect((await rejectionOf(openStream(`unix:${path}`))).code).toBe('ECONNREFUSED');
    const l = await listenStream(`punix:${path}`);
    const s = await openStream(`unix:${path}`);
    s.destroy();
    await l.close();
    expect(existsSync(path)).toBe(false);
  });

  it('will not steal a path someone listens on, nor delete a regular file', async () => {
    const live = join(tmp.dir, 'live.sock');
    const first = await listenStream(`punix:${live}`);
    const err = await rejectionOf(listenStream(`punix:${live}`));
    expect(err.code).toBe('EADDRINUSE');
    expect(err.message).toMatch(/another process is listening/);
    await first.close();

    const file = join(tmp.dir, 'not-a-socket');
    writeFileSync(file, 'precious');
    const err2 = await rejectionOf(listenStream(`punix:${file}`));
    expect(err2.code).toBe('EADDRINUSE');
    expect(err2.message).toMatch(/not a socket/);
    expect(existsSync(file)).toBe(true);
  });
});

/** Leaves a unix socket file behind with nobody listening, as a crashed server would. */
function makeStaleSocket(path: string): void {
  // A child binds and is killed before it can unlink the file.
  const r = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  if (r.error) throw r.error;
}
