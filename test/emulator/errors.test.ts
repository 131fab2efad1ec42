/**
 * ERROR replies of the switch side carry the failed request's first 64 bytes, header included, so a
 * controller can tell which request failed (os-ken complains when they do not).
 */
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { SwitchEmulator, decode, encode, listen, serveSwitch, type ErrorMessage } from '../../src/index.js';
import { multipart } from './support.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Sends HELLO (1.0) then `request` to a listening emulator over TCP; resolves with the first ERROR. */
async function errorFor(request: Buffer): Promise<Buffer> {
  const server = await listen('ptcp:0:127.0.0.1', { versions: [1] });
  cleanups.push(() => server.close());
  server.on('rconn', (rconn) => serveSwitch(rconn, new SwitchEmulator()));
  const sock = net.connect(server.address().port!, '127.0.0.1');
  cleanups.push(() => sock.destroy());
  sock.write(Buffer.concat([Buffer.from('0100000800000001', 'hex'), request]));
  let buf = Buffer.alloc(0);
  return new Promise((resolve) => {
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (let at = 0; at + 8 <= buf.length;) {
        const len = buf.readUInt16BE(at + 2);
        if (at + len > buf.length) break;
        if (buf[at + 1] === 1) resolve(buf.subarray(at, at + len));
        at += len;
      }
    });
  });
}

describe('ERROR replies of the switch side', () => {
  test('a STATS_REQUEST too short for its type: BAD_REQUEST/BAD_LEN whose data is the whole request', async () => {
    const request = Buffer.from('011000090000000907', 'hex');
    const reply = await errorFor(request);
    expect(reply.toString('hex')).toBe('0101001500000009' + '00010006' + '011000090000000907');
  });

  test('an unsupported multipart type: the first 64 bytes exactly', async () => {
    const request = encode(multipart(1, 77, 0xfff0, Buffer.alloc(200)));
    const reply = decode(await errorFor(request)) as ErrorMessage;
    expect(reply).toMatchObject({ xid: 77, errorTypeName: 'BAD_REQUEST' });
    expect(reply.data).toEqual(request.subarray(0, 64));
  });
});
