/**
 * An OpenFlow 1.0 "fast reply" controller (the cbench pattern): every PACKET_IN is answered at once
 * with a PACKET_OUT that floods the packet, carrying the same buffer_id and in_port. Sends go
 * through sendWithLimit() with one TxCounter, so a switch that floods us with PACKET_INs while its
 * socket is backed up gets refused (and counted) instead of growing our send queue without bound.
 *
 *   npm run examples:build && node dist/examples/fast-reply-10.js ptcp:6653
 */
import { pathToFileURL } from 'node:url';
import { OFP10, OFPP, QueueFullError, TxCounter, listen, type Action, type RconnListener } from 'openflow-rconn';

export type Log = (line: string) => void;

/** Output to every port but the one the packet came in on (0xfffb in 1.0's 16-bit ports). */
export const FLOOD_ACTIONS: Action[] = [{ type: 'OUTPUT', port: OFPP.FLOOD, maxLen: 0 }];
/** buffer_id of a PACKET_IN whose packet the switch did not buffer: the data must travel back. */
export const NO_BUFFER = 0xffffffff;
const PACKET_OUT_QUEUE_LIMIT = 100;

export async function main(target = process.argv[2] ?? 'ptcp:6653', log: Log = console.log): Promise<RconnListener> {
  // The handshake first (FEATURES_REQUEST, SET_CONFIG): a switch may send nothing until it is asked.
  const server = await listen(target, { versions: [OFP10], handshake: true });
  log(`OpenFlow 1.0 fast-reply controller on ${target} (port ${server.address().port ?? '-'})`);

  server.on('error', (err) => log(`a switch failed to connect: ${err.message}`));
  server.on('rconn', (sw) => {
    const packetOuts = new TxCounter();
    let answered = 0;
    sw.on('message', (msg) => {
      // 'inPort' narrows to the decoded 1.0 PACKET_IN (1.3 carries the port inside its match).
      if (msg.type !== 'PACKET_IN' || !('inPort' in msg)) return;
      try {
        sw.sendWithLimit({
          type: 'PACKET_OUT', version: OFP10, xid: msg.xid, bufferId: msg.bufferId, inPort: msg.inPort,
          actions: FLOOD_ACTIONS, data: msg.bufferId === NO_BUFFER ? msg.data : Buffer.alloc(0),
        }, packetOuts, PACKET_OUT_QUEUE_LIMIT);
        answered++;
      } catch (err) {
        if (!(err instanceof QueueFullError)) throw err;
      }
    });
    sw.on('disconnected', () => log(`${sw.name}: ${answered} PACKET_INs answered, ${packetOuts.refused} refused`));
  });
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await main();
  process.once('SIGINT', () => void server.close());
}
