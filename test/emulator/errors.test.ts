/** ERROR replies of the emulator carry the failed request's first 64 bytes, header included. */
import { describe, expect, test } from 'vitest';
import { OfpError, SwitchEmulator, decode, encode, errorReplyFor, type ErrorMessage } from '../../src/index.js';

describe('SwitchEmulator error replies', () => {
  test('a STATS_REQUEST too short for its type never reaches the emulator: the reply the vconn sends is BAD_REQUEST/BAD_LEN with the whole request', () => {
    const request = Buffer.from('011000090000000907', 'hex');
    let err: unknown;
    try { decode(request); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(OfpError);
    const reply = errorReplyFor(err as OfpError, request, 1);
    expect(reply).toMatchObject({ type: 'ERROR', xid: 9, errorTypeName: 'BAD_REQUEST', codeName: 'BAD_LEN' });
    expect(reply.data).toEqual(request);
    expect(encode(reply).toString('hex')).toBe('0101001500000009000100060110000900000009' + '07');
  });

  test('a long unsupported request: the first 64 bytes exactly', () => {
    const request = Buffer.alloc(200);
    Buffer.from('04120000', 'hex').copy(request);
    request.writeUInt16BE(200, 2);
    request.writeUInt32BE(77, 4);
    request.writeUInt16BE(0xfff0, 8); // a multipart type nobody defines
    const reply = new SwitchEmulator().reply(decode(request)) as ErrorMessage;
    expect(reply).toMatchObject({ xid: 77, codeName: 'BAD_MULTIPART' });
    expect(reply.data).toEqual(request.subarray(0, 64));
  });
});
