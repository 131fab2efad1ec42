/**
 * The data plane of the emulated switch, shared by every connection to it: ports and their
 * counters, one flow table per table id, the packet buffers, the pipeline (lookup, instructions,
 * actions, outputs), timeouts and the asynchronous messages (PACKET_IN, FLOW_REMOVED, PORT_STATUS)
 * sent to every attached connection in its own version.
 */
import { EventEmitter } from 'node:events';
import { OFP13, OFP14, OFPP, type Action, type Instruction, type OfpMessage } from '../ofp/index.js';
import { systemClock, type Clock } from '../rconn/clock.js';
import { frameFields } from './frame.js';
import type { FieldSet } from './fields.js';
import { FlowTable, type FlowEntry } from './flow-table.js';
import { isUp, makePort, setLinkDown, type EmulatedPort } from './ports.js';
import { flowRemoved, packetIn, portStatus } from './wire.js';

export const NO_BUFFER = 0xffffffff;
/** OFPCML_NO_BUFFER: send the whole packet, buffer nothing. */
export const NO_BUFFER_LEN = 0xffff;
const OFPPR_MODIFY = 2;
const OFPPC_NO_FWD = 1 << 5;
const OFPPC_NO_FLOOD_10 = 1 << 4;
/** OFPR_ numbers; 1.4 renamed NO_MATCH to TABLE_MISS and ACTION to APPLY_ACTION, same numbers. */
const REASON_NO_MATCH = 0;
const REASON_ACTION = 1;
/** 1.4+: a PACKET_OUT's output to CONTROLLER; earlier versions call it ACTION. */
export const REASON_PACKET_OUT = 5;

/** One controller connection as the datapath sees it. */
export interface Attachment {
  /** The negotiated version now; 0 while disconnected (nothing is sent then). */
  version(): number;
  send(msg: OfpMessage): void;
}

export interface DatapathEvents {
  /** A frame leaves the switch on `port`. */
  output: [port: number, frame: Buffer];
  /** A frame sent to the controllers (reason as the version numbers it). */
  packetIn: [inPort: number, frame: Buffer, reason: number];
}

export interface DatapathOptions {
  datapathId: bigint;
  ports: number;
  nTables: number;
  nBuffers: number;
  maxEntries: number;
  /** Bytes of FLOW_MOD the flow tables may hold together. */
  maxFlowBytes: number;
  clock?: Clock;
}

export class Datapath extends EventEmitter<DatapathEvents> {
  readonly ports: EmulatedPort[];
  readonly tables: FlowTable[];
  readonly clock: Clock;
  readonly attachments = new Set<Attachment>();
  /** SET_CONFIG: flags and miss_send_len, switch-wide. */
  config = { flags: 0, missSendLen: 128 };
  private readonly buffers = new Map<number, { frame: Buffer; inPort: number }>();
  private nextBufferId = 1;
  private timer: unknown = null;
  private timerAt = Infinity;

  constructor(readonly options: DatapathOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    const now = this.clock.now();
    this.ports = Array.from({ length: options.ports }, (_, i) => makePort(i + 1, now));
    this.tables = Array.from({ length: options.nTables }, (_, i) => new FlowTable(i, options.maxEntries));
  }

  port(no: number): EmulatedPort | undefined {
    return this.ports.find((p) => p.desc.portNo === no);
  }

  /** A frame arrives on `portNo`: counted, looked up, its actions applied. */
  receivePacket(portNo: number, frame: Buffer): void {
    const port = this.port(portNo);
    if (!port) throw new RangeError(`no port ${portNo}`);
    port.counters.rxPackets++;
    port.counters.rxBytes += BigInt(frame.length);
    if (!isUp(port)) { port.counters.rxDropped++; return; }
    this.pipeline(portNo, frame);
  }

  /** Link up or down; every controller is told with PORT_STATUS (MODIFY). */
  setPortState(portNo: number, up: boolean): void {
    const port = this.port(portNo);
    if (!port) throw new RangeError(`no port ${portNo}`);
    setLinkDown(port, !up);
    this.broadcast((v) => portStatus(v, OFPPR_MODIFY, port.desc));
  }

  /** Runs the tables from `tableId` for a frame (receivePacket, PACKET_OUT to TABLE, buffered FLOW_MOD). */
  pipeline(inPort: number, frame: Buffer): void {
    const fields = frameFields(frame, inPort);
    let actionSet: Action[] = [];
    const now = this.clock.now();
    for (let tableId = 0; tableId < this.tables.length;) {
      const entry = this.tables[tableId]!.lookup(fields);
      if (!entry) {
        this.tableMiss(inPort, frame, tableId);
        return;
      }
      entry.packetCount++;
      entry.byteCount += BigInt(frame.length);
      entry.lastUsedAt = now;
      const next = this.instructions(entry, fields, inPort, frame, actionSet);
      actionSet = next.actionSet;
      if (next.gotoTable === undefined) break;
      tableId = next.gotoTable;
    }
    this.execute(actionSet, inPort, frame, REASON_ACTION, 0, 0n);
  }

  private instructions(entry: FlowEntry, fields: FieldSet, inPort: number, frame: Buffer, set: Action[]):
    { actionSet: Action[]; gotoTable?: number } {
    let actionSet = set;
    let gotoTable: number | undefined;
    // A table-miss entry (priority 0, empty match) sends with reason NO_MATCH, as the spec asks.
    const reason = entry.priority === 0 && entry.fields.size === 0 ? REASON_NO_MATCH : REASON_ACTION;
    for (const i of entry.instructions as Instruction[]) {
      if (i.type === 'APPLY_ACTIONS') this.execute(i.actions, inPort, frame, reason, entry.tableId, entry.cookie);
      else if (i.type === 'CLEAR_ACTIONS') actionSet = [];
      else if (i.type === 'WRITE_ACTIONS') actionSet = [...actionSet.filter((a) => !i.actions.some((b) => b.type === a.type)), ...i.actions];
      else if (i.type === 'WRITE_METADATA') {
        const md = fields.get('metadata')!;
        md.value = (md.value & ~i.metadataMask) | (i.metadata & i.metadataMask);
      } else if (i.type === 'GOTO_TABLE') gotoTable = i.tableId;
    }
    return { actionSet, gotoTable };
  }

  /** No entry matched: 1.0-1.2 connections get the packet (their default), 1.3+ drop it. */
  private tableMiss(inPort: number, frame: Buffer, tableId: number): void {
    this.sendPacketIn(inPort, frame, REASON_NO_MATCH, tableId, 0n, this.config.missSendLen, (v) => v < OFP13);
  }

  /** Applies an action list to one frame; set-field actions change the frame for the ones after. */
  execute(actions: readonly Action[], inPort: number, frame: Buffer, reason: number, tableId: number, cookie: bigint): void {
    let f = frame;
    for (const a of actions) {
      if (a.type === 'OUTPUT') this.output(a.port, inPort, f, a.maxLen ?? 0, reason, tableId, cookie);
      else if (a.type === 'SET_DL_SRC' || a.type === 'SET_DL_DST') f = rewriteMac(f, a.type === 'SET_DL_SRC' ? 6 : 0, a.mac);
      else if (a.type === 'SET_FIELD' && a.field.ethSrc) f = rewriteMac(f, 6, a.field.ethSrc);
      else if (a.type === 'SET_FIELD' && a.field.ethDst) f = rewriteMac(f, 0, a.field.ethDst);
    }
  }

  private output(port: number, inPort: number, frame: Buffer, maxLen: number, reason: number, tableId: number, cookie: bigint): void {
    if (port === OFPP.CONTROLLER) {
      this.sendPacketIn(inPort, frame, reason, tableId, cookie, maxLen, () => true);
    } else if (port === OFPP.FLOOD || port === OFPP.ALL) {
      for (const p of this.ports) {
        if (p.desc.portNo === inPort) continue;
        if (port === OFPP.FLOOD && (p.desc.config & OFPPC_NO_FLOOD_10) !== 0) continue;
        this.transmit(p, frame);
      }
    } else if (port === OFPP.IN_PORT) {
      const p = this.port(inPort);
      if (p) this.transmit(p, frame);
    } else if (port === OFPP.TABLE) {
      this.pipeline(inPort, frame);
    } else if (port !== inPort) {
      // OpenFlow never sends a frame back out of its in_port unless IN_PORT says so.
      const p = this.port(port);
      if (p) this.transmit(p, frame);
    }
  }

  private transmit(p: EmulatedPort, frame: Buffer): void {
    if (!isUp(p) || (p.desc.config & OFPPC_NO_FWD) !== 0) {
      p.counters.txDropped++;
      return;
    }
    p.counters.txPackets++;
    p.counters.txBytes += BigInt(frame.length);
    this.emit('output', p.desc.portNo, frame);
  }

  private sendPacketIn(inPort: number, frame: Buffer, reason: number, tableId: number, cookie: bigint, maxLen: number,
    wants: (version: number) => boolean): void {
    const buffered = maxLen !== NO_BUFFER_LEN && this.options.nBuffers > 0 && frame.length > maxLen;
    const bufferId = buffered ? this.store(frame, inPort) : NO_BUFFER;
    const data = buffered ? frame.subarray(0, maxLen) : frame;
    let sent = false;
    this.broadcast((v) => {
      if (!wants(v)) return null;
      sent = true;
      const why = reason === REASON_PACKET_OUT && v < OFP14 ? REASON_ACTION : reason;
      return packetIn(v, { bufferId, totalLen: frame.length, inPort, reason: why, tableId, cookie, data });
    });
    if (sent) this.emit('packetIn', inPort, frame, reason);
  }

  private store(frame: Buffer, inPort: number): number {
    const id = this.nextBufferId;
    this.nextBufferId = this.nextBufferId >= 0xfffffffe ? 1 : this.nextBufferId + 1;
    this.buffers.set(id, { frame: Buffer.from(frame), inPort });
    // Oldest first out: a Map iterates in insertion order.
    if (this.buffers.size > this.options.nBuffers) this.buffers.delete(this.buffers.keys().next().value!);
    return id;
  }

  /** Takes a buffered packet out (a buffer is used once), or undefined when unknown. */
  takeBuffer(id: number): { frame: Buffer; inPort: number } | undefined {
    const b = this.buffers.get(id);
    this.buffers.delete(id);
    return b;
  }

  /** Sends what `build(version)` returns to every connected attachment; a null skips one. */
  broadcast(build: (version: number) => OfpMessage | null): void {
    for (const a of this.attachments) {
      const v = a.version();
      if (v === 0) continue;
      try {
        const msg = build(v);
        if (msg) a.send(msg);
      } catch {
        // One connection that cannot take it (queue full, a match its version cannot encode)
        // must not keep the others from hearing.
      }
    }
  }

  /** FLOW_REMOVED to every connection, for an entry that asked for it. */
  flowRemoved(entry: FlowEntry, reason: number): void {
    const durationMs = this.clock.now() - entry.installedAt;
    this.broadcast((v) => flowRemoved(v, entry, reason, durationMs));
  }

  /** Removes what has timed out (FLOW_REMOVED where flagged) and arms the timer for the next. */
  expire(): void {
    const now = this.clock.now();
    for (const t of this.tables) {
      for (const { entry, reason } of t.expire(now)) if (entry.flags & 1) this.flowRemoved(entry, reason);
    }
    this.armExpiry();
  }

  armExpiry(): void {
    const at = Math.min(...this.tables.map((t) => t.nextExpiry()));
    if (at === this.timerAt) return;
    this.disarm();
    if (!Number.isFinite(at)) return;
    this.timerAt = at;
    this.timer = this.clock.setTimer(() => { this.timer = null; this.timerAt = Infinity; this.expire(); }, Math.max(0, at - this.clock.now()));
    // An emulator with timed flows must not keep a process alive on its own.
    (this.timer as { unref?: () => void } | null)?.unref?.();
  }

  disarm(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }
}

function rewriteMac(frame: Buffer, at: number, mac: string): Buffer {
  if (frame.length < 12) return frame;
  const out = Buffer.from(frame);
  Buffer.from(mac.replace(/:/g, ''), 'hex').copy(out, at);
  return out;
}

