/**
 * One emulated switch connected to several controllers at once, as Open vSwitch is with
 * `set-controller br0 tcp:A tcp:B`: one reliable Rconn per controller, each reconnecting on its own
 * and attached to the shared datapath as its own session; a role per connection (SwitchRoles)
 * decides which requests it may make and which asynchronous messages reach it.
 */
import { EventEmitter } from 'node:events';
import type { ControllerRole, OfpMessage } from '../ofp/index.js';
import { Rconn, type RconnOptions } from '../rconn/index.js';
import type { ReconnectState } from '../reconnect/index.js';
import { ConfigError } from '../errors.js';
import { SwitchEmulator, type EmulatorSession, type SwitchEmulatorOptions } from './switch.js';
import { SwitchRoles, type AsyncKind } from './roles.js';

export interface MultiControllerSwitchOptions {
  /** The switch being emulated, or the options to create one. */
  emulator?: SwitchEmulator | SwitchEmulatorOptions;
  /** Options for every controller connection (the name defaults to the target). */
  rconn?: RconnOptions;
}

export interface ControllerConnectionStatus {
  target: string;
  state: ReconnectState;
  /** Negotiated OpenFlow version, 0 while not connected. */
  version: number;
  /** The connection's role; null while not connected. */
  role: ControllerRole | null;
}

interface MultiControllerSwitchEvents {
  /** A controller changed this connection's role (ROLE_REQUEST, or demoted by a new MASTER). */
  role: [target: string, role: ControllerRole];
  /** A message from a controller, after the switch handled it. */
  message: [target: string, msg: OfpMessage];
}

interface Link {
  target: string;
  rconn: Rconn;
  session: EmulatorSession;
}

export class MultiControllerSwitch extends EventEmitter<MultiControllerSwitchEvents> {
  readonly emulator: SwitchEmulator;
  private readonly roles = new SwitchRoles<Rconn>();
  private readonly links: Link[];

  constructor(targets: readonly string[], options: MultiControllerSwitchOptions = {}) {
    super();
    if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string')) {
      throw new ConfigError('a switch needs at least one controller target', { option: 'targets', value: targets });
    }
    if (new Set(targets).size !== targets.length) {
      throw new ConfigError(`duplicate controller target in ${targets.join(' ')}`, { option: 'targets', value: targets });
    }
    this.emulator = options.emulator instanceof SwitchEmulator ? options.emulator : new SwitchEmulator(options.emulator);
    this.links = targets.map((target) => this.link(target, options.rconn));
  }

  /** Starts connecting to every controller. */
  start(): this {
    for (const { target, rconn } of this.links) rconn.connect(target);
    return this;
  }

  /** The connection to each controller, in the order of the targets. */
  get connections(): ReadonlyArray<{ target: string; rconn: Rconn }> {
    return this.links;
  }

  status(): ControllerConnectionStatus[] {
    return this.links.map(({ target, rconn }) => ({
      target, state: rconn.state, version: rconn.version, role: rconn.isConnected() ? this.roles.roleOf(rconn) : null,
    }));
  }

  async close(): Promise<void> {
    for (const l of this.links) l.session.detach();
    await Promise.all(this.links.map(({ rconn }) => rconn.close()));
  }

  private link(target: string, options: RconnOptions | undefined): Link {
    const rconn = new Rconn({ ...options, name: options?.name ? `${options.name} ${target}` : target });
    // The datapath's asynchronous messages pass the role filter; answers to requests never do.
    // A send that fails (queue full, connection just lost) loses that message only, as on a real
    // switch, and must not throw into the rconn's delivery.
    const session = this.emulator.attach(
      (msg) => {
        const kind = asyncKind(msg);
        if (kind && !this.roles.wants(rconn, kind, asyncReason(msg))) return;
        trySend(rconn, msg);
      },
      () => (rconn.isConnected() ? rconn.version : 0),
    );
    rconn.on('connected', ({ version }) => this.roles.attach(rconn, version));
    rconn.on('disconnected', () => this.roles.detach(rconn));
    rconn.on('message', (msg, raw) => {
      const before = this.roles.roleOf(rconn);
      const outcome = this.roles.handle(rconn, msg, raw);
      if (!outcome) {
        session.handle(msg);
      } else {
        if (outcome.reply) trySend(rconn, outcome.reply);
        for (const { conn, msg: notice } of outcome.notices) {
          trySend(conn, notice);
          this.emit('role', this.links.find((l) => l.rconn === conn)!.target, this.roles.roleOf(conn)!);
        }
      }
      const after = this.roles.roleOf(rconn);
      if (after && after !== before) this.emit('role', target, after);
      this.emit('message', target, msg);
    });
    return { target, rconn, session };
  }
}

function trySend(rconn: Rconn, msg: OfpMessage): void {
  try {
    rconn.send(msg);
  } catch {
    // The controller went away or does not read: nothing to answer.
  }
}

function asyncKind(msg: OfpMessage): AsyncKind | null {
  return msg.type === 'PACKET_IN' || msg.type === 'PORT_STATUS' || msg.type === 'FLOW_REMOVED' ? msg.type : null;
}

// Where the reason byte sits in the bodies the codec keeps raw (OpenFlow 1.1/1.2 PACKET_IN,
// FLOW_REMOVED of every version).
const PACKET_IN_REASON_AT: Record<number, number> = { 2: 14, 3: 6 };
const FLOW_REMOVED_REASON_AT: Record<number, number> = { 1: 50, 2: 10, 3: 10, 4: 10, 5: 10 };

function asyncReason(msg: OfpMessage): number {
  if ('reason' in msg && typeof msg.reason === 'number') return msg.reason;
  const at = msg.type === 'PACKET_IN' ? PACKET_IN_REASON_AT[msg.version] : FLOW_REMOVED_REASON_AT[msg.version];
  const body = 'body' in msg ? msg.body : undefined;
  // A reason we cannot read: deliver (-1 is never masked out for a role that gets this kind at all).
  return at !== undefined && body && body.length > at ? body[at]! : -1;
}
