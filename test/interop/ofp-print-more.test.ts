/**
 * Open vSwitch's decoder (`ovs-ofctl ofp-print`) on the bytes we encode for every port, config,
 * group, meter, queue, async, REQUESTFORWARD and STATS/MULTIPART type, in every version 1.0-1.5
 * where it exists: no decode error, no warning, and the fields it prints are ours.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { encode, versionName } from '../../src/ofp/index.js';
import { checkPeers } from '../support/peers.js';
import { moreSamples } from '../support/more-samples.js';
import { ofpPrint } from '../support/ofp-print.js';
import { ovsExpect, ovsTypeName } from './ofp-print-expect.js';

const peers = checkPeers(['ovs-ofctl'], 'ovs-ofctl ofp-print cross-check');
peers.failUnderCi();

/**
 * OpenFlow 1.5 ofp_meter_features is 24 bytes (a `features` word was added; os-ken's
 * ofproto_v1_5 agrees); Open vSwitch 3.1 still expects the 16-byte 1.3 layout and refuses it.
 */
const OVS_DEVIATIONS = new Set(['6 MULTIPART_REPLY METER_FEATURES']);

describe.runIf(peers.ok)('ovs-ofctl ofp-print decodes what we encode', () => {
  const all = [1, 2, 3, 4, 5, 6].flatMap((v) => moreSamples(v).map((s) => ({ ...s, v })));
  let checked = 0;
  afterAll(() => console.log(`ovs-ofctl ofp-print cross-checked ${checked} messages (${all.length} samples)`));

  test.each(all.map((s) => [`${versionName(s.v)} ${s.label}`, s] as const))('%s', async (_name, s) => {
    const wire = encode(s.msg);
    const out = await ofpPrint(wire);
    if (OVS_DEVIATIONS.has(`${s.v} ${s.label}`)) {
      expect(out.text).toContain('OFPBRC_BAD_LEN');
      return;
    }
    expect(out.error, out.text + out.warnings).toBeUndefined();
    expect(out.warnings, out.text).toBe('');
    const first = out.text.split('\n')[0]!;
    expect(first).toContain(ovsTypeName(s.msg));
    expect(first).toContain(`xid=0x${s.msg.xid.toString(16)}`);
    if (s.v > 1) expect(first).toContain(`(OF1.${s.v - 1})`);
    for (const want of ovsExpect(s.msg)) expect(out.text, out.text).toContain(want);
    checked++;
  });
});
