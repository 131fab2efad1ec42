// The controller under test in P4b: ./fast-reply-10.mjs in OpenFlow 1.3. The in_port of a 1.3
// PACKET_IN lives in its OXM match, so the answer reads it from the structured match (decoded when
// asked for) and floods the buffered packet (or carries an unbuffered one's data back).
import { Rconn, featuresHandshake } from '../../dist/rconn/index.js';
import { Pvconn } from '../../dist/vconn/index.js';
import { decodeMatch } from '../../dist/ofp/index.js';

const OFP13 = 4;
const NO_BUFFER = 0xffffffff;
const OFPP_CONTROLLER = 0xfffffffd;
// One ofp_action_output: type OUTPUT (0), len 16, port OFPP_FLOOD, max_len OFPCML_NO_BUFFER, pad 6.
const FLOOD = Buffer.from([0, 0, 0, 16, 0xff, 0xff, 0xff, 0xfb, 0xff, 0xff, 0, 0, 0, 0, 0, 0]);
const EMPTY = Buffer.alloc(0);

/** The structured match: the codec's (when it decodes matches itself) or decoded from its bytes here. */
const matchOf = (msg) => (Buffer.isBuffer(msg.match) ? decodeMatch(OFP13, msg.match) : msg.match);

/** Starts listening; resolves with the bound port and a close function. */
export async function startFastReply13(target = 'ptcp:0:127.0.0.1') {
  const pvconn = await Pvconn.listen(target, { versions: [OFP13] });
  const rconns = new Set();
  pvconn.on('error', () => {});
  pvconn.on('vconn', (vconn) => {
    const rconn = new Rconn({ name: `fast-reply-13 ${vconn.name}` }).adopt(vconn);
    rconns.add(rconn);
    rconn.on('message', (msg) => {
      if (msg.type !== 'PACKET_IN') return;
      rconn.send({
        type: 'PACKET_OUT', version: msg.version, xid: msg.xid, bufferId: msg.bufferId,
        inPort: matchOf(msg).inPort ?? OFPP_CONTROLLER, actions: FLOOD, data: msg.bufferId === NO_BUFFER ? msg.data : EMPTY,
      });
    });
    rconn.on('disconnected', () => { rconns.delete(rconn); void rconn.close(); });
    featuresHandshake(rconn).catch(() => void rconn.close());
  });
  return {
    port: pvconn.address().port,
    async close() {
      await pvconn.close();
      await Promise.all([...rconns].map((r) => r.close()));
    },
  };
}
