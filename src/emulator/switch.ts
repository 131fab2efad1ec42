import { EventEmitter } from 'node:events';
import { OFP10, type OfpMessage, type OfpPort } from '../ofp/index.js';
import type { Clock } from '../rconn/clock.js';
import { invalidOption, numberOption } from '../validate.js';
import { Datapath, type Attachment } from './datapath.js';
import type { FlowEntry } from './flow-table.js';
import { handleRequest } from './handler.js';
import { capabilities, type StatsSource } from './stats.js';

export interface SwitchEmulatorOptions {
  /** @default 1n */
  datapathId?: bigint;
  /** Emulated ports, numbered 1..n. @default 2 */
  ports?: number;
  /** Flow tables, ids 0..n-1. @default 4 */
  nTables?: number;
  /** Packets kept for PACKET_IN buffer ids; 0 sends every packet whole. @default 256 */
  nBuffers?: number;
  /** Flow entries per table. @default 10000 */
  maxEntries?: number;
  /** Bytes of FLOW_MOD messages all flow tables may hold together (TABLE_FULL beyond). @default 64 MiB */
  maxFlowBytes?: number;
  /** Text for the DESC multipart/stats reply. @default 'openflow-rconn switch emulator' */
  description?: string;
  /** Time source for durations and timeouts (tests inject one). @default the system clock */
  clock?: Clock;
}

/** One controller connection to the emulator (see {@link SwitchEmulator.attach}). */
export interface EmulatorSession {
  /** Handles one message from the controller; answers go through the session's `send`. */
  handle(msg: OfpMessage): void;
  /** Stops the asynchronous messages (PACKET_IN, FLOW_REMOVED, PORT_STATUS) to this connection. */
  detach(): void;
}

export interface SwitchEmulatorEvents {
  /** A frame leaves the switch on `port` (flow actions, PACKET_OUT, flooding). */
  output: [port: number, frame: Buffer];
  /** A frame went to the controllers as PACKET_IN. */
  packetIn: [inPort: number, frame: Buffer, reason: number];
}

// 1.0 supported actions: OUTPUT, SET_DL_SRC and SET_DL_DST.
const ACTIONS_10 = (1 << 0) | (1 << 4) | (1 << 5);

const OWNER = 'SwitchEmulator';
// dp_desc is the shortest field the description goes into: 256 bytes including the NUL.
const DESC_STR_MAX = 255;

function count(option: string, v: number | undefined, fallback: number, min: number, max: number): number {
  return numberOption(OWNER, option, v, fallback, { min, max, integer: true });
}

/**
 * An OpenFlow switch without a wire: a datapath (ports, flow tables, buffers, counters) that any
 * number of controller connections share, each attached as a session answering in its own version.
 * Frames enter with {@link receivePacket} and leave as `output` events; the flow tables, stats and
 * errors follow the specification of the negotiated version. Sans-I/O: sessions get a `send`
 * function, the caller moves the bytes.
 */
export class SwitchEmulator extends EventEmitter<SwitchEmulatorEvents> {
  readonly datapathId: bigint;
  readonly nTables: number;
  readonly nBuffers: number;
  private readonly description: string;
  private readonly dp: Datapath;

  constructor(options: SwitchEmulatorOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') invalidOption(OWNER, 'options', options, 'an object');
    const dpid = options.datapathId ?? 1n;
    if (typeof dpid !== 'bigint' || dpid < 0n || dpid >= 1n << 64n) invalidOption(OWNER, 'datapathId', dpid, 'a bigint in [0, 2^64)');
    this.datapathId = dpid;
    this.nTables = count('nTables', options.nTables, 4, 1, 254);
    this.nBuffers = count('nBuffers', options.nBuffers, 256, 0, 1 << 20);
    const description = options.description ?? 'openflow-rconn switch emulator';
    if (typeof description !== 'string' || Buffer.byteLength(description) > DESC_STR_MAX) {
      invalidOption(OWNER, 'description', description, `a string of at most ${DESC_STR_MAX} bytes (the DESC fields are NUL-terminated)`);
    }
    this.description = description;
    this.dp = new Datapath({
      datapathId: this.datapathId, ports: count('ports', options.ports, 2, 0, 0xfeff), nTables: this.nTables,
      nBuffers: this.nBuffers, maxEntries: count('maxEntries', options.maxEntries, 10_000, 1, 1 << 24),
      maxFlowBytes: count('maxFlowBytes', options.maxFlowBytes, 64 << 20, 0, 2 ** 40), clock: options.clock,
    });
    this.dp.on('output', (port, frame) => this.emit('output', port, frame));
    this.dp.on('packetIn', (port, frame, reason) => this.emit('packetIn', port, frame, reason));
  }

  /** Sessions attached now. */
  get sessions(): number {
    return this.dp.attachments.size;
  }

  /** The port descriptions (state changes with {@link setPortState}). */
  get ports(): readonly OfpPort[] {
    return this.dp.ports.map((p) => p.desc);
  }

  /** Flow entries of one table, or of all, highest priority first. */
  flows(tableId?: number): readonly FlowEntry[] {
    return tableId === undefined ? this.dp.tables.flatMap((t) => t.all()) : this.dp.tables[tableId]?.all() ?? [];
  }

  /** Counters of one port. */
  portCounters(portNo: number): Readonly<{ rxPackets: bigint; txPackets: bigint; rxBytes: bigint; txBytes: bigint }> | undefined {
    return this.dp.port(portNo)?.counters;
  }

  /**
   * A new controller connection: `send` carries the answers and the asynchronous messages,
   * `version()` says what the connection negotiated (0 while it is down: nothing is sent).
   */
  attach(send: (msg: OfpMessage) => void, version: () => number): EmulatorSession {
    const a: Attachment = { send, version };
    this.dp.attachments.add(a);
    return {
      handle: (msg) => { for (const r of this.answer(msg)) send(r); },
      detach: () => { this.dp.attachments.delete(a); },
    };
  }

  /** The first answer to `msg`, or null; for one-shot use without a session (no asynchronous messages). */
  reply(msg: OfpMessage): OfpMessage | null {
    return this.answer(msg)[0] ?? null;
  }

  /** Every answer to `msg`, in order (multipart replies may take several messages). */
  answer(msg: OfpMessage): OfpMessage[] {
    const { version, xid } = msg;
    switch (msg.type) {
      case 'FEATURES_REQUEST':
        return [{
          type: 'FEATURES_REPLY', version, xid, datapathId: this.datapathId, nBuffers: this.nBuffers,
          nTables: this.nTables, capabilities: capabilities(version),
          ...(version === OFP10 ? { actions: ACTIONS_10 } : { reserved: 0 }),
          ...(version >= 4 ? { auxiliaryId: 0 } : { ports: this.ports.map((p) => ({ ...p })) }),
        } as OfpMessage];
      case 'ROLE_REQUEST':
        return [{ type: 'ROLE_REPLY', version, xid, role: msg.role, generationId: msg.generationId }];
      default:
        return handleRequest(this.dp, () => this.statsSource(), msg);
    }
  }

  /** A frame arrives on `port`: it goes through the flow tables like on a real switch. */
  receivePacket(port: number, frame: Buffer): void {
    this.dp.receivePacket(port, frame);
  }

  /** Takes a port's link up or down and tells every controller (PORT_STATUS). */
  setPortState(port: number, up: boolean): void {
    this.dp.setPortState(port, up);
  }

  /** Stops the timeout timer; the emulator keeps its state. */
  close(): void {
    this.dp.disarm();
  }

  private statsSource(): StatsSource {
    return { tables: this.dp.tables, ports: this.dp.ports, now: this.dp.clock.now(), description: this.description, datapathId: this.datapathId };
  }
}
