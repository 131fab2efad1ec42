/**
 * A connection that the peer's bytes end before the owner calls start(): the messages that came
 * before the bad bytes are still delivered, in order, and then the close with its error.
 */
import { describe, expect, it } from 'vitest';
import { Vconn } from '../../src/vconn/index.js';
import type { OfpMessage } from '../../src/ofp/index.js';
import { RawPeer, rawHello, rawMessage } from '../support/raw-peer.js';

describe('Vconn.start() after the connection already failed', () => {
  it('delivers what arrived before the bad length, then closes with EPROTO', async () => {
    // HELLO, a BARRIER_REQUEST and a length < 8 in one write: all of it may be read before start().
    const peer = await RawPeer.listen('tcp', (s) => s.write(Buffer.concat([
      rawHello(4), rawMessage(4, 20, Buffer.alloc(0), 5), rawMessage(4, 2, Buffer.alloc(0), 6, 4),
    ])));
    try {
      const vconn = await Vconn.open(peer.target, { versions: [4] });
      // Let the chunk after the HELLO be read and fail the connection before we start it.
      await new Promise((r) => setTimeout(r, 50));
      const messages: OfpMessage[] = [];
      const closed = new Promise<Error | null>((resolve) => {
        vconn.start({ message: (m) => messages.push(m), drain() {}, close: resolve });
      });
      expect(await closed).toMatchObject({ name: 'VconnError', code: 'EPROTO' });
      expect(messages.map((m) => [m.type, m.xid])).toEqual([['BARRIER_REQUEST', 5]]);
    } finally {
      await peer.close();
    }
  });
});
