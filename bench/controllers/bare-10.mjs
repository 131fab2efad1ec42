// The P4 baseline: an OpenFlow 1.0 fast-reply controller on a bare net.Server, parsing headers by
// hand with no library: what the library's work is compared against. It does the standard
// handshake (FEATURES_REQUEST, SET_CONFIG) like any controller. It writes one PACKET_OUT per
// PACKET_IN (`batched: false`) or one write per received chunk (`batched: true`, what a
// hand-tuned controller would do, and the pattern the library's send() gives: one write per
// event-loop turn). Its sockets set TCP_NODELAY, as the library's do. The 1.3 variant
// (./bare-13.mjs) plugs its own PACKET_OUT builder into the same loop.
import net from 'node:net';

const OFP10 = 1;
const HELLO = 0;
const ECHO_REQUEST = 2;
const ECHO_REPLY = 3;
const FEATURES_REQUEST = 5;
const SET_CONFIG = 9;
const PACKET_IN = 10;
const PACKET_OUT = 13;
const NO_BUFFER = 0xffffffff;
const PACKET_OUT_LEN = 24; // header 8, buffer_id 4, in_port 2, actions_len 2, one output action 8
// The longest PACKET_OUT without data of either version (1.3: 40), for sizing reply buffers.
const MAX_PACKET_OUT_LEN = 40;
// The standard handshake once the switch's HELLO is in: FEATURES_REQUEST (xid 2), then SET_CONFIG
// (xid 3: flags normal, miss_send_len 128). A switch may send nothing before FEATURES_REQUEST.
const HANDSHAKE = Buffer.from([
  OFP10, FEATURES_REQUEST, 0, 8, 0, 0, 0, 2,
  OFP10, SET_CONFIG, 0, 12, 0, 0, 0, 3, 0, 0, 0, 128,
]);

export function packetOut(pin, at, out, pos) {
  const bufferId = pin.readUInt32BE(at + 8);
  const dataLen = bufferId === NO_BUFFER ? pin.readUInt16BE(at + 2) - 18 : 0;
  out[pos] = OFP10;
  out[pos + 1] = PACKET_OUT;
  out.writeUInt16BE(PACKET_OUT_LEN + dataLen, pos + 2);
  out.writeUInt32BE(pin.readUInt32BE(at + 4), pos + 4); // xid
  out.writeUInt32BE(bufferId, pos + 8);
  out.writeUInt16BE(pin.readUInt16BE(at + 14), pos + 12); // in_port
  out.writeUInt32BE(0x0008_0000, pos + 14); // actions_len 8, then action type OUTPUT (0)
  out.writeUInt32BE(0x0008_fffb, pos + 18); // action len 8, port FLOOD
  out.writeUInt16BE(0, pos + 22); // max_len
  if (dataLen) pin.copy(out, pos + PACKET_OUT_LEN, at + 18, at + 18 + dataLen);
  return PACKET_OUT_LEN + dataLen;
}

const V10 = { version: OFP10, handshake: HANDSHAKE, packetOut, minPacketIn: 18 };

/**
 * Serves one switch: `v` gives the version, its handshake bytes, and `packetOut(pin, at, out, pos)`,
 * which writes the answer to the PACKET_IN at `pin[at]` into `out[pos]` and returns its length.
 */
export function serveBare(sock, batched, v = V10) {
  sock.setNoDelay(true);
  sock.write(Buffer.from([v.version, HELLO, 0, 8, 0, 0, 0, 1]));
  let carry = null;
  sock.on('data', (chunk) => {
    let buf = chunk;
    if (carry) { buf = Buffer.concat([carry, chunk]); carry = null; }
    let pos = 0;
    const replies = batched ? Buffer.allocUnsafe(Math.ceil(buf.length / v.minPacketIn) * MAX_PACKET_OUT_LEN + buf.length) : null;
    let fill = 0;
    while (buf.length - pos >= 8) {
      const len = buf.readUInt16BE(pos + 2);
      if (len < 8) { sock.destroy(); return; }
      if (buf.length - pos < len) break;
      const type = buf[pos + 1];
      if (type === PACKET_IN && len >= v.minPacketIn) {
        if (batched) fill += v.packetOut(buf, pos, replies, fill);
        else {
          const out = Buffer.allocUnsafe(MAX_PACKET_OUT_LEN + len);
          sock.write(out.subarray(0, v.packetOut(buf, pos, out, 0)));
        }
      } else if (type === HELLO) {
        sock.write(v.handshake);
      } else if (type === ECHO_REQUEST) {
        const reply = Buffer.from(buf.subarray(pos, pos + len));
        reply[1] = ECHO_REPLY;
        sock.write(reply);
      }
      pos += len;
    }
    if (fill) sock.write(replies.subarray(0, fill));
    if (pos < buf.length) carry = Buffer.from(buf.subarray(pos));
  });
  sock.on('error', () => {});
}

export function startBare10({ batched = false } = {}) {
  return startBare(batched, V10);
}

export async function startBare(batched, v) {
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    serveBare(sock, batched, v);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
