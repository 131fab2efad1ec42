/**
 * The one difference between the two ends of a role: a passive target accepts any number of peers
 * (one unreliable Rconn each), an active target is one reliable Rconn that reconnects forever.
 */
import { Rconn } from '../rconn.js';
import type { RconnOptions } from '../rconn/options.js';
import { Pvconn } from '../vconn/pvconn.js';
import { formatTarget, isPassiveTarget, parseTarget } from '../stream/index.js';
import type { Reporter, Role } from './reporter.js';

export interface RoleContext {
  reporter: Reporter;
  /** Options for every Rconn of the role (versions, probing, backoff, TLS, logger). */
  rconnOptions: RconnOptions;
  /** Name for the rconn(s) in output; accepted peers are shown as `LABEL PEER`. Default: the target. */
  label?: string;
}

export interface Endpoint {
  /** The target as running: for `ptcp:0` with the port the kernel chose. */
  readonly target: string;
  /** The bound port of a passive tcp/ssl endpoint. */
  readonly port: number | undefined;
  /** The rconns currently open. */
  connections(): Rconn[];
  /** Closes the listener (if any) and every connection. */
  close(): Promise<void>;
}

/** Wires up an rconn before it connects, so no event is missed (adopt() emits 'connected' at once). */
export type Setup = (rconn: Rconn) => void;

export async function openEndpoint(target: string, role: Role, ctx: RoleContext, setup: Setup): Promise<Endpoint> {
  return isPassiveTarget(target) ? listen(target, role, ctx, setup) : connect(target, role, ctx, setup);
}

function connect(target: string, role: Role, ctx: RoleContext, setup: Setup): Endpoint {
  const rconn = new Rconn({ ...ctx.rconnOptions, name: ctx.label ?? target });
  ctx.reporter.track(rconn, role);
  setup(rconn);
  rconn.connect(target);
  return {
    target,
    port: undefined,
    connections: () => (rconn.state === 'VOID' ? [] : [rconn]),
    close: () => rconn.close(),
  };
}

async function listen(target: string, role: Role, ctx: RoleContext, setup: Setup): Promise<Endpoint> {
  const { versions, tls } = ctx.rconnOptions;
  const pvconn = await Pvconn.listen(target, { versions, tls });
  const live = new Set<Rconn>();
  const port = pvconn.address.port;
  const parsed = parseTarget(target);
  const running = parsed.kind !== 'unix' && !parsed.active && port !== undefined ? formatTarget({ ...parsed, port }) : pvconn.name;
  const { reporter } = ctx;

  pvconn.on('vconn', (vconn) => {
    const rconn = new Rconn({ ...ctx.rconnOptions, name: ctx.label ? `${ctx.label} ${vconn.name}` : vconn.name });
    live.add(rconn);
    reporter.track(rconn, role);
    setup(rconn);
    rconn.on('state', (state) => {
      if (state !== 'DISCONNECTED') return;
      live.delete(rconn);
      // Outside the rconn's own emit: it is still finishing the disconnect that got us here.
      setImmediate(() => { void rconn.close().then(() => reporter.finish(rconn)); });
    });
    try {
      rconn.adopt(vconn);
    } catch (err) {
      live.delete(rconn);
      reporter.finish(rconn);
      void vconn.close();
      reporter.note('peerFailed', ctx.label ?? running, `cannot adopt ${vconn.name}: ${(err as Error).message}`, { error: err });
    }
  });
  pvconn.on('error', (err) => {
    reporter.note('peerFailed', ctx.label ?? running, `a peer failed before the connection was up: ${err.message}`, { error: err });
  });
  reporter.note('listening', ctx.label ?? running, `listening on ${running}`, { target: running, port: port ?? null });

  return {
    target: running,
    port,
    connections: () => [...live],
    async close() {
      await pvconn.close();
      const all = [...live];
      live.clear();
      await Promise.all(all.map(async (r) => { await r.close(); reporter.finish(r); }));
    },
  };
}
