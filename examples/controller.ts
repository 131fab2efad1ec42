/**
 * A minimal controller: accepts switches on a passive target, asks each one for its features and
 * logs its datapath id. Every switch gets its own Rconn, probed with TCP keepalive where the
 * transport can (Linux TCP/TLS) and OFPT_ECHO otherwise; echo requests are answered for you.
 *
 *   npm run examples:build && node dist-examples/controller.js ptcp:6653
 */
import { pathToFileURL } from 'node:url';
import { formatDatapathId, listen, versionName, type Rconn, type RconnListener } from 'openflow-rconn';

export type Log = (line: string) => void;

export async function main(target = process.argv[2] ?? 'ptcp:6653', log: Log = console.log): Promise<RconnListener> {
  const server = await listen(target, { probeInterval: 5 });
  log(`listening on ${target} (port ${server.address().port ?? '-'})`);

  server.on('rconn', (sw: Rconn) => {
    // An accepted connection arrives already negotiated: ask who it is right away.
    log(`${sw.name}: connected, OpenFlow ${versionName(sw.version)}, probe ${sw.status().probe}`);
    sw.send({ type: 'FEATURES_REQUEST', version: sw.version, xid: sw.nextXid() });

    sw.on('message', (msg) => {
      if (msg.type === 'FEATURES_REPLY') log(`${sw.name}: datapath id ${formatDatapathId(msg.datapathId)}`);
    });
    sw.on('disconnected', ({ error }) => log(`${sw.name}: gone (${error ? error.message : 'closed'})`));
  });
  server.on('error', (err) => log(`a peer failed to connect: ${err.message}`));
  return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await main();
  process.once('SIGINT', () => void server.close());
}
