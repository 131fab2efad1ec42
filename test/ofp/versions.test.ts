import { describe, expect, it } from 'vitest';
import {
  ALL_VERSIONS, OFP10, OFP11, OFP12, OFP13, OFP14, OFP15, OfpError, parseVersion, parseVersionList, typeCode,
  typeName, versionName,
} from '../../src/ofp/index.js';

describe('versions', () => {
  it('constants and names', () => {
    expect([OFP10, OFP11, OFP12, OFP13, OFP14, OFP15]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ALL_VERSIONS).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Object.isFrozen(ALL_VERSIONS)).toBe(true);
    expect(ALL_VERSIONS.map(versionName)).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5']);
    expect(versionName(7)).toBe('0x07');
    expect(versionName(0)).toBe('0x00');
  });

  it('parseVersion accepts the usual spellings', () => {
    expect(['1.0', '1.3', 'OpenFlow13', 'openflow15', 'OF10', '0x04', '0x4', '4', ' 1.1 '].map(parseVersion))
      .toEqual([1, 4, 4, 6, 1, 4, 4, 4, 2]);
  });

  it('parseVersion rejects anything else with BAD_VERSION_NAME', () => {
    for (const s of ['', '1.6', '0', '7', '0x07', 'OpenFlow16', 'x', '1.', '2.0']) {
      expect(() => parseVersion(s), s).toThrow(OfpError);
      expect(() => parseVersion(s), s).toThrow(expect.objectContaining({ code: 'BAD_VERSION_NAME' }));
    }
  });

  it('parseVersionList sorts and removes duplicates', () => {
    expect(parseVersionList('1.3,1.0')).toEqual([1, 4]);
    expect(parseVersionList('OpenFlow13, 0x04,1.5')).toEqual([4, 6]);
    expect(() => parseVersionList('')).toThrow(expect.objectContaining({ code: 'BAD_VERSION_NAME' }));
    expect(() => parseVersionList('1.0,9')).toThrow(expect.objectContaining({ code: 'BAD_VERSION_NAME' }));
  });
});

describe('type tables', () => {
  it('numbers that differ between versions', () => {
    expect(typeCode(1, 'BARRIER_REQUEST')).toBe(18);
    expect(typeCode(1, 'BARRIER_REPLY')).toBe(19);
    for (const v of [2, 3, 4, 5, 6]) expect([typeCode(v, 'BARRIER_REQUEST'), typeCode(v, 'BARRIER_REPLY')]).toEqual([20, 21]);
    expect([typeCode(1, 'VENDOR'), typeCode(1, 'EXPERIMENTER'), typeCode(2, 'EXPERIMENTER'), typeCode(2, 'VENDOR')])
      .toEqual([4, undefined, 4, undefined]);
    expect([typeCode(1, 'PORT_MOD'), typeCode(2, 'PORT_MOD'), typeCode(2, 'GROUP_MOD'), typeCode(1, 'GROUP_MOD')])
      .toEqual([15, 16, 15, undefined]);
    expect([typeCode(3, 'STATS_REQUEST'), typeCode(4, 'STATS_REQUEST'), typeCode(4, 'MULTIPART_REQUEST')])
      .toEqual([18, undefined, 18]);
    expect([typeCode(1, 'QUEUE_GET_CONFIG_REQUEST'), typeCode(2, 'QUEUE_GET_CONFIG_REQUEST'),
      typeCode(4, 'QUEUE_GET_CONFIG_REPLY'), typeCode(5, 'QUEUE_GET_CONFIG_REQUEST')]).toEqual([20, 22, 23, undefined]);
    expect([typeCode(2, 'ROLE_REQUEST'), typeCode(3, 'ROLE_REQUEST'), typeCode(3, 'ROLE_REPLY')]).toEqual([undefined, 24, 25]);
  });

  it('types added in 1.3, 1.4 and 1.5', () => {
    expect(['GET_ASYNC_REQUEST', 'GET_ASYNC_REPLY', 'SET_ASYNC', 'METER_MOD'].map((n) => typeCode(4, n))).toEqual([26, 27, 28, 29]);
    expect(typeCode(3, 'METER_MOD')).toBeUndefined();
    expect(['ROLE_STATUS', 'TABLE_STATUS', 'REQUESTFORWARD', 'BUNDLE_CONTROL', 'BUNDLE_ADD_MESSAGE'].map((n) => typeCode(5, n)))
      .toEqual([30, 31, 32, 33, 34]);
    expect(typeCode(4, 'ROLE_STATUS')).toBeUndefined();
    expect(typeCode(6, 'CONTROLLER_STATUS')).toBe(35);
    expect(typeName(6, 36)).toBeUndefined();
  });

  it('typeName and typeCode are inverse, and the first four types are the same everywhere', () => {
    for (const v of ALL_VERSIONS) {
      expect([0, 1, 2, 3].map((c) => typeName(v, c))).toEqual(['HELLO', 'ERROR', 'ECHO_REQUEST', 'ECHO_REPLY']);
      for (let c = 0; c < 256; c++) {
        const n = typeName(v, c);
        if (n !== undefined) expect(typeCode(v, n)).toBe(c);
      }
    }
    expect(typeName(0, 0)).toBeUndefined();
    expect(typeName(7, 0)).toBeUndefined();
    expect(typeCode(9, 'HELLO')).toBeUndefined();
  });
});
