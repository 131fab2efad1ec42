/**
 * The OpenFlow 1.3 version of fast-reply-10.ts: every PACKET_IN is answered with a PACKET_OUT that
 * floods the packet. In 1.3 the input port travels inside the PACKET_IN's OXM match, read here as
 * `msg.match.inPort`: the match is decoded on that first read, so a controller that never looks
 * at it pays nothing for it.
 *
 *   npm run examples:build && node dist-examples/fast-reply-13.js ptcp:6653
 */
import { pathToFileURL } from 'node:url';
import { OFP13, OFPP, QueueFullError, TxCounter, listen } from 'openflow-rconn';
export const FLOOD_ACTIONS = [{ type: 'OUTPUT', port: OFPP.FLOOD, maxLen: 0 }];
export const NO_BUFFER = 0xffffffff;
const PACKET_OUT_QUEUE_LIMIT = 100;
export async function main(target = process.argv[2] ?? 'ptcp:6653', log = console.log) {
    const server = await listen(target, { versions: [OFP13], handshake: true });
    log(`OpenFlow 1.3 fast-reply controller on ${target} (port ${server.address().port ?? '-'})`);
    server.on('error', (err) => log(`a switch failed to connect: ${err.message}`));
    server.on('rconn', (sw) => {
        const packetOuts = new TxCounter();
        let answered = 0;
        sw.on('message', (msg) => {
            // 'match' narrows to the PACKET_IN layouts that carry one (1.2+)
            if (msg.type !== 'PACKET_IN' || !('match' in msg))
                return;
            const inPort = msg.match.inPort ?? OFPP.CONTROLLER;
            try {
                sw.sendWithLimit({
                    type: 'PACKET_OUT', version: OFP13, xid: msg.xid, bufferId: msg.bufferId, inPort,
                    actions: FLOOD_ACTIONS, data: msg.bufferId === NO_BUFFER ? msg.data : Buffer.alloc(0),
                }, packetOuts, PACKET_OUT_QUEUE_LIMIT);
                answered++;
            }
            catch (err) {
                if (!(err instanceof QueueFullError))
                    throw err;
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
