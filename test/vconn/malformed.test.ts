import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { Vconn } from '../../src/vconn/index.js';
import type { OfpMessage } from '../../src/ofp/index.js';
import { RawPeer, TRANSPORTS, clientTls, rawHello, rawMessage, splitMessages, waitFor } from '../support/raw-peer.js';

let peer: RawPeer | null = null;
afterEach(async () => { await peer?.close(); peer = null; });

/** Opens a vconn and, once negotiated, collects messages until the connection closes. */
async function openAndWatch(target: string) {
  const vconn = await Vconn.open(target, { versions: [1, 4], tls: clientTls() });
  const messages: OfpMessage[] = [];
  const closed = new Promise<Error | null>((resolve) => {
    vconn.start({ message: (m) => messages.push(m), drain: () => {}, close: resolve });
  });
  return { vconn, messages, closed };
}

describe.each(TRANSPORTS)('malformed peers over %s', (transport) => {
  it('connection refused: a typed stream error', async () => {
    if (transport === 'unix') {
      await expect(Vconn.open('unix:/tmp/ofr-no-such-socket')).rejects.toMatchObject({ code: 'ENOENT' });
      return;
    }
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await expect(Vconn.open(`${transport}:127.0.0.1:${port}`, { tls: clientTls() })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('accept then close: EOF during the HELLO exchange', async () => {
    peer = await RawPeer.listen(transport, (s) => s.end());
    await expect(Vconn.open(peer.target, { tls: clientTls() })).rejects.toMatchObject({
      code: expect.stringMatching(/^(EOF|ECONNRESET)$/),
    });
  });

  it('an ECHO_REQUEST instead of HELLO: EPROTO, an error sent back, closed', async () => {
    peer = await RawPeer.listen(transport, (s) => s.write(rawMessage(4, 2, Buffer.from('hi'))));
    await expect(Vconn.open(peer.target, { tls: clientTls() })).rejects.toMatchObject({ name: 'VconnError', code: 'EPROTO' });
    await peer.socketClosed();
    expect(peer.bytes().includes(Buffer.from('expected OFPT_HELLO'))).toBe(true);
  });

  it('a HELLO with length 0: EPROTO (length < 8), closed', async () => {
    peer = await RawPeer.listen(transport, (s) => s.write(rawMessage(4, 0, Buffer.alloc(0), 1, 0)));
    await expect(Vconn.open(peer.target, { tls: clientTls() })).rejects.toMatchObject({ code: 'EPROTO' });
    await peer.socketClosed();
  });

  it('a HELLO with version 0: EPROTO, closed', async () => {
    peer = await RawPeer.listen(transport, (s) => s.write(rawHello(0)));
    await expect(Vconn.open(peer.target, { tls: clientTls() })).rejects.toMatchObject({ code: 'EPROTO' });
    await peer.socketClosed();
  });

  it('a length field < 8 later in the stream: EPROTO after the good messages, closed', async () => {
    peer = await RawPeer.listen(transport, (s) => {
      s.write(rawHello(4));
      setTimeout(() => s.write(Buffer.concat([rawMessage(4, 20, Buffer.alloc(0), 5), rawMessage(4, 2, Buffer.alloc(0), 6, 4)])), 20);
    });
    const { messages, closed } = await openAndWatch(peer.target);
    const err = await closed;
    expect(err).toMatchObject({ name: 'VconnError', code: 'EPROTO' });
    expect(messages.map((m) => m.type)).toEqual(['BARRIER_REQUEST']);
    await peer.socketClosed();
    // BAD_REQUEST/BAD_LEN back, with the offending header as data and its xid (OpenFlow 1.3 7.4.4).
    const error = splitMessages(peer.bytes()).find((m) => m[1] === 1)!;
    expect(error.readUInt32BE(4)).toBe(6);
    expect([error.readUInt16BE(8), error.readUInt16BE(10)]).toEqual([1, 6]);
    expect(error.subarray(12)).toEqual(rawMessage(4, 2, Buffer.alloc(0), 6, 4));
  });

  it('a length field < 8 in the same segment as the HELLO: the good message before it is still delivered at start()', async () => {
    peer = await RawPeer.listen(transport, (s) => {
      s.write(Buffer.concat([rawHello(4), rawMessage(4, 20, Buffer.alloc(0), 5), rawMessage(4, 2, Buffer.alloc(0), 6, 4)]));
    });
    const { messages, closed } = await openAndWatch(peer.target);
    expect(await closed).toMatchObject({ name: 'VconnError', code: 'EPROTO' });
    expect(messages.map((m) => m.type)).toEqual(['BARRIER_REQUEST']);
  });

  it('EOF in the middle of a message: ETRUNCATED', async () => {
    peer = await RawPeer.listen(transport, (s) => {
      s.write(rawHello(4));
      setTimeout(() => s.end(rawMessage(4, 20, Buffer.alloc(0), 5, 64).subarray(0, 20)), 20);
    });
    const { closed } = await openAndWatch(peer.target);
    expect(await closed).toMatchObject({ code: 'ETRUNCATED' });
  });

  it('EOF between messages after negotiation: a clean EOF', async () => {
    peer = await RawPeer.listen(transport, (s) => {
      s.write(rawHello(4));
      setTimeout(() => s.end(), 20);
    });
    const { closed } = await openAndWatch(peer.target);
    expect(await closed).toMatchObject({ code: 'EOF' });
  });

  it('a message of another version after negotiation: BAD_REQUEST/BAD_VERSION back, not delivered', async () => {
    peer = await RawPeer.listen(transport, (s) => {
      s.write(rawHello(4));
      setTimeout(() => s.write(Buffer.concat([rawMessage(1, 18, Buffer.alloc(0), 77), rawMessage(4, 20, Buffer.alloc(0), 78)])), 20);
    });
    const { vconn, messages } = await openAndWatch(peer.target);
    await waitFor(() => messages.length > 0, 5000, 'the barrier');
    expect(messages.map((m) => m.xid)).toEqual([78]);
    // ERROR type 1, BAD_REQUEST (1) / BAD_VERSION (0), same xid as the offending message.
    await waitFor(() => peer!.bytes().length > 8 + 12, 5000, 'the error reply');
    const error = splitMessages(peer.bytes()).find((m) => m[1] === 1)!;
    // Like Open vSwitch, the reply speaks the offending message's version.
    expect(error[0]).toBe(1);
    expect(error.readUInt32BE(4)).toBe(77);
    expect(error.readUInt16BE(8)).toBe(1);
    expect(error.readUInt16BE(10)).toBe(0);
    await vconn.close();
  });
});
