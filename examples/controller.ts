/**
 * A minimal controller: accepts switches on a passive target, does the standard handshake with each
 * (FEATURES_REQUEST, SET_CONFIG, PORT_DESC in 1.3+) and logs its datapath id and ports. Every switch gets its own Rconn, probed with TCP keepalive where the
 * transport can (Linux TCP/TLS) and OFPT_ECHO otherwise; echo requests are answered for you.
 *
 *   npm run examples:build && node dist/examples/controller.js ptcp:6653
 */
import { pathToFileURL } from 'node:url';
import { formatDatapathId, listen, versionName, type Rconn, type RconnListener } from 'openflow-rconn';

export type Log = (line: string) => void;

export async function main(target = process.argv[2] ?? 'ptcp:6653', log: Log = console.log): Promise<RconnListener> {
  const server = await listen(target, { probeInterval: 5, handshake: { timeout: 10 } });
  log(`listening on ${target} (port ${server.address().port ?? '-'})`);

  server.on('rconn', (sw: Rconn) => {
    // Handed out once negotiated and once the switch has said who it is.
    const { datapathId, ports } = sw.features!;
    log(`${sw.name}: connected, OpenFlow ${versionName(sw.version)}, probe ${sw.status().probe}`);
    log(`${sw.name}: datapath id ${formatDatapathId(datapathId)}, ports ${ports.map((p) => p.name).join(' ') || '-'}`);
    sw.on('disconnected', ({ error }) => log(`${sw.name}: gone (${error ? error.message : 'closed'})`));
  });
  server.on('error', (err) => log(`a peer failed to connect: ${err.message}`));
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await main();
  process.once('SIGINT', () => void server.close());
}
