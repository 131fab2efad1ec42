// The controller under test in P4: the library version of examples/fast-reply-10.ts. It accepts
// OpenFlow 1.0 switches, adopts each into an Rconn, does the standard handshake (a switch may send
// nothing before FEATURES_REQUEST), and answers every PACKET_IN with a PACKET_OUT
// that floods the buffered packet (or, for an unbuffered one, carries its data back).
import { Rconn, featuresHandshake } from '../../dist/rconn/index.js';
import { Pvconn } from '../../dist/vconn/index.js';

const OFP10 = 1;
const NO_BUFFER = 0xffffffff;
// One ofp_action_output: type OUTPUT (0), len 8, port OFPP_FLOOD (0xfffb), max_len 0.
const FLOOD = Buffer.from([0, 0, 0, 8, 0xff, 0xfb, 0, 0]);
const EMPTY = Buffer.alloc(0);

/** Starts listening; resolves with the bound port and a close function. */
export async function startFastReply10(target = 'ptcp:0:127.0.0.1') {
  const pvconn = await Pvconn.listen(target, { versions: [OFP10] });
  const rconns = new Set();
  pvconn.on('error', () => {});
  pvconn.on('vconn', (vconn) => {
    const rconn = new Rconn({ name: `fast-reply ${vconn.name}` }).adopt(vconn);
    rconns.add(rconn);
    rconn.on('message', (msg) => {
      if (msg.type !== 'PACKET_IN') return;
      rconn.send({
        type: 'PACKET_OUT', version: msg.version, xid: msg.xid, bufferId: msg.bufferId, inPort: msg.inPort,
        actions: FLOOD, data: msg.bufferId === NO_BUFFER ? msg.data : EMPTY,
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
