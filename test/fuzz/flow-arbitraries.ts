/**
 * fast-check generators of matches, actions, instructions and the flow messages (PACKET_IN,
 * PACKET_OUT, FLOW_MOD, FLOW_REMOVED) of every version, in the canonical form decode() gives:
 * decode(encode(m)) must deep-equal m.
 */
import fc from 'fast-check';
import {
  OFP10, OFP11, OFP12, OFP13, OFP14, OFP15, OXM_FIELDS, type Action, type Instruction, type Match, type OxmField,
} from '../../src/ofp/index.js';
import { formatAddr } from '../../src/ofp/addr.js';

type Fields = Record<string, unknown>;

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bytes = (max: number, min = 0): fc.Arbitrary<Buffer> => fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
const nonZeroPad = (n: number): fc.Arbitrary<Buffer> => bytes(n, n).filter((b) => b.some((x) => x !== 0));
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });
/** A plain object (fc.record makes null-prototype ones) without the keys whose value is undefined. */
function compact<T extends Fields>(o: T): T {
  const out: Fields = {};
  for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}
/** fc.record, as ordinary objects (fc.record makes null-prototype ones, which deep equality tells apart). */
function rec<T extends Record<string, unknown>>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(shape).map((x) => ({ ...x }) as T);
}
const isAll = (b: Buffer, x: number): boolean => b.every((y) => y === x);

// ---- matches ---------------------------------------------------------------------------------

const KIND_LEN = { mac: 6, ipv4: 4, ipv6: 16 } as const;

function oxmValue(f: OxmField): fc.Arbitrary<unknown> {
  const max = f.width === 3 ? 0xffffff : 2 ** (8 * Math.min(f.width, 4)) - 1;
  switch (f.kind) {
    case 'u64': return f.maskable ? fc.oneof(u64, rec({ value: u64, mask: u64 })) : u64;
    case 'mac': case 'ipv4': case 'ipv6': {
      const n = KIND_LEN[f.kind];
      const addr = bytes(n, n);
      const kind = f.kind;
      return f.maskable
        ? fc.tuple(addr, fc.option(addr, { nil: undefined })).map(([v, m]) => formatAddr(kind, v, m))
        : addr.map((v) => formatAddr(kind, v));
    }
    default: {
      const n = fc.integer({ min: 0, max });
      return f.maskable ? fc.oneof(n, rec({ value: n, mask: n })) : n;
    }
  }
}

/** A TLV decode cannot type: another class, an unknown basic field, a mask where none is allowed. */
const rawTlv = fc.oneof(
  rec({ oxmClass: fc.constantFrom(0x0000, 0x0001, 0x8001), field: fc.integer({ min: 0, max: 127 }), hasMask: fc.boolean(), body: bytes(12) }),
  rec({ oxmClass: fc.constant(0x8000), field: fc.integer({ min: 45, max: 127 }), hasMask: fc.boolean(), body: bytes(12) }),
  rec({ oxmClass: fc.constant(0xffff), field: fc.integer({ min: 0, max: 127 }), hasMask: fc.boolean(), body: bytes(16, 4) }),
);

/** An OXM match of `v` (1.2+): typed fields in random order, raw TLVs together at any place. */
export function oxmMatchArb(v: number, maxFields = 6): fc.Arbitrary<Match> {
  const fields = OXM_FIELDS.filter((f) => f.since <= v);
  return fc.tuple(
    fc.shuffledSubarray(fields, { maxLength: maxFields }).chain((fs) => fc.tuple(...fs.map((f) => oxmValue(f).map((x) => [f.key, x] as const)))),
    fc.array(rawTlv, { maxLength: 2 }), fc.nat(),
  ).map(([entries, raws, at]) => {
    const list: (readonly [string, unknown])[] = [...entries];
    if (raws.length) list.splice(at % (list.length + 1), 0, ['oxm', raws]);
    return Object.fromEntries(list) as Match;
  });
}

const prefixAddr = fc.tuple(bytes(4, 4), fc.integer({ min: 1, max: 32 }))
  .map(([a, p]) => (p === 32 ? formatAddr('ipv4', a) : `${formatAddr('ipv4', a)}/${p}`));
const mac = bytes(6, 6).map((b) => formatAddr('mac', b));

/** The transport keys 1.0/1.1 decode for an IP protocol. */
function tp(proto: number | undefined): [string, string] {
  if (proto === 17) return ['udpSrc', 'udpDst'];
  if (proto === 132) return ['sctpSrc', 'sctpDst'];
  if (proto === 1) return ['icmpv4Type', 'icmpv4Code'];
  return ['tcpSrc', 'tcpDst'];
}

/** A 1.0 or 1.1 match in canonical form. */
export function legacyMatchArb(v: number): fc.Arbitrary<Match> {
  const v11 = v === OFP11;
  const addr11 = fc.tuple(bytes(4, 4), bytes(4, 4)).filter(([, m]) => !isAll(m, 0))
    .map(([a, m]) => formatAddr('ipv4', a, isAll(m, 0xff) ? undefined : m));
  const mac11 = fc.tuple(bytes(6, 6), bytes(6, 6)).filter(([, m]) => !isAll(m, 0))
    .map(([a, m]) => formatAddr('mac', a, isAll(m, 0xff) ? undefined : m));
  const vlan = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xfff }).map((x) => 0x1000 | x),
    ...(v11 ? [fc.constant({ value: 0x1000, mask: 0x1000 })] : []));
  return rec({
    inPort: maybe(v11 ? u32 : u16), ethSrc: maybe(v11 ? mac11 : mac), ethDst: maybe(v11 ? mac11 : mac), vlanVid: maybe(vlan),
    vlanPcp: maybe(u8), ethType: maybe(fc.oneof(fc.constantFrom(0x0800, 0x0806), u16)), ipDscp: maybe(fc.integer({ min: 0, max: 63 })),
    proto: maybe(fc.oneof(fc.constantFrom(1, 6, 17, 132), u8)), nwSrc: maybe(v11 ? addr11 : prefixAddr),
    nwDst: maybe(v11 ? addr11 : prefixAddr), tpSrc: maybe(u16), tpDst: maybe(u16),
    mplsLabel: maybe(u32), mplsTc: maybe(u8), metadata: maybe(fc.oneof(u64, rec({ value: u64, mask: u64 })
      .filter((m) => m.mask !== 0n && m.mask !== (1n << 64n) - 1n))),
  }).map((r) => {
    const arp = r.ethType === 0x0806;
    const m: Fields = {
      inPort: r.inPort, ethSrc: r.ethSrc, ethDst: r.ethDst, vlanVid: r.vlanVid, vlanPcp: r.vlanPcp, ethType: r.ethType,
      ipDscp: r.ipDscp, [arp ? 'arpOp' : 'ipProto']: r.proto, [arp ? 'arpSpa' : 'ipv4Src']: r.nwSrc,
      [arp ? 'arpTpa' : 'ipv4Dst']: r.nwDst,
    };
    const [src, dst] = tp(arp ? undefined : r.proto);
    m[src] = r.tpSrc;
    m[dst] = r.tpDst;
    if (v11) Object.assign(m, { mplsLabel: r.mplsLabel, mplsTc: r.mplsTc, metadata: r.metadata });
    return compact(m) as Match;
  });
}

export const matchArb = (v: number): fc.Arbitrary<Match> => (v <= OFP11 ? legacyMatchArb(v) : oxmMatchArb(v));

// ---- actions and instructions ---------------------------------------------------------------

const ACTIONS_BY_VERSION: Record<number, string[]> = {
  [OFP10]: ['OUTPUT', 'SET_VLAN_VID', 'SET_VLAN_PCP', 'STRIP_VLAN', 'SET_DL_SRC', 'SET_DL_DST', 'SET_NW_SRC', 'SET_NW_DST',
    'SET_NW_TOS', 'SET_TP_SRC', 'SET_TP_DST', 'ENQUEUE'],
  [OFP11]: ['OUTPUT', 'SET_VLAN_VID', 'SET_VLAN_PCP', 'SET_DL_SRC', 'SET_DL_DST', 'SET_NW_SRC', 'SET_NW_DST', 'SET_NW_TOS',
    'SET_NW_ECN', 'SET_TP_SRC', 'SET_TP_DST', 'COPY_TTL_OUT', 'COPY_TTL_IN', 'SET_MPLS_LABEL', 'SET_MPLS_TC', 'SET_MPLS_TTL',
    'DEC_MPLS_TTL', 'PUSH_VLAN', 'POP_VLAN', 'PUSH_MPLS', 'POP_MPLS', 'SET_QUEUE', 'GROUP', 'SET_NW_TTL', 'DEC_NW_TTL'],
};
const COMMON12 = ['OUTPUT', 'COPY_TTL_OUT', 'COPY_TTL_IN', 'SET_MPLS_TTL', 'DEC_MPLS_TTL', 'PUSH_VLAN', 'POP_VLAN', 'PUSH_MPLS',
  'POP_MPLS', 'SET_QUEUE', 'GROUP', 'SET_NW_TTL', 'DEC_NW_TTL', 'SET_FIELD'];
ACTIONS_BY_VERSION[OFP12] = COMMON12;
ACTIONS_BY_VERSION[OFP13] = [...COMMON12, 'PUSH_PBB', 'POP_PBB'];
ACTIONS_BY_VERSION[OFP14] = ACTIONS_BY_VERSION[OFP13];
ACTIONS_BY_VERSION[OFP15] = [...ACTIONS_BY_VERSION[OFP13], 'COPY_FIELD', 'METER'];

const KNOWN_CODES: Record<number, Set<number>> = {
  [OFP10]: new Set([...Array(12).keys()]), [OFP11]: new Set([...Array(25).keys()]),
  [OFP12]: new Set([0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]),
  [OFP13]: new Set([0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]),
};
KNOWN_CODES[OFP14] = KNOWN_CODES[OFP13]!;
KNOWN_CODES[OFP15] = new Set([...KNOWN_CODES[OFP13]!, 28, 29]);

function fixedAction(name: string, v: number): fc.Arbitrary<Fields> {
  const pad = (n: number) => maybe(nonZeroPad(n));
  const r = (fields: Record<string, fc.Arbitrary<unknown>>, padLen: number) =>
    rec({ ...fields, padding: padLen ? pad(padLen) : fc.constant(undefined) }).map((x) => compact({ type: name, ...x }));
  switch (name) {
    case 'OUTPUT': return v === OFP10 ? r({ port: u16, maxLen: u16 }, 0) : r({ port: u32, maxLen: u16 }, 6);
    case 'ENQUEUE': return r({ port: u16, queueId: u32 }, 6);
    case 'SET_VLAN_VID': return r({ vlanVid: u16 }, 2);
    case 'SET_VLAN_PCP': return r({ vlanPcp: u8 }, 3);
    case 'SET_DL_SRC': case 'SET_DL_DST': return r({ mac }, 6);
    case 'SET_NW_SRC': case 'SET_NW_DST': return r({ ipv4: bytes(4, 4).map((b) => formatAddr('ipv4', b)) }, 0);
    case 'SET_NW_TOS': return r({ tos: u8 }, 3);
    case 'SET_NW_ECN': return r({ ecn: u8 }, 3);
    case 'SET_TP_SRC': case 'SET_TP_DST': return r({ tpPort: u16 }, 2);
    case 'SET_MPLS_LABEL': return r({ mplsLabel: u32 }, 0);
    case 'SET_MPLS_TC': return r({ mplsTc: u8 }, 3);
    case 'SET_MPLS_TTL': case 'SET_NW_TTL': return r({ ttl: u8 }, 3);
    case 'PUSH_VLAN': case 'PUSH_MPLS': case 'PUSH_PBB': case 'POP_MPLS': return r({ ethertype: u16 }, 2);
    case 'SET_QUEUE': return r({ queueId: u32 }, 0);
    case 'GROUP': return r({ groupId: u32 }, 0);
    case 'METER': return r({ meterId: u32 }, 0);
    case 'COPY_FIELD': return r({ nBits: u16, srcOffset: u16, dstOffset: u16, srcOxm: u32, dstOxm: u32 }, 6);
    case 'SET_FIELD':
      return oxmMatchArb(v, 1).filter((m) => Object.keys(m).length === 1 && !m.oxm?.length || (m.oxm?.length === 1 && Object.keys(m).length === 1))
        .chain((field) => {
          const tlvLen = encodedTlvLength(field);
          const padLen = ((8 + tlvLen + 7) & ~7) - 8 - tlvLen;
          return rec({ padding: padLen ? maybe(nonZeroPad(padLen)) : fc.constant(undefined) })
            .map((p) => compact({ type: 'SET_FIELD', field, ...p }));
        });
    default: return r({}, 4);
  }
}

function encodedTlvLength(field: Match): number {
  if (field.oxm) return field.oxm[0]!.body.length;
  const [key, value] = Object.entries(field)[0]!;
  const f = OXM_FIELDS.find((x) => x.key === key)!;
  const masked = typeof value === 'object' || (typeof value === 'string' && value.includes('/'));
  return masked ? 2 * f.width : f.width;
}

export function actionArb(v: number): fc.Arbitrary<Action> {
  const known = KNOWN_CODES[v]!;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ACTIONS_BY_VERSION[v]!).chain((n) => fixedAction(n, v)) },
    { weight: 1, arbitrary: rec({ experimenter: u32, data: bytes(16) }).map((x) => ({ type: 'EXPERIMENTER', ...x })) },
    { weight: 1, arbitrary: rec({ actionType: fc.integer({ min: 0, max: 0xfffe }).filter((c) => !known.has(c)), data: bytes(12) })
      .map((x) => ({ type: 'UNKNOWN', ...x })) },
  ) as fc.Arbitrary<Action>;
}

export const actionsArb = (v: number): fc.Arbitrary<Action[]> => fc.array(actionArb(v), { maxLength: 4 });

export function instructionArb(v: number): fc.Arbitrary<Instruction> {
  const pad = (n: number) => maybe(nonZeroPad(n));
  const withPad = (o: fc.Arbitrary<Fields>) => o.map((x) => compact(x) as unknown as Instruction);
  const known = new Set(v >= OFP13 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5]);
  const options: fc.Arbitrary<Instruction>[] = [
    withPad(rec({ type: fc.constant('GOTO_TABLE'), tableId: u8, padding: pad(3) })),
    withPad(rec({ type: fc.constant('WRITE_METADATA'), metadata: u64, metadataMask: u64, padding: pad(4) })),
    withPad(rec({ type: fc.constantFrom('WRITE_ACTIONS', 'APPLY_ACTIONS'), padding: pad(4), actions: actionsArb(v) })),
    withPad(rec({ type: fc.constant('CLEAR_ACTIONS'), padding: pad(4) })),
    withPad(rec({ type: fc.constant('EXPERIMENTER'), experimenter: u32, data: bytes(16) })),
    withPad(rec({ type: fc.constant('UNKNOWN'), instructionType: fc.integer({ min: 0, max: 0xfffe }).filter((c) => !known.has(c)), data: bytes(12) })),
  ];
  if (v >= OFP13) options.push(withPad(rec({ type: fc.constant('METER'), meterId: u32 })));
  return fc.oneof(...options);
}

export const instructionsArb = (v: number): fc.Arbitrary<Instruction[]> => fc.array(instructionArb(v), { maxLength: 3 });

// ---- messages --------------------------------------------------------------------------------

/** PACKET_IN, PACKET_OUT, FLOW_MOD and FLOW_REMOVED of `v` (without version and xid). */
export function flowMessageArbs(v: number): fc.Arbitrary<Fields>[] {
  const data = bytes(64);
  const m = matchArb(v);
  const out: fc.Arbitrary<Fields>[] = [];
  if (v === OFP10) {
    out.push(rec({ bufferId: u32, totalLen: u16, inPort: u16, reason: u8, data, padding: maybe(nonZeroPad(1)) })
      .map((r) => compact({ type: 'PACKET_IN', ...r })));
  } else if (v === OFP11) {
    out.push(rec({ bufferId: u32, inPort: u32, inPhyPort: u32, totalLen: u16, reason: u8, tableId: u8, data })
      .map((r) => ({ type: 'PACKET_IN', ...r })));
  } else {
    out.push(rec({ bufferId: u32, totalLen: u16, reason: u8, tableId: u8, cookie: u64, match: m, data, padding: maybe(nonZeroPad(2)) })
      .map(({ cookie, ...r }) => compact({ type: 'PACKET_IN', ...r, cookie: v >= OFP13 ? cookie : undefined })));
  }
  if (v === OFP15) {
    out.push(rec({ bufferId: u32, match: m, actions: actionsArb(v), data, padding: maybe(nonZeroPad(2)) })
      .map((r) => compact({ type: 'PACKET_OUT', ...r })));
  } else {
    out.push(rec({ bufferId: u32, inPort: v === OFP10 ? u16 : u32, actions: actionsArb(v), data,
      padding: v === OFP10 ? fc.constant(undefined) : maybe(nonZeroPad(6)) }).map((r) => compact({ type: 'PACKET_OUT', ...r })));
  }
  if (v === OFP10) {
    out.push(rec({ match: m, cookie: u64, command: u16, idleTimeout: u16, hardTimeout: u16, priority: u16, bufferId: u32,
      outPort: u16, flags: u16, actions: actionsArb(v) }).map((r) => ({ type: 'FLOW_MOD', ...r })));
    out.push(rec({ match: m, cookie: u64, priority: u16, reason: u8, durationSec: u32, durationNsec: u32, idleTimeout: u16,
      packetCount: u64, byteCount: u64, padding: maybe(nonZeroPad(3)), trailing: maybe(bytes(16, 1)) })
      .map((r) => compact({ type: 'FLOW_REMOVED', ...r })));
  } else {
    out.push(rec({ cookie: u64, cookieMask: u64, tableId: u8, command: u8, idleTimeout: u16, hardTimeout: u16, priority: u16,
      bufferId: u32, outPort: u32, outGroup: u32, flags: u16, importance: u16, padding: maybe(nonZeroPad(2)), match: m,
      instructions: instructionsArb(v) }).map(({ importance, padding, ...r }) => compact({
      type: 'FLOW_MOD', ...r, importance: v >= OFP14 ? importance : undefined, padding: v >= OFP14 ? undefined : padding,
    })));
    if (v === OFP15) {
      // the OXS counters, each present or not (duration and idle time are pairs)
      out.push(rec({ cookie: u64, priority: u16, reason: u8, tableId: u8, idleTimeout: u16, hardTimeout: u16, match: m,
        duration: maybe(fc.tuple(u32, u32)), idle: maybe(fc.tuple(u32, u32)), packetCount: maybe(u64), byteCount: maybe(u64),
        flowCount: maybe(u32), trailing: maybe(bytes(16, 1)) })
        .map(({ duration, idle, ...r }) => compact({ type: 'FLOW_REMOVED', ...r, durationSec: duration?.[0], durationNsec: duration?.[1],
          idleSec: idle?.[0], idleNsec: idle?.[1] })));
    } else {
      out.push(rec({ cookie: u64, priority: u16, reason: u8, tableId: u8, durationSec: u32, durationNsec: u32, idleTimeout: u16,
        hardTimeout: u16, packetCount: u64, byteCount: u64, match: m, trailing: maybe(bytes(16, 1)) })
        .map((r) => compact({ type: 'FLOW_REMOVED', ...r })));
    }
  }
  return out;
}
