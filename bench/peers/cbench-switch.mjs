// One cbench-style emulated OpenFlow 1.0 switch (throughput mode), without the library: it sends
// HELLO, then nothing until the controller sends FEATURES_REQUEST, as stock cbench (oflops) does,
// answers it with FEATURES_REPLY (and ECHO_REQUEST with ECHO_REPLY); from start() on it keeps
// WINDOW PACKET_INs outstanding and sends one more for every PACKET_OUT or FLOW_MOD that comes back.
import net from 'node:net';

const OFP10 = 1;
export const T = { HELLO: 0, ECHO_REQUEST: 2, ECHO_REPLY: 3, FEATURES_REQUEST: 5, FEATURES_REPLY: 6, PACKET_IN: 10, PACKET_OUT: 13, FLOW_MOD: 14 };
const FRAME_LEN = 60; // a minimum Ethernet frame, as cbench sends
const PACKET_IN_LEN = 18 + FRAME_LEN;
// The first messages are what tests look at; a long run must not keep every type it saw.
const MAX_RECORDED = 64;

function packetInTemplate(sw) {
  const b = Buffer.alloc(PACKET_IN_LEN);
  b[0] = OFP10;
  b[1] = T.PACKET_IN;
  b.writeUInt16BE(PACKET_IN_LEN, 2);
  b.writeUInt16BE(FRAME_LEN, 12); // total_len
  b.writeUInt16BE(1, 14); // in_port
  b[16] = 0; // reason NO_MATCH
  const frame = b.subarray(18);
  Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x01]).copy(frame, 0); // dst
  Buffer.from([0x02, 0x00, 0x00, 0x00, sw >> 8, sw & 0xff]).copy(frame, 6); // src: one per switch
  frame.writeUInt16BE(0x0800, 12);
  return b;
}

function featuresReply(xid, dpid) {
  const b = Buffer.alloc(32);
  b[0] = OFP10;
  b[1] = T.FEATURES_REPLY;
  b.writeUInt16BE(32, 2);
  b.writeUInt32BE(xid, 4);
  b.writeBigUInt64BE(BigInt(dpid), 8);
  b.writeUInt32BE(256, 16); // n_buffers
  b[20] = 1; // n_tables
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

  /** `ready` resolves once the controller has sent FEATURES_REQUEST, rejects after `readyMs` without. */
  constructor(port, index, window, readyMs = 5000) {
    this.window = window;
    this.index = index;
    this.#template = packetInTemplate(index + 1);
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`switch ${index}: no FEATURES_REQUEST from the controller within ${readyMs} ms`)), readyMs);
      this.#markReady = () => { clearTimeout(timer); resolve(); };
      this.#sock = net.connect(port, '127.0.0.1');
      this.#sock.once('error', (err) => { clearTimeout(timer); reject(err); });
    });
    this.#sock.on('connect', () => this.#sock.write(Buffer.from([OFP10, T.HELLO, 0, 8, 0, 0, 0, 1])));
    this.#sock.on('data', (chunk) => this.#onData(chunk));
  }

  start() {
    this.#running = true;
    this.#send(this.window);
  }

  close() {
    this.#running = false;
    this.#sock.destroy();
  }

  #send(n) {
    const out = Buffer.allocUnsafe(n * PACKET_IN_LEN);
    for (let i = 0; i < n; i++) {
      const at = i * PACKET_IN_LEN;
      this.#template.copy(out, at);
      const id = this.#nextBuffer++ >>> 0;
      out.writeUInt32BE(id, at + 4); // xid
      out.writeUInt32BE(id, at + 8); // buffer_id
    }
    this.#sock.write(out);
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
      else if (type === T.FEATURES_REQUEST) {
        this.#sock.write(featuresReply(xid, this.index + 1));
        this.#markReady();
      }
      else if (type === T.ECHO_REQUEST) {
        const reply = Buffer.from(buf.subarray(pos, pos + len));
        reply[1] = T.ECHO_REPLY;
        this.#sock.write(reply);
      }
      pos += len;
    }
    if (pos < buf.length) this.#carry = Buffer.from(buf.subarray(pos));
    this.answered += answers;
    if (answers && this.#running) this.#send(answers);
  }
}

