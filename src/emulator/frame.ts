/**
 * The header fields of an Ethernet frame, as the flow table matches them: Ethernet, one 802.1Q tag,
 * ARP, IPv4, IPv6 (fixed header only), TCP, UDP, SCTP, ICMPv4/v6. Never throws: a frame cut short
 * simply yields the fields it has.
 */
import { exactFields, type FieldSet } from './fields.js';

const ETH_VLAN = 0x8100;
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_ARP = 0x0806;
const OFPVID_PRESENT = 0x1000;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_SCTP = 132;
const PROTO_ICMPV6 = 58;

/**
 * Every field of `frame` arriving on `inPort`. An untagged frame has vlanVid 0 (OXM's "no VLAN")
 * and vlanPcp 0, which is what an exact 1.0 match of an untagged frame (dl_vlan 0xffff, pcp 0) says.
 */
export function frameFields(frame: Buffer, inPort: number): FieldSet {
  const v: Record<string, number | Buffer> = { inPort, inPhyPort: inPort, metadata: 0, vlanVid: 0, vlanPcp: 0 };
  if (frame.length < 14) return exactFields(v);
  v.ethDst = frame.subarray(0, 6);
  v.ethSrc = frame.subarray(6, 12);
  let type = frame.readUInt16BE(12);
  let at = 14;
  if (type === ETH_VLAN && frame.length >= 18) {
    const tci = frame.readUInt16BE(14);
    v.vlanVid = OFPVID_PRESENT | (tci & 0xfff);
    v.vlanPcp = tci >> 13;
    type = frame.readUInt16BE(16);
    at = 18;
  }
  v.ethType = type;
  if (type === ETH_ARP && frame.length >= at + 28) {
    v.arpOp = frame.readUInt16BE(at + 6);
    v.arpSha = frame.subarray(at + 8, at + 14);
    v.arpSpa = frame.subarray(at + 14, at + 18);
    v.arpTha = frame.subarray(at + 18, at + 24);
    v.arpTpa = frame.subarray(at + 24, at + 28);
  } else if (type === ETH_IPV4 && frame.length >= at + 20) {
    const ihl = (frame[at]! & 0x0f) * 4;
    v.ipDscp = frame[at + 1]! >> 2;
    v.ipEcn = frame[at + 1]! & 3;
    v.ipProto = frame[at + 9]!;
    v.ipv4Src = frame.subarray(at + 12, at + 16);
    v.ipv4Dst = frame.subarray(at + 16, at + 20);
    // Only the first fragment carries the transport header.
    if ((frame.readUInt16BE(at + 6) & 0x1fff) === 0) transport(frame, at + ihl, v.ipProto, v);
  } else if (type === ETH_IPV6 && frame.length >= at + 40) {
    const word = frame.readUInt32BE(at);
    v.ipDscp = (word >>> 22) & 0x3f;
    v.ipEcn = (word >>> 20) & 3;
    v.ipv6Flabel = word & 0xfffff;
    v.ipProto = frame[at + 6]!;
    v.ipv6Src = frame.subarray(at + 8, at + 24);
    v.ipv6Dst = frame.subarray(at + 24, at + 40);
    transport(frame, at + 40, v.ipProto, v);
  }
  return exactFields(v);
}

function transport(frame: Buffer, at: number, proto: number, v: Record<string, number | Buffer>): void {
  if (frame.length < at + 4) return;
  const src = frame.readUInt16BE(at);
  const dst = frame.readUInt16BE(at + 2);
  if (proto === PROTO_TCP) { v.tcpSrc = src; v.tcpDst = dst; }
  else if (proto === PROTO_UDP) { v.udpSrc = src; v.udpDst = dst; }
  else if (proto === PROTO_SCTP) { v.sctpSrc = src; v.sctpDst = dst; }
  else if (proto === PROTO_ICMP) { v.icmpv4Type = frame[at]!; v.icmpv4Code = frame[at + 1]!; }
  else if (proto === PROTO_ICMPV6) { v.icmpv6Type = frame[at]!; v.icmpv6Code = frame[at + 1]!; }
}
