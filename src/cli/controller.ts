/**
 * `ofrconn controller`: the controller side. Every connection gets the standard handshake:
 * FEATURES_REQUEST (the switch's datapath id is what tells a controller which switch it is talking
 * to), SET_CONFIG and, in 1.3+ where FEATURES_REPLY lists no ports, PORT_DESC. Once FEATURES is answered,
 * one ECHO_REQUEST of our own so a round-trip time is visible at once rather than after the first
 * idle probe interval.
 */
import { OFP13, echoRequest, errorText, formatDatapathId } from '../ofp/index.js';
import type { Rconn } from '../rconn/index.js';
import { openEndpoint, type Endpoint, type RoleContext } from './endpoint.js';

const ECHO_PAYLOAD = Buffer.from('ofrconn');
// OpenFlow's default miss_send_len: what a switch sends of a packet that missed every flow.
const DEFAULT_MISS_SEND_LEN = 128;

export function startController(target: string, ctx: RoleContext): Promise<Endpoint> {
  return openEndpoint(target, 'controller', ctx, (rconn) => controllerSetup(rconn, ctx));
}

function controllerSetup(rconn: Rconn, ctx: RoleContext): void {
  const { reporter } = ctx;
  // Our own echo requests in flight: xid -> send time.
  const echoes = new Map<number, number>();
  const trySend = (what: string, send: () => void): void => {
    try {
      send();
    } catch (err) {
      reporter.event('sendFailed', rconn, `could not send ${what}: ${(err as Error).message}`, { error: err });
    }
  };

  rconn.on('connected', ({ version }) => {
    echoes.clear();
    trySend('FEATURES_REQUEST', () => rconn.send({ type: 'FEATURES_REQUEST', version, xid: rconn.nextXid() }));
    trySend('SET_CONFIG', () => rconn.send({ type: 'SET_CONFIG', version, xid: rconn.nextXid(), flags: 0, missSendLen: DEFAULT_MISS_SEND_LEN }));
    if (version >= OFP13) trySend('PORT_DESC', () => rconn.send({ type: 'MULTIPART_REQUEST', version, xid: rconn.nextXid(), flags: 0, stats: 'PORT_DESC' }));
  });
  rconn.on('message', (msg) => {
    if (msg.type === 'FEATURES_REPLY') {
      const dpid = formatDatapathId(msg.datapathId);
      reporter.recordDatapath(rconn, dpid);
      const ports = msg.ports ? `, ${msg.ports.length} ports` : '';
      reporter.event('datapath', rconn, `switch datapath id ${dpid} (${msg.nTables} tables, ${msg.nBuffers} buffers${ports})`,
        { datapathId: dpid, nTables: msg.nTables, nBuffers: msg.nBuffers, ports: msg.ports?.length ?? null });
      const xid = rconn.nextXid();
      echoes.set(xid, performance.now());
      trySend('ECHO_REQUEST', () => rconn.send(echoRequest(msg.version, xid, ECHO_PAYLOAD)));
    } else if (msg.type === 'MULTIPART_REPLY' && msg.stats === 'PORT_DESC') {
      reporter.event('ports', rconn, `${msg.entries.length} ports: ${msg.entries.map((p) => p.name).join(' ') || '-'}`,
        { ports: msg.entries.map((p) => ({ portNo: p.portNo, name: p.name })) });
    } else if (msg.type === 'ECHO_REPLY' && echoes.has(msg.xid)) {
      const rttMs = performance.now() - echoes.get(msg.xid)!;
      echoes.delete(msg.xid);
      reporter.recordRtt(rconn, rttMs);
      reporter.event('echo', rconn, `echo round trip ${rttMs.toFixed(2)} ms`, { xid: msg.xid, rttMs });
    } else if (msg.type === 'ERROR') {
      reporter.event('ofpError', rconn, `peer sent ${errorText(msg)}`, { errorType: msg.errorTypeName, code: msg.codeName, xid: msg.xid });
    }
  });
}
