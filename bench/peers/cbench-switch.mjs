// One cbench-style emulated switch (throughput mode), without the library, in OpenFlow 1.0 or 1.3.
// It sends HELLO, then nothing until the controller sends FEATURES_REQUEST, as stock cbench (oflops)
// does, answers it with FEATURES_REPLY (1.3: also the PORT_DESC request, with no ports; ECHO_REQUEST
// with ECHO_REPLY). From start() on it loads the controller in one of two ways:
// - `flood` (what stock cbench's throughput mode does): keep the socket full of PACKET_INs whatever
//   comes back; cbench refills its 64 KiB output buffer whenever the socket is writable;
// - windowed: keep `window` PACKET_INs outstanding, one more for every PACKET_OUT or FLOW_MOD.
// Every socket sets TCP_NODELAY, as cbench and the library do.
import net from 'node:net';

const OFP10 = 1;
const OFP13 = 4;
export const T = {
  HELLO: 0, ECHO_REQUEST: 2, ECHO_REPLY: 3, FEATURES_REQUEST: 5, FEATURES_REPLY: 6, PACKET_IN: 10, PACKET_OUT: 13,
  FLOW_MOD: 14, MULTIPART_REQUEST: 18, MULTIPART_REPLY: 19,
};
const FRAME_LEN = 60; // a minimum Ethernet frame, as cbench sends
// 1.3: header 8, buffer_id 4, total_len 2, reason 1, table_id 1, cookie 8, then the match.
const PACKET_IN13_MATCH_AT = 24;
// OXM match with one field, in_port: type OXM (1), length 4 + 8, one TLV, padded to 16 bytes.
const MATCH13 = Buffer.from([0, 1, 0, 12, 0x80, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0]);
const PACKET_IN_LEN = { [OFP10]: 18 + FRAME_LEN, [OFP13]: PACKET_IN13_MATCH_AT + MATCH13.length + 2 + FRAME_LEN };
const OFPMP_PORT_DESC = 13;
// cbench's throughput buffer: what one refill writes.
const FLOOD_BYTES = 64 * 1024;
// The first messages are what tests look at; a long run must not keep every type it saw.
const MAX_RECORDED = 64;

function frame(sw) {
  const f = Buffer.alloc(FRAME_LEN);
  Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x01]).copy(f, 0); // dst
  Buffer.from([0x02, 0x00, 0x00, 0x00, sw >> 8, sw & 0xff]).copy(f, 6); // src: one per switch
  f.writeUInt16BE(0x0800, 12);
  return f;
}

function packetInTemplate(version, sw) {
  const len = PACKET_IN_LEN[version];
  const b = Buffer.alloc(len);
  b[0] = version;
  b[1] = T.PACKET_IN;
  b.writeUInt16BE(len, 2);
  b.writeUInt16BE(FRAME_LEN, 12); // total_len
  if (version === OFP10) {
    b.writeUInt16BE(1, 14); // in_port
    b[16] = 0; // reason NO_MATCH
    frame(sw).copy(b, 18);
  } else {
    b[14] = 0; // reason NO_MATCH
    MATCH13.copy(b, PACKET_IN13_MATCH_AT);
    frame(sw).copy(b, PACKET_IN13_MATCH_AT + MATCH13.length + 2);
  }
  return b;
}

function featuresReply(version, xid, dpid) {
  const b = Buffer.alloc(32);
  b[0] = version;
  b[1] = T.FEATURES_REPLY;
  b.writeUInt16BE(32, 2);
  b.writeUInt32BE(xid, 4);
  b.writeBigUInt64BE(BigInt(dpid), 8);
  b.writeUInt32BE(256, 16); // n_buffers
  b[20] = 1; // n_tables
  return b;
}

/** An empty PORT_DESC reply: flags 0 (no more), no ports. */
function portDescReply(xid) {
  const b = Buffer.alloc(16);
  b[0] = OFP13;
  b[1] = T.MULTIPART_REPLY;
  b.writeUInt16BE(16, 2);
  b.writeUInt32BE(xid, 4);
  b.writeUInt16BE(OFPMP_PORT_DESC, 8);
  return b;
}

export class FakeSwitch {
  answered = 0;
  ready;
  #sock;
  #carry = null;
  #template;
  #nextBuffer = 1;
  #running = false;
  #markReady;
  /** Types of every message the controller sent, in order. */
  received = [];
  /** in_port of the last PACKET_OUT (every PACKET_IN says port 1). */
  lastInPort = null;

  /**
   * `ready` resolves once the controller has sent FEATURES_REQUEST, rejects after `readyMs` without.
   * `options.version`: 1 (OpenFlow 1.0, the default) or 4 (1.3); `options.flood`: cbench's load.
   */
  constructor(port, index, window, readyMs = 5000, { version = OFP10, flood = false } = {}) {
    this.window = window;
    this.index = index;
    this.version = version;
    this.flood = flood;
    this.#template = packetInTemplate(version, index + 1);
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`switch ${index}: no FEATURES_REQUEST from the controller within ${readyMs} ms`)), readyMs);
      this.#markReady = () => { clearTimeout(timer); resolve(); };
      this.#sock = net.connect(port, '127.0.0.1');
      this.#sock.setNoDelay(true);
      this.#sock.once('error', (err) => { clearTimeout(timer); reject(err); });
    });
    this.#sock.on('connect', () => this.#sock.write(Buffer.from([version, T.HELLO, 0, 8, 0, 0, 0, 1])));
    this.#sock.on('data', (chunk) => this.#onData(chunk));
    this.#sock.on('drain', () => { if (this.flood) this.#fill(); });
  }

  start() {
    this.#running = true;
    if (this.flood) this.#fill();
    else this.#send(this.window);
  }

  close() {
    this.#running = false;
    this.#sock.destroy();
  }

  /** Writes cbench's buffer's worth of PACKET_INs until the socket says it is full ('drain' comes back here). */
  #fill() {
    const n = Math.floor(FLOOD_BYTES / this.#template.length);
    while (this.#running && !this.#sock.destroyed && this.#send(n)) { /* the kernel took it all: more */ }
  }

  #send(n) {
    const len = this.#template.length;
    const out = Buffer.allocUnsafe(n * len);
    for (let i = 0; i < n; i++) {
      const at = i * len;
      this.#template.copy(out, at);
      const id = this.#nextBuffer++ >>> 0;
      out.writeUInt32BE(id, at + 4); // xid
      out.writeUInt32BE(id, at + 8); // buffer_id
    }
    return this.#sock.write(out);
  }

  #onData(chunk) {
    let buf = chunk;
    if (this.#carry) { buf = Buffer.concat([this.#carry, chunk]); this.#carry = null; }
    let pos = 0;
    let answers = 0;
    while (buf.length - pos >= 8) {
      const len = buf.readUInt16BE(pos + 2);
      if (len < 8) throw new Error(`switch ${this.index}: bad length ${len}`);
      if (buf.length - pos < len) break;
      const type = buf[pos + 1];
      const xid = buf.readUInt32BE(pos + 4);
      if (this.received.length < MAX_RECORDED) this.received.push(type);
      if (type === T.PACKET_OUT || type === T.FLOW_MOD) answers++;
      if (type === T.PACKET_OUT && len >= 16) this.lastInPort = this.version === OFP10 ? buf.readUInt16BE(pos + 12) : buf.readUInt32BE(pos + 12);
      else if (type === T.FEATURES_REQUEST) {
        this.#sock.write(featuresReply(this.version, xid, this.index + 1));
        this.#markReady();
      } else if (type === T.MULTIPART_REQUEST && this.version === OFP13) {
        this.#sock.write(portDescReply(xid));
      } else if (type === T.ECHO_REQUEST) {
        const reply = Buffer.from(buf.subarray(pos, pos + len));
        reply[1] = T.ECHO_REPLY;
        this.#sock.write(reply);
      }
      pos += len;
    }
    if (pos < buf.length) this.#carry = Buffer.from(buf.subarray(pos));
    this.answered += answers;
    if (answers && this.#running && !this.flood) this.#send(answers);
  }
}
