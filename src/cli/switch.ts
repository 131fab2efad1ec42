/**
 * `ofrconn switch`: a switch emulator. The sans-I/O {@link SwitchEmulator} decides the answers; the
 * rconn answers echo requests by itself, so liveness never depends on this code.
 */
import { SwitchEmulator } from '../emulator/index.js';
import { formatDatapathId } from '../ofp/index.js';
import type { Rconn } from '../rconn/index.js';
import { openEndpoint, type Endpoint, type RoleContext } from './endpoint.js';

export function startSwitch(target: string, ctx: RoleContext, datapathId = 1n): Promise<Endpoint> {
  // One emulated switch, however many controllers or ovs-ofctl sessions talk to it.
  const emulator = new SwitchEmulator({ datapathId });
  return openEndpoint(target, 'switch', ctx, (rconn) => switchSetup(rconn, emulator, ctx));
}

function switchSetup(rconn: Rconn, emulator: SwitchEmulator, ctx: RoleContext): void {
  const { reporter } = ctx;
  rconn.on('connected', () => reporter.recordDatapath(rconn, formatDatapathId(emulator.datapathId)));
  rconn.on('message', (msg) => {
    const reply = emulator.reply(msg);
    if (!reply) return;
    try {
      rconn.send(reply);
    } catch (err) {
      reporter.event('sendFailed', rconn, `could not answer ${msg.type}: ${(err as Error).message}`, { error: err });
      return;
    }
    // FEATURES_REQUEST is the handshake every controller does: worth a line. The rest only when asked.
    const show = msg.type === 'FEATURES_REQUEST' || reporter.verbose;
    const extra = msg.type === 'FEATURES_REQUEST' ? ` (datapath id ${formatDatapathId(emulator.datapathId)})` : '';
    reporter.event('answered', rconn, `answered ${msg.type} with ${reply.type}${extra}`, { request: msg.type, reply: reply.type, xid: msg.xid }, show);
  });
}
