/**
 * `ofrconn switch`: one switch emulator, with --count a fleet of them with consecutive datapath
 * ids, or with several targets one switch connected to several controllers (roles per connection). The sans-I/O {@link SwitchEmulator} decides the answers; the rconn answers echo requests by
 * itself, so liveness never depends on this code.
 */
import { MultiControllerSwitch, SwitchEmulator, SwitchFleet, serveSwitch } from '../emulator/index.js';
import { formatDatapathId } from '../ofp/index.js';
import type { Rconn } from '../rconn/index.js';
import { openEndpoint, type Endpoint, type RoleContext } from './endpoint.js';

export async function startSwitch(target: string | readonly string[], ctx: RoleContext, datapathId = 1n, count = 1): Promise<Endpoint> {
  if (typeof target !== 'string') {
    if (target.length > 1) return startMulti(target, ctx, datapathId);
    target = target[0]!;
  }
  if (count > 1) return startFleet(target, ctx, datapathId, count);
  // One emulated switch, however many controllers or ovs-ofctl sessions talk to it.
  const emulator = new SwitchEmulator({ datapathId });
  return openEndpoint(target, 'switch', ctx, (rconn) => switchSetup(rconn, emulator, ctx));
}

/** N reliable rconns to one active target, named by their datapath ids. */
function startFleet(target: string, ctx: RoleContext, first: bigint, count: number): Endpoint {
  const fleet = SwitchFleet.start(target, {
    count,
    firstDatapathId: first,
    rconnOptions: ctx.rconnOptions,
    setup: ({ rconn, emulator }) => {
      ctx.reporter.track(rconn, 'switch');
      switchSetup(rconn, emulator, ctx);
      return false;
    },
  });
  return {
    target,
    port: undefined,
    connections: () => fleet.members.map((m) => m.rconn).filter((r) => r.state !== 'VOID'),
    close: () => fleet.close(),
  };
}

/** One switch, one reliable rconn per controller, each connection with its role. */
function startMulti(targets: readonly string[], ctx: RoleContext, datapathId: bigint): Endpoint {
  const sw = new MultiControllerSwitch(targets, { emulator: { datapathId }, rconn: ctx.rconnOptions });
  const dpid = formatDatapathId(datapathId);
  for (const { rconn } of sw.connections) {
    ctx.reporter.track(rconn, 'switch');
    rconn.on('connected', () => {
      ctx.reporter.recordDatapath(rconn, dpid);
      ctx.reporter.recordControllerRole(rconn, 'EQUAL');
    });
    rconn.on('disconnected', () => ctx.reporter.recordControllerRole(rconn, null));
  }
  sw.on('role', (target, role) => {
    const rconn = sw.connections.find((c) => c.target === target)!.rconn;
    ctx.reporter.recordControllerRole(rconn, role);
    ctx.reporter.event('role', rconn, `controller role now ${role}`, { controllerRole: role });
  });
  sw.start();
  return {
    target: targets.join(' '),
    port: undefined,
    connections: () => sw.connections.map((c) => c.rconn).filter((r) => r.state !== 'VOID'),
    close: () => sw.close(),
  };
}

function switchSetup(rconn: Rconn, emulator: SwitchEmulator, ctx: RoleContext): void {
  const { reporter } = ctx;
  const dpid = formatDatapathId(emulator.datapathId);
  rconn.on('connected', () => reporter.recordDatapath(rconn, dpid));
  serveSwitch(rconn, emulator, ({ request, reply, error }) => {
    if (!reply) return;
    if (error) {
      reporter.event('sendFailed', rconn, `could not answer ${request.type}: ${error.message}`, { error });
      return;
    }
    // FEATURES_REQUEST is the handshake every controller does: worth a line. The rest only when asked.
    const show = request.type === 'FEATURES_REQUEST' || reporter.verbose;
    const extra = request.type === 'FEATURES_REQUEST' ? ` (datapath id ${dpid})` : '';
    reporter.event('answered', rconn, `answered ${request.type} with ${reply.type}${extra}`, { request: request.type, reply: reply.type, xid: request.xid }, show);
  });
}
