/**
 * A switch emulator connecting upstream to a controller: it reconnects forever with backoff
 * (1 s doubling to maxBackoff); serveSwitch() answers the controller (features, config, flow
 * table, stats) through the sans-I/O SwitchEmulator and forwards its PACKET_INs and PORT_STATUS.
 *
 *   npm run examples:build && node dist/examples/switch.js tcp:127.0.0.1:6653
 */
import { pathToFileURL } from 'node:url';
import { Rconn, SwitchEmulator, formatDatapathId, serveSwitch, versionName } from 'openflow-rconn';

export type Log = (line: string) => void;

export function main(target = process.argv[2] ?? 'tcp:127.0.0.1:6653', datapathId = 0x2an, log: Log = console.log): Rconn {
  const emulator = new SwitchEmulator({ datapathId, ports: 4 });
  const rconn = new Rconn({ name: `switch ${formatDatapathId(datapathId)}`, maxBackoff: 8 });

  rconn.on('connected', ({ version, probe }) => log(`${rconn.name}: connected to ${target}, OpenFlow ${versionName(version)}, probe ${probe}`));
  rconn.on('connectFailed', ({ error, retryIn }) =>
    log(`${rconn.name}: ${error.message}${retryIn === null ? '' : `; next try in ${(retryIn / 1000).toFixed(1)} s`}`));
  rconn.on('disconnected', ({ error }) => log(`${rconn.name}: disconnected (${error ? error.message : 'closed'})`));
  serveSwitch(rconn, emulator);

  return rconn.connect(target);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rconn = main();
  process.once('SIGINT', () => void rconn.close());
}
