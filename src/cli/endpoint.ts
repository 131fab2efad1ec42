/**
 * The one difference between the two ends of a role: a passive target accepts any number of peers
 * (one unreliable Rconn each), an active target is one reliable Rconn that reconnects forever.
 */
import { Rconn } from '../rconn/index.js';
import type { RconnOptions } from '../rconn/options.js';
import { RconnListener } from '../rconn/listen.js';
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

/** Wires up an rconn before it delivers anything, so no event is missed. */
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

/** A passive target as it runs: for `ptcp:0` with the port the kernel chose. */
export function boundTarget(target: string, port: number | undefined): string {
  const parsed = parseTarget(target);
  return parsed.kind !== 'unix' && !parsed.active && port !== undefined ? formatTarget({ ...parsed, port }) : formatTarget(parsed);
}

async function listen(target: string, role: Role, ctx: RoleContext, setup: Setup): Promise<Endpoint> {
  const listener = await RconnListener.listen(target, { ...ctx.rconnOptions, name: ctx.label });
  const port = listener.address().port;
  const running = boundTarget(target, port);
  const { reporter } = ctx;

  // Called right after adopt(): the rconn's 'connected' and first messages come from the next tick.
  listener.on('rconn', (rconn) => {
    reporter.track(rconn, role);
    setup(rconn);
    rconn.once('close', () => reporter.finish(rconn));
  });
  listener.on('error', (err) => {
    reporter.note('peerFailed', ctx.label ?? running, `a peer failed before the connection was up: ${err.message}`, { error: err });
  });
  reporter.note('listening', ctx.label ?? running, `listening on ${running}`, { target: running, port: port ?? null });

  return {
    target: running,
    port,
    connections: () => [...listener.connections],
    close: () => listener.close(),
  };
}
