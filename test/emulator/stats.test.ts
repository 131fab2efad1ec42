/** FEATURES_REPLY capabilities claim exactly the stats the emulator answers, in every version. */
import { describe, expect, test } from 'vitest';
import { SwitchEmulator, encode, encodeMatch, type OfpMessage } from '../../src/index.js';
import { multipart, raw } from './support.js';

// OFPC_ bit -> the stats (multipart) type it promises
const PROMISES: Array<[bit: number, statsType: number, name: string]> = [[1, 1, 'FLOW_STATS'], [2, 3, 'TABLE_STATS'], [4, 4, 'PORT_STATS'], [8, 6, 'GROUP_STATS']];

describe.each([1, 2, 3, 4, 5, 6])('OpenFlow version %i', (v) => {
  test('every capability claimed is answered, every one not claimed is refused', () => {
    const sw = new SwitchEmulator();
    const [features] = sw.answer(raw(v, 'FEATURES_REQUEST', 1, Buffer.alloc(0))) as Array<OfpMessage & { capabilities: number }>;
    for (const [bit, statsType, name] of PROMISES) {
      if (v === 1 && bit === 8) continue; // 1.0's bit 8 is STP, not group stats
      // flow and aggregate requests carry a body (match and filters); an all-wildcard one
      const all = encodeMatch(v, {});
      const body = statsType === 1 ? (v === 1 ? Buffer.concat([all, Buffer.from('ff00ffff', 'hex')]) : Buffer.concat([Buffer.from('ff000000ffffffffffffffff' + '00'.repeat(20), 'hex'), all]))
        : statsType === 4 ? Buffer.from(v === 1 ? 'ffff000000000000' : 'ffffffff00000000', 'hex')
          : statsType === 6 ? Buffer.from('fffffffc00000000', 'hex') : Buffer.alloc(0);
      const [reply] = sw.answer(multipart(v, 2, statsType, body));
      const claimed = (features!.capabilities & bit) !== 0;
      expect([name, reply!.type === 'ERROR' ? 'refused' : 'answered'], encode(reply!).toString('hex')).toEqual([name, claimed ? 'answered' : 'refused']);
    }
  });
});
