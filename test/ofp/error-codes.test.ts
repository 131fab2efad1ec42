import { describe, expect, it } from 'vitest';
import {
  ALL_VERSIONS, OfpError, decode, encode, errorCodeName, errorText, errorTypeName, makeError,
} from '../../src/ofp/index.js';

describe('error type/code names', () => {
  it('the errors a connection sends have the same numbers in every version', () => {
    for (const v of ALL_VERSIONS) {
      expect(makeError(v, 1, 'HELLO_FAILED', 'INCOMPATIBLE')).toMatchObject({ errorType: 0, code: 0 });
      expect(makeError(v, 1, 'HELLO_FAILED', 'EPERM')).toMatchObject({ errorType: 0, code: 1 });
      expect(makeError(v, 1, 'BAD_REQUEST', 'BAD_VERSION')).toMatchObject({ errorType: 1, code: 0 });
      expect(makeError(v, 1, 'BAD_REQUEST', 'BAD_TYPE')).toMatchObject({ errorType: 1, code: 1 });
      expect(makeError(v, 1, 'BAD_REQUEST', 'BAD_LEN')).toMatchObject({ errorType: 1, code: 6 });
    }
  });

  it('types renumbered in 1.1 and names that changed', () => {
    expect([errorTypeName(1, 3), errorTypeName(2, 3), errorTypeName(2, 5), errorTypeName(1, 5)])
      .toEqual(['FLOW_MOD_FAILED', 'BAD_INSTRUCTION', 'FLOW_MOD_FAILED', 'QUEUE_OP_FAILED']);
    expect([errorCodeName(1, 1, 3), errorCodeName(2, 1, 3)]).toEqual(['BAD_VENDOR', 'BAD_EXPERIMENTER']);
    expect([errorCodeName(3, 1, 2), errorCodeName(4, 1, 2)]).toEqual(['BAD_STAT', 'BAD_MULTIPART']);
    expect([errorTypeName(3, 11), errorTypeName(2, 11)]).toEqual(['ROLE_REQUEST_FAILED', 'UNKNOWN_11']);
    expect([errorTypeName(4, 12), errorTypeName(5, 14), errorTypeName(5, 17), errorTypeName(4, 17)])
      .toEqual(['METER_MOD_FAILED', 'BAD_PROPERTY', 'BUNDLE_FAILED', 'UNKNOWN_17']);
    expect([errorTypeName(3, 0xffff), errorTypeName(2, 0xffff)]).toEqual(['EXPERIMENTER', 'UNKNOWN_65535']);
    expect(errorCodeName(4, 1, 200)).toBe('UNKNOWN_200');
    expect(errorCodeName(6, 6, 16)).toBe('BUCKET_EXISTS');
  });

  it('makeError accepts numbers and UNKNOWN_<n>, and rejects names the version lacks', () => {
    expect(makeError(1, 1, 9, 'UNKNOWN_3')).toMatchObject({ errorType: 9, code: 3, errorTypeName: 'UNKNOWN_9', codeName: 'UNKNOWN_3' });
    expect(makeError(4, 1, 'METER_MOD_FAILED', 2)).toMatchObject({ errorType: 12, code: 2, codeName: 'INVALID_METER' });
    expect(() => makeError(1, 1, 'METER_MOD_FAILED', 'UNKNOWN')).toThrow(expect.objectContaining({ code: 'UNKNOWN_ERROR_NAME' }));
    expect(() => makeError(4, 1, 'BAD_REQUEST', 'NOPE')).toThrow(OfpError);
  });

  it('errorText: ASCII for HELLO_FAILED, a hex dump otherwise', () => {
    const hello = decode(encode(makeError(4, 1, 'HELLO_FAILED', 'INCOMPATIBLE', Buffer.from('we support 1.3\0'))));
    if (hello.type !== 'ERROR') throw new Error('type');
    expect(errorText(hello)).toBe('we support 1.3');
    const data = Buffer.from(Array.from({ length: 20 }, (_, i) => i));
    expect(errorText(makeError(4, 1, 'BAD_REQUEST', 'BAD_TYPE', data)))
      .toBe('00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f\n00000010  10 11 12 13');
  });
});

describe('OfpError', () => {
  it('has a stable name and code, and resolves OpenFlow error names', () => {
    const e = new OfpError('BAD_VERSION', 'text', 'BAD_REQUEST', 'BAD_VERSION', 4);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message]).toEqual(['OfpError', 'BAD_VERSION', 'text']);
    expect(e.ofpError).toEqual({ type: 1, code: 0 });
    expect(new OfpError('X', 'y', { type: 3, code: 4 }).ofpError).toEqual({ type: 3, code: 4 });
    expect(new OfpError('X', 'y').ofpError).toBeUndefined();
    expect(new OfpError('X', 'y', 'NO_SUCH', 'THING').ofpError).toBeUndefined();
  });
});
