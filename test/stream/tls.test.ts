import { join } from 'node:path';
import * as net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { listenStream, openStream, StreamError, type PassiveStream, type Stream } from '../../src/stream/index.js';
import { FIXTURES_DIR } from '../support/fixtures.js';
import { closed, readBytes, rejectionOf, settle, socketHandles, tlsFixture, trustCa, serverTls } from './helpers.js';

/** A pssl listener on loopback serving `cert`; collects the errors it reports. */
async function tlsServer(cert = 'server', extra: Record<string, unknown> = {}): Promise<{ l: PassiveStream; errors: StreamError[]; url: string }> {
  const l = await listenStream('pssl:0:127.0.0.1', {
    tls: { cert: tlsFixture(`${cert}.crt`), key: tlsFixture(`${cert}.key`), ...extra },
  });
  const errors: StreamError[] = [];
  l.on('error', (e) => errors.push(e as StreamError));
  return { l, errors, url: `ssl:127.0.0.1:${l.address().port}` };
}

/** Waits until `cond` holds, polling on the event loop (bounded by the test timeout). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('ssl: verification succeeds', () => {
  it('against the IP SAN, bytes both ways, close, no leaked handles', async () => {
    const before = socketHandles();
    const { l, url } = await tlsServer();
    const accepted = l.accept();
    const client = await openStream(url, { tls: trustCa() });
    const { value: server } = await accepted.next();
    expect(client.kind).toBe('ssl');
    expect(client.name).toBe(url);
    expect(client.duplex).not.toBe(client.socket);
    expect((client.duplex as TLSSocket).authorized).toBe(true);
    expect(server!.kind).toBe('ssl');
    expect(server!.name).toBe(`ssl:127.0.0.1:${client.socket.localPort}`);

    client.duplex.write('hello over tls');
    expect((await readBytes(server!.duplex, 14)).toString()).toBe('hello over tls');
    server!.duplex.write('and back');
    expect((await readBytes(client.duplex, 8)).toString()).toBe('and back');

    client.destroy();
    server!.duplex.resume();
    await closed(server!.duplex);
    server!.destroy();
    await l.close();
    await settle();
    expect(socketHandles()).toEqual(before);
  });

  it('against the DNS SAN (ssl:localhost), with CA, cert and key given as file paths', async () => {
    const l = await listenStream('pssl:0:127.0.0.1', {
      tls: { cert: join(FIXTURES_DIR, 'tls/server.crt'), key: join(FIXTURES_DIR, 'tls/server.key') },
    });
    const s = await openStream({ kind: 'ssl', active: true, host: 'localhost', port: l.address().port! }, {
      tls: { ca: join(FIXTURES_DIR, 'tls/ca.crt') },
    });
    expect((s.duplex as TLSSocket).authorized).toBe(true);
    s.destroy();
    await l.close();
  });

  it('over IPv6 ([::1] is an IP SAN of the server certificate)', async () => {
    const l = await listenStream('pssl:0:[::1]', { tls: serverTls() });
    const s = await openStream(`ssl:[::1]:${l.address().port}`, { tls: trustCa() });
    expect(s.peer).toBe(`[::1]:${l.address().port}`);
    s.destroy();
    await l.close();
  });
});

describe('ssl: verification failures are typed StreamErrors naming the cause', () => {
  it.each([
    ['unknown-ca-server', {}, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['selfsigned', {}, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['expired-server', {}, 'CERT_HAS_EXPIRED'],
    ['other-host', {}, 'ERR_TLS_CERT_ALTNAME_INVALID'],
    // Our test CA is in no system store.
    ['server', { noCa: true }, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ] as const)('%s %j -> %s', async (cert, how, code) => {
    const before = socketHandles();
    const { l, errors, url } = await tlsServer(cert);
    const err = await rejectionOf(openStream(url, { tls: 'noCa' in how ? {} : trustCa() }));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.code).toBe(code);
    expect(err.message).toContain(url);
    expect(err.message).toContain(code);
    // The listener saw the client give up (an alert or a reset), reported it, and keeps serving.
    await until(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(StreamError);
    expect(['ETLS', 'ECONNRESET']).toContain(errors[0]!.code);
    const ok = await openStream(url, { tls: { ...trustCa(), rejectUnauthorized: false } });
    ok.destroy();
    await l.close();
    await settle();
    expect(socketHandles()).toEqual(before);
  });

  it('a hostname mismatch via servername on an otherwise good certificate', async () => {
    const { l, url } = await tlsServer();
    const err = await rejectionOf(openStream(url, { tls: { ...trustCa(), servername: 'other.example' } }));
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    await l.close();
  });

  it('a plain TCP peer on an ssl: target -> ETLS', async () => {
    const before = socketHandles();
    // What an OpenFlow peer without TLS does: send HELLO right away.
    const plain = net.createServer((s) => {
      s.on('error', () => {}).resume();
      s.end(Buffer.from('0400000800000001', 'hex'));
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    const port = (plain.address() as net.AddressInfo).port;
    const err = await rejectionOf(openStream(`ssl:127.0.0.1:${port}`, { tls: trustCa() }));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.code).toBe('ETLS');
    expect(err.message).toMatch(/TLS handshake failed/);
    expect(((err as Error).cause as { code: string }).code).toMatch(/^ERR_SSL_/);
    await new Promise((r) => plain.close(r));
    await settle();
    expect(socketHandles()).toEqual(before);
  });

  it('a silent peer: connectTimeoutMs -> ETIMEDOUT, abort -> ABORTED, sockets destroyed', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((s) => held.push(s.on('error', () => {})));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `ssl:127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const before = socketHandles();

    const t = await rejectionOf(openStream(url, { tls: trustCa(), connectTimeoutMs: 100 }));
    expect(t.code).toBe('ETIMEDOUT');
    expect(t.message).toContain(url);

    const ac = new AbortController();
    const p = openStream(url, { tls: trustCa(), signal: ac.signal });
    await until(() => held.length === 2); // TCP is up, the TLS handshake is waiting
    ac.abort();
    expect((await rejectionOf(p)).code).toBe('ABORTED');

    await settle();
    const after = socketHandles();
    // Only the server-side sockets we hold are left.
    expect(after['TCPSocketWrap'] ?? 0).toBe((before['TCPSocketWrap'] ?? 0) + 2);
    for (const s of held) s.destroy();
    await new Promise((r) => silent.close(r));
  });
});

describe('pssl listener', () => {
  it('needs a certificate and key', async () => {
    const err = await rejectionOf(listenStream('pssl:0:127.0.0.1', { tls: { ca: tlsFixture('ca.crt') } }));
    expect(err).toBeInstanceOf(StreamError);
    expect(err.code).toBe('ETLSCONFIG');
  });

  it('reports a plain TCP client as a typed error and keeps accepting', async () => {
    const { l, errors, url } = await tlsServer();
    const raw = net.connect(l.address().port!, '127.0.0.1');
    raw.on('error', () => {});
    raw.write('GET / HTTP/1.0\r\n\r\n');
    await until(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(StreamError);
    expect(errors[0]!.code).toBe('ETLS');
    expect(errors[0]!.message).toContain(l.name);
    raw.destroy();
    const accepted = l.accept();
    const s = await openStream(url, { tls: trustCa() });
    const { value } = await accepted.next();
    expect(value!.kind).toBe('ssl');
    s.destroy();
    value!.destroy();
    await l.close();
  });

  it('without an error listener, a failed handshake is not fatal', async () => {
    const l = await listenStream('pssl:0:127.0.0.1', { tls: serverTls() });
    const url = `ssl:127.0.0.1:${l.address().port}`;
    expect((await rejectionOf(openStream(url))).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const s = await openStream(url, { tls: trustCa() });
    s.destroy();
    await l.close();
  });
});

describe('mutual TLS', () => {
  const mtls = { ca: tlsFixture('ca.crt'), requestCert: true };
  const clientCert = (name: string) => ({ ...trustCa(), cert: tlsFixture(`${name}.crt`), key: tlsFixture(`${name}.key`) });

  /** Connects and reports whether the server ever handed out a stream for it. */
  async function attempt(l: PassiveStream, url: string, tls: object): Promise<{ server?: Stream; client?: Stream; clientErr?: Error }> {
    const got: Stream[] = [];
    l.on('stream', (s) => got.push(s));
    let client: Stream | undefined;
    try {
      client = await openStream(url, { tls });
    } catch (err) {
      return { clientErr: err as Error };
    }
    const errors: Error[] = [];
    client.duplex.on('error', (e) => errors.push(e));
    client.duplex.resume();
    // Either the server accepts it, or it drops it and our side closes.
    await until(() => got.length > 0 || client!.duplex.destroyed);
    return got.length > 0 ? { server: got[0]!, client } : { client, ...(errors[0] ? { clientErr: errors[0] } : {}) };
  }

  it('a client with a certificate from the CA is accepted', async () => {
    const { l, url, errors } = await tlsServer('server', mtls);
    const r = await attempt(l, url, clientCert('client'));
    expect(r.server).toBeDefined();
    const peerCert = (r.server!.duplex as TLSSocket).getPeerCertificate();
    expect(peerCert.subject.CN).toBe('openflow-rconn-client');
    expect(errors).toEqual([]);
    r.client!.destroy();
    r.server!.destroy();
    await l.close();
  });

  it.each([
    ['no client certificate', undefined, 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE'],
    ['a client certificate from an unknown CA', 'unknown-ca-server', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['a self-signed client certificate', 'selfsigned', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])('%s is refused with a typed error', async (_what, cert, code) => {
    const { l, url, errors } = await tlsServer('server', mtls);
    const r = await attempt(l, url, cert ? clientCert(cert) : trustCa());
    expect(r.server).toBeUndefined();
    await until(() => errors.length > 0);
    expect(errors[0]).toBeInstanceOf(StreamError);
    expect(errors[0]!.code).toBe(code);
    expect(errors[0]!.message).toMatch(/rejected/);
    r.client?.destroy();
    await l.close();
  });
});
