/**
 * The version-neutral match: one object whatever the OpenFlow version, encoded as the 1.0
 * `ofp_match`, the 1.1 standard match or OXM TLVs (1.2+). A key that is absent is wildcarded.
 *
 * Values: ports and small fields are numbers, 64-bit fields bigints, addresses the strings people
 * write ('10.0.0.0/8', '10.0.0.1/255.0.0.0', 'aa:bb:cc:dd:ee:ff/ff:ff:ff:00:00:00', '2001:db8::/32').
 * A masked numeric field is `{ value, mask }` (OXM semantics: a 1 bit in the mask is matched).
 * `vlanVid` follows OXM: 0x1000 | vid for a tagged frame, 0 for "no VLAN", { value: 0x1000, mask:
 * 0x1000 } for "any VLAN"; 1.0/1.1 encoders translate.
 */
import type { Buffer } from 'node:buffer';

export type MaskedNumber = number | { value: number; mask: number };
export type MaskedBigint = bigint | { value: bigint; mask: bigint };

/** An OXM TLV kept as bytes: other classes (NXM, experimenter), unknown fields, odd lengths. */
export interface OxmTlv {
  oxmClass: number;
  field: number;
  hasMask: boolean;
  /** Everything after the 4-byte TLV header (for class 0xffff, the experimenter id first). */
  body: Buffer;
}

export interface Match {
  inPort?: number;
  inPhyPort?: number;
  metadata?: MaskedBigint;
  ethDst?: string;
  ethSrc?: string;
  ethType?: number;
  vlanVid?: MaskedNumber;
  vlanPcp?: number;
  ipDscp?: number;
  ipEcn?: number;
  ipProto?: number;
  ipv4Src?: string;
  ipv4Dst?: string;
  tcpSrc?: number;
  tcpDst?: number;
  udpSrc?: number;
  udpDst?: number;
  sctpSrc?: number;
  sctpDst?: number;
  icmpv4Type?: number;
  icmpv4Code?: number;
  arpOp?: number;
  arpSpa?: string;
  arpTpa?: string;
  arpSha?: string;
  arpTha?: string;
  ipv6Src?: string;
  ipv6Dst?: string;
  ipv6Flabel?: MaskedNumber;
  icmpv6Type?: number;
  icmpv6Code?: number;
  ipv6NdTarget?: string;
  ipv6NdSll?: string;
  ipv6NdTll?: string;
  mplsLabel?: number;
  mplsTc?: number;
  mplsBos?: number;
  pbbIsid?: MaskedNumber;
  tunnelId?: MaskedBigint;
  ipv6Exthdr?: MaskedNumber;
  pbbUca?: number;
  tcpFlags?: MaskedNumber;
  actsetOutput?: number;
  packetType?: number;
  /** OXM TLVs not typed above, in wire order (where this key stands among the others). */
  oxm?: OxmTlv[];
}

export type MatchField = Exclude<keyof Match, 'oxm'>;
