/**
 * fast-check generators of OpenFlow messages in the exact form `decode()` produces, so that
 * decode(encode(m)) can be compared with m by deep equality.
 *
 * The canonical form (src/ofp/messages.ts): `padding` is present only when a pad is not all zeros
 * (or, for the last HELLO element, when its padding is cut short), `trailing` only when non-empty,
 * optional fields are absent rather than undefined. Sizes are kept small: the codec's length
 * arithmetic is what is being tested, not Buffer.copy on 64 KB.
 */
import fc from 'fast-check';
import { flowMessageArbs } from './flow-arbitraries.js';
import {
  ALL_VERSIONS, OFP10, OFP12, OFP13, errorCodeName, errorTypeName, typeCode, typeName,
  type HelloElement, type OfpMessage, type OfpPort,
} from '../../src/ofp/index.js';
import { moreMessageArbs } from './arbitraries-more.js';

type Msg = OfpMessage;
type Fields = Record<string, unknown>;

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
/** Numbers the tables name (small) as well as anything else. */
const small16 = fc.oneof(fc.integer({ min: 0, max: 16 }), u16);

export function bytes(maxLength: number, minLength = 0): fc.Arbitrary<Buffer> {
  return fc.uint8Array({ minLength, maxLength }).map((a) => Buffer.from(a));
}

/** `n` pad bytes that are not all zero (what decode keeps as `padding`). */
function nonZeroPad(n: number): fc.Arbitrary<Buffer> {
  return bytes(n, n).filter((b) => b.some((x) => x !== 0));
}

/** Drops keys whose value is undefined: decode never writes `key: undefined`. */
function compact<T extends Fields>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 3 });

const roundUp8 = (n: number): number => (n + 7) & ~7;

// ---- HELLO ---------------------------------------------------------------------------------

const bitmapElement = fc.record({ bitmaps: fc.array(u32, { maxLength: 4 }) })
  .map((r): HelloElement => ({ type: 'VERSIONBITMAP', bitmaps: r.bitmaps }));

// A numeric type 1 is a VERSIONBITMAP whose length is not a whole number of words.
const otherElement = fc.record({ type: u16, data: bytes(20) })
  .filter((r) => r.type !== 1 || r.data.length % 4 !== 0)
  .map((r): HelloElement => ({ type: r.type, data: r.data }));

function elementLength(e: HelloElement): number {
  return 4 + (e.type === 'VERSIONBITMAP' ? 4 * e.bitmaps.length : e.data.length);
}

/**
 * Bytes that cannot start an element (fewer than 4, or a length field below 4 or past the end):
 * decode keeps them as `trailing`.
 */
const helloTrailing: fc.Arbitrary<Buffer> = fc.oneof(
  bytes(3, 1),
  fc.record({ type: u16, rest: bytes(12), bad: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 17, max: 0xffff })) })
    .map(({ type, rest, bad }) => {
      const b = Buffer.alloc(4 + rest.length);
      b.writeUInt16BE(type, 0);
      b.writeUInt16BE(bad < 4 ? bad : Math.max(bad, b.length + 1), 2);
      rest.copy(b, 4);
      return b;
    }),
);

/** Element padding: full-length and not all zero, or (last element, nothing after) cut short. */
function padded(e: HelloElement, isLast: boolean): fc.Arbitrary<HelloElement> {
  const full = roundUp8(elementLength(e)) - elementLength(e);
  const options: fc.Arbitrary<Buffer | undefined>[] = [fc.constant(undefined)];
  if (full > 0) options.push(nonZeroPad(full));
  if (full > 0 && isLast) options.push(bytes(full - 1));
  return fc.oneof(...options).map((padding) => (padding ? { ...e, padding } : e));
}

export function helloArb(version: fc.Arbitrary<number>): fc.Arbitrary<Msg> {
  return fc.record({
    version, xid: u32,
    elements: fc.array(fc.oneof(bitmapElement, otherElement), { maxLength: 4 }),
    trailing: maybe(helloTrailing),
  }).chain(({ version: v, xid, elements, trailing }) =>
    fc.tuple(...elements.map((e, i) => padded(e, i === elements.length - 1 && !trailing)))
      .map((els) => compact({ type: 'HELLO', version: v, xid, elements: els, trailing }) as Msg));
}

// ---- small fixed layouts ---------------------------------------------------------------------

function errorArb(v: number): fc.Arbitrary<Fields> {
  return fc.record({ errorType: fc.oneof(small16, fc.constant(0xffff)), code: small16, data: bytes(64), experimenter: u32 })
    .map(({ errorType, code, data, experimenter }) => compact({
      type: 'ERROR', errorType, code, data,
      experimenter: errorType === 0xffff && v >= OFP12 ? experimenter : undefined,
      errorTypeName: errorTypeName(v, errorType), codeName: errorCodeName(v, errorType, code),
    }));
}

const echoArb = (type: string) => bytes(64).map((data) => ({ type, data }));

function experimenterArb(v: number): fc.Arbitrary<Fields> {
  return fc.record({ experimenter: u32, expType: u32, data: bytes(32) })
    .map(({ experimenter, expType, data }) => (v === OFP10
      ? { type: 'VENDOR', experimenter, data }
      : { type: 'EXPERIMENTER', experimenter, expType, data }));
}

const emptyArb = (type: string) => maybe(bytes(16, 1)).map((trailing) => compact({ type, trailing }));

function roleArb(type: string): fc.Arbitrary<Fields> {
  return fc.record({ role: u32, generationId: u64, padding: maybe(nonZeroPad(4)), trailing: maybe(bytes(16, 1)) })
    .map((r) => compact({ type, ...r }));
}

// ---- FEATURES_REPLY --------------------------------------------------------------------------

const mac = bytes(6, 6).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':'));

/** Names that re-encode to their 16 bytes, plus a name followed by junk after its NUL (`nameBytes`). */
const portName: fc.Arbitrary<{ name: string; nameBytes?: Buffer }> = fc.oneof(
  fc.stringMatching(/^[!-~]{0,16}$/).map((name) => ({ name })),
  fc.constantFrom('端口1', 'ÿport', 'eth0 ').map((name) => ({ name })),
  fc.record({ name: fc.stringMatching(/^[a-z0-9]{0,14}$/), junk: nonZeroPad(1), at: fc.integer({ min: 1, max: 15 }) })
    .map(({ name, junk, at }) => {
      const nameBytes = Buffer.alloc(16);
      nameBytes.write(name, 'latin1');
      nameBytes[Math.max(at, name.length + 1)] = junk[0]!;
      return { name, nameBytes };
    }),
);

function portArb(v: number): fc.Arbitrary<OfpPort> {
  return fc.record({
    portNo: v === OFP10 ? u16 : u32, hwAddr: mac, name: portName, config: u32, state: u32, curr: u32,
    advertised: u32, supported: u32, peer: u32, currSpeed: u32, maxSpeed: u32, padding: maybe(nonZeroPad(6)),
  }).map(({ name, currSpeed, maxSpeed, padding, ...rest }) => compact({
    ...rest, ...name,
    ...(v === OFP10 ? {} : { currSpeed, maxSpeed, padding }),
  }) as unknown as OfpPort);
}

function featuresReplyArb(v: number): fc.Arbitrary<Fields> {
  const portSize = v === OFP10 ? 48 : 64;
  return fc.record({
    datapathId: u64, nBuffers: u32, nTables: u8, auxiliaryId: u8, capabilities: u32, word: u32,
    padding: maybe(nonZeroPad(v >= OFP13 ? 2 : 3)),
    ports: fc.array(portArb(v), { maxLength: 3 }),
    trailing: maybe(bytes(v >= OFP13 ? 64 : portSize - 1, 1)),
  }).map(({ word, auxiliaryId, ports, ...r }) => compact({
    type: 'FEATURES_REPLY', ...r,
    auxiliaryId: v >= OFP13 ? auxiliaryId : undefined,
    actions: v === OFP10 ? word : undefined,
    reserved: v === OFP10 ? undefined : word,
    ports: v >= OFP13 ? undefined : ports,
  }));
}

// ---- raw and unknown types -------------------------------------------------------------------

const TYPED = new Set([
  'HELLO', 'ERROR', 'ECHO_REQUEST', 'ECHO_REPLY', 'VENDOR', 'EXPERIMENTER', 'FEATURES_REQUEST', 'FEATURES_REPLY',
  'BARRIER_REQUEST', 'BARRIER_REPLY', 'ROLE_REQUEST', 'ROLE_REPLY', 'PACKET_IN', 'PACKET_OUT', 'FLOW_MOD', 'FLOW_REMOVED',
  'GET_CONFIG_REQUEST', 'GET_CONFIG_REPLY', 'SET_CONFIG', 'PORT_STATUS', 'PORT_MOD', 'TABLE_MOD', 'GROUP_MOD',
  'METER_MOD', 'ROLE_STATUS', 'GET_ASYNC_REQUEST', 'GET_ASYNC_REPLY', 'SET_ASYNC', 'QUEUE_GET_CONFIG_REQUEST',
  'QUEUE_GET_CONFIG_REPLY', 'REQUESTFORWARD', 'STATS_REQUEST', 'STATS_REPLY', 'MULTIPART_REQUEST', 'MULTIPART_REPLY',
]);

/** Type names of `v` that decode keeps as `{ body }`. */
export function rawTypeNames(v: number): string[] {
  const names: string[] = [];
  for (let code = 0; code < 256; code++) {
    const name = typeName(v, code);
    if (name === undefined || typeCode(v, name) !== code || TYPED.has(name)) continue;
    names.push(name);
  }
  return names;
}

function undefinedCodes(v: number): number[] {
  return Array.from({ length: 256 }, (_, c) => c).filter((c) => typeName(v, c) === undefined);
}

// ---- per version -----------------------------------------------------------------------------

/** Every message form `decode` produces for version `v`, with arbitrary field values. */
export function messageArb(v: number): fc.Arbitrary<Msg> {
  const bodies: fc.Arbitrary<Fields>[] = [
    errorArb(v), echoArb('ECHO_REQUEST'), echoArb('ECHO_REPLY'), experimenterArb(v),
    emptyArb('FEATURES_REQUEST'), emptyArb('BARRIER_REQUEST'), emptyArb('BARRIER_REPLY'), featuresReplyArb(v),
    ...flowMessageArbs(v),
    ...moreMessageArbs(v),
    // 1.0-1.3 have no type left raw.
    ...(rawTypeNames(v).length ? [fc.record({ type: fc.constantFrom(...rawTypeNames(v)), body: bytes(64) })] : []),
    fc.record({ typeCode: fc.constantFrom(...undefinedCodes(v)), body: bytes(32) }).map((r) => ({ type: 'UNKNOWN', ...r })),
  ];
  if (v >= OFP12) bodies.push(roleArb('ROLE_REQUEST'), roleArb('ROLE_REPLY'));
  // 1.0 has no type left that decode keeps as body bytes
  if (rawTypeNames(v).length > 0) bodies.push(fc.record({ type: fc.constantFrom(...rawTypeNames(v)), body: bytes(64) }));
  const withHeader = fc.tuple(fc.oneof(...bodies), u32).map(([body, xid]) => ({ ...body, version: v, xid }) as unknown as Msg);
  // HELLO is one type among the others, not half of all cases.
  return fc.oneof({ weight: 1, arbitrary: helloArb(fc.constant(v)) }, { weight: bodies.length, arbitrary: withHeader });
}

/** HELLO from versions above 1.5: kept decodable so negotiation with newer peers works. */
export const futureHelloArb = helloArb(fc.integer({ min: 7, max: 0xff }));

/** Any message of any version. */
export const anyMessageArb: fc.Arbitrary<Msg> = fc.oneof(...ALL_VERSIONS.map(messageArb), futureHelloArb);
