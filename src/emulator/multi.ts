/**
 * One emulated switch connected to several controllers at once, as Open vSwitch is with
 * `set-controller br0 tcp:A tcp:B`: one reliable Rconn per controller, each reconnecting on its own,
 * a role per connection (SwitchRoles) and asynchronous messages sent where role and SET_ASYNC want them.
 */
import { EventEmitter } from 'node:events';
import { OFP12, OFP13, type ControllerRole, type OfpMessage } from '../ofp/index.js';
import { Rconn, type RconnOptions } from '../rconn/index.js';
import type { ReconnectState } from '../reconnect/index.js';
import { ConfigError } from '../errors.js';
import { SwitchEmulator, type SwitchEmulatorOptions } from './switch.js';
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

const OFPR_ACTION = 1;
const NO_BUFFER = 0xffffffff;
const OFPT_PACKET_IN = 10;

export class MultiControllerSwitch extends EventEmitter<MultiControllerSwitchEvents> {
  readonly emulator: SwitchEmulator;
  private readonly roles = new SwitchRoles<Rconn>();
  private readonly links: ReadonlyArray<{ target: string; rconn: Rconn }>;

  constructor(targets: readonly string[], options: MultiControllerSwitchOptions = {}) {
    super();
    if (targets.length === 0) throw new ConfigError('a switch needs at least one controller target');
    if (new Set(targets).size !== targets.length) throw new ConfigError(`duplicate controller target in ${targets.join(' ')}`);
    this.emulator = options.emulator instanceof SwitchEmulator ? options.emulator : new SwitchEmulator(options.emulator);
    this.links = targets.map((target) => {
      const rconn = new Rconn({ ...options.rconn, name: options.rconn?.name ? `${options.rconn.name} ${target}` : target });
      this.wire(target, rconn);
      return { target, rconn };
    });
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

  /**
   * Sends an asynchronous message to every connected controller whose role and SET_ASYNC
   * configuration ask for `kind` with `reason`; `build` makes it in each connection's version.
   * Returns the targets it went to.
   */
  sendAsync(kind: AsyncKind, reason: number, build: (version: number) => OfpMessage | Buffer): string[] {
    const sentTo: string[] = [];
    for (const { target, rconn } of this.links) {
      if (!rconn.isConnected() || !this.roles.wants(rconn, kind, reason)) continue;
      try {
        rconn.send(build(rconn.version));
        sentTo.push(target);
      } catch {
        // A full queue or a connection that just dropped: the message is lost for it, as on a real switch.
      }
    }
    return sentTo;
  }

  /** A PACKET_IN (reason ACTION, no buffer) from `inPort` carrying `frame`, to the controllers that want it. */
  packetIn(inPort: number, frame: Buffer): string[] {
    return this.sendAsync('PACKET_IN', OFPR_ACTION, (version) => packetInBytes(version, inPort, frame));
  }

  async close(): Promise<void> {
    await Promise.all(this.links.map(({ rconn }) => rconn.close()));
  }

  private wire(target: string, rconn: Rconn): void {
    rconn.on('connected', ({ version }) => this.roles.attach(rconn, version));
    rconn.on('disconnected', () => this.roles.detach(rconn));
    rconn.on('message', (msg, raw) => {
      const before = this.roles.roleOf(rconn);
      const outcome = this.roles.handle(rconn, msg, raw);
      const reply = outcome ? outcome.reply : this.emulator.reply(msg);
      if (reply) this.trySend(rconn, reply);
      for (const { conn, msg: notice } of outcome?.notices ?? []) {
        this.trySend(conn, notice);
        this.emit('role', this.targetOf(conn), this.roles.roleOf(conn)!);
      }
      const after = this.roles.roleOf(rconn);
      if (after && after !== before) this.emit('role', target, after);
      this.emit('message', target, msg);
    });
  }

  private trySend(rconn: Rconn, msg: OfpMessage): void {
    try {
      rconn.send(msg);
    } catch {
      // The controller went away or does not read: nothing to answer.
    }
  }

  private targetOf(rconn: Rconn): string {
    return this.links.find((l) => l.rconn === rconn)!.target;
  }
}

/**
 * ofp_packet_in for 1.2+ with an OXM match holding only IN_PORT: buffer_id, total_len, reason,
 * table_id, (1.3+) cookie, match padded to 8 bytes, 2 bytes of padding, the frame.
 */
export function packetInBytes(version: number, inPort: number, frame: Buffer, reason = OFPR_ACTION): Buffer {
  if (version < OFP12) throw new ConfigError(`packetInBytes builds OpenFlow 1.2+ PACKET_IN, not version ${version}`);
  const fixed = version >= OFP13 ? 24 : 16;
  const out = Buffer.alloc(fixed + 16 + 2 + frame.length);
  out[0] = version;
  out[1] = OFPT_PACKET_IN;
  out.writeUInt16BE(out.length, 2);
  out.writeUInt32BE(NO_BUFFER, 8);
  out.writeUInt16BE(frame.length, 12);
  out[14] = reason;
  // table_id 0; cookie (1.3+) 0
  const match = fixed;
  out.writeUInt16BE(1, match); // OFPMT_OXM
  out.writeUInt16BE(12, match + 2); // type + length + one 8-byte OXM
  out.writeUInt32BE(0x80000004, match + 4); // OXM_OF_IN_PORT, 4 bytes
  out.writeUInt32BE(inPort >>> 0, match + 8);
  frame.copy(out, match + 16 + 2);
  return out;
}
