// The P4b baseline: the bare controller of ./bare-10.mjs speaking OpenFlow 1.3. It reads in_port
// from the PACKET_IN's OXM match by hand (walking the TLVs) and answers with a 1.3 PACKET_OUT that
// floods the buffered packet (or carries the data back for an unbuffered one).
import { startBare } from './bare-10.mjs';

const OFP13 = 4;
const FEATURES_REQUEST = 5;
const SET_CONFIG = 9;
const PACKET_OUT = 13;
const NO_BUFFER = 0xffffffff;
const OFPP_CONTROLLER = 0xfffffffd;
const OFPP_FLOOD = 0xfffffffb;
const MATCH_AT = 24; // header 8, buffer_id 4, total_len 2, reason 1, table_id 1, cookie 8
const OXM_OPENFLOW_BASIC = 0x8000;
const OXM_IN_PORT = 0;
// header 8, buffer_id 4, in_port 4, actions_len 2, pad 6, one output action 16
const PACKET_OUT_LEN = 40;
const HANDSHAKE = Buffer.from([
  OFP13, FEATURES_REQUEST, 0, 8, 0, 0, 0, 2,
  OFP13, SET_CONFIG, 0, 12, 0, 0, 0, 3, 0, 0, 0, 128,
]);

/** in_port from the OXM match at `pin[at + 24]` (OFPP_CONTROLLER when absent). */
function inPort(pin, at, matchLen) {
  const end = at + MATCH_AT + matchLen;
  for (let p = at + MATCH_AT + 4; p + 4 <= end;) {
    const cls = pin.readUInt16BE(p);
    const field = pin[p + 2] >> 1;
    const len = pin[p + 3];
    if (cls === OXM_OPENFLOW_BASIC && field === OXM_IN_PORT && len === 4 && p + 8 <= end) return pin.readUInt32BE(p + 4);
    p += 4 + len;
  }
  return OFPP_CONTROLLER;
}

export function packetOut(pin, at, out, pos) {
  const len = pin.readUInt16BE(at + 2);
  const bufferId = pin.readUInt32BE(at + 8);
  const matchLen = pin.readUInt16BE(at + MATCH_AT + 2);
  const dataAt = MATCH_AT + ((matchLen + 7) & ~7) + 2;
  const dataLen = bufferId === NO_BUFFER ? Math.max(0, len - dataAt) : 0;
  out[pos] = OFP13;
  out[pos + 1] = PACKET_OUT;
  out.writeUInt16BE(PACKET_OUT_LEN + dataLen, pos + 2);
  out.writeUInt32BE(pin.readUInt32BE(at + 4), pos + 4); // xid
  out.writeUInt32BE(bufferId, pos + 8);
  out.writeUInt32BE(inPort(pin, at, matchLen), pos + 12);
  out.writeUInt16BE(16, pos + 16); // actions_len
  out.fill(0, pos + 18, pos + 24);
  out.writeUInt32BE(0x0000_0010, pos + 24); // action type OUTPUT (0), len 16
  out.writeUInt32BE(OFPP_FLOOD, pos + 28);
  out.writeUInt16BE(0xffff, pos + 32); // max_len: OFPCML_NO_BUFFER
  out.fill(0, pos + 34, pos + 40);
  if (dataLen) pin.copy(out, pos + PACKET_OUT_LEN, at + dataAt, at + dataAt + dataLen);
  return PACKET_OUT_LEN + dataLen;
}

export function startBare13({ batched = false } = {}) {
  return startBare(batched, { version: OFP13, handshake: HANDSHAKE, packetOut, minPacketIn: MATCH_AT + 8 });
}
