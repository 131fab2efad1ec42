/**
 * One OpenFlow flow table: entries ordered by priority, the selection rules of FLOW_MOD (strict:
 * same match and priority; non-strict: every entry at least as specific as the request), the
 * out_port / out_group / cookie filters of delete and the stats requests, lookup, and timeouts.
 * Times are milliseconds of the emulator's clock.
 */
import { OFPP, type Action, type Instruction, type Match } from '../ofp/index.js';
import { covers, overlaps, sameFields, subsumedBy, type FieldSet } from './fields.js';

export const OFPG_ANY = 0xffffffff;

export interface FlowEntry {
  tableId: number;
  priority: number;
  match: Match;
  fields: FieldSet;
  cookie: bigint;
  idleTimeout: number;
  hardTimeout: number;
  flags: number;
  importance: number;
  /** 1.0 flows carry their actions as one APPLY_ACTIONS. */
  instructions: Instruction[];
  installedAt: number;
  lastUsedAt: number;
  /** Bytes of the FLOW_MOD that made it: what the entry costs, for the datapath's byte budget. */
  wireBytes: number;
  packetCount: bigint;
  byteCount: bigint;
}

/** What selects entries for modify/delete and flow/aggregate stats. */
export interface FlowFilter {
  fields: FieldSet;
  /** Strict: exactly this match and priority. */
  strict: boolean;
  priority: number;
  /** OFPP.ANY for no filter. */
  outPort: number;
  /** OFPG_ANY for no filter. */
  outGroup: number;
  cookie: bigint;
  /** 0n for no filter. */
  cookieMask: bigint;
}

export const REMOVED_IDLE = 0;
export const REMOVED_HARD = 1;
export const REMOVED_DELETE = 2;

/** Every action an entry may execute (apply-actions and write-actions). */
export function actionsOf(entry: Pick<FlowEntry, 'instructions'>): Action[] {
  const out: Action[] = [];
  for (const i of entry.instructions) if (i.type === 'APPLY_ACTIONS' || i.type === 'WRITE_ACTIONS') out.push(...i.actions);
  return out;
}

function outputsTo(entry: FlowEntry, port: number): boolean {
  return actionsOf(entry).some((a) => a.type === 'OUTPUT' && a.port === port);
}

function groupsTo(entry: FlowEntry, group: number): boolean {
  return actionsOf(entry).some((a) => a.type === 'GROUP' && a.groupId === group);
}

export class FlowTable {
  /** Highest priority first; among equals, oldest first. */
  private entries: FlowEntry[] = [];
  lookupCount = 0n;
  matchedCount = 0n;
  /** Sum of the entries' wireBytes. */
  bytes = 0;

  constructor(readonly tableId: number, readonly maxEntries: number) {}

  get size(): number {
    return this.entries.length;
  }

  all(): readonly FlowEntry[] {
    return this.entries;
  }

  /** An entry with the same match and priority (which an add replaces). */
  identical(fields: FieldSet, priority: number): FlowEntry | undefined {
    return this.entries.find((e) => e.priority === priority && sameFields(e.fields, fields));
  }

  /** Whether an entry of the same priority could match a packet `fields` could match too. */
  overlapping(fields: FieldSet, priority: number): boolean {
    return this.entries.some((e) => e.priority === priority && !sameFields(e.fields, fields) && overlaps(e.fields, fields));
  }

  /** Inserts `entry`, replacing an identical one (whose entry is returned). */
  insert(entry: FlowEntry): FlowEntry | undefined {
    const old = this.identical(entry.fields, entry.priority);
    if (old) {
      this.entries.splice(this.entries.indexOf(old), 1);
      this.bytes -= old.wireBytes;
    }
    this.bytes += entry.wireBytes;
    let i = this.entries.findIndex((e) => e.priority < entry.priority);
    if (i < 0) i = this.entries.length;
    this.entries.splice(i, 0, entry);
    return old;
  }

  select(f: FlowFilter): FlowEntry[] {
    return this.entries.filter((e) => {
      if (f.strict ? e.priority !== f.priority || !sameFields(e.fields, f.fields) : !subsumedBy(e.fields, f.fields)) return false;
      if (f.outPort !== OFPP.ANY && !outputsTo(e, f.outPort)) return false;
      if (f.outGroup !== OFPG_ANY && !groupsTo(e, f.outGroup)) return false;
      return (e.cookie & f.cookieMask) === (f.cookie & f.cookieMask);
    });
  }

  remove(entries: readonly FlowEntry[]): void {
    const gone = new Set(entries);
    const kept: FlowEntry[] = [];
    for (const e of this.entries) {
      if (gone.has(e)) this.bytes -= e.wireBytes;
      else kept.push(e);
    }
    this.entries = kept;
  }

  /** New instructions for an entry (modify), its cost following. */
  reinstruct(entry: FlowEntry, instructions: Instruction[], wireBytes: number): void {
    entry.instructions = instructions;
    this.bytes += wireBytes - entry.wireBytes;
    entry.wireBytes = wireBytes;
  }

  /** The entry a packet hits (counted in the table's lookup/matched counters). */
  lookup(pkt: FieldSet): FlowEntry | undefined {
    this.lookupCount++;
    const hit = this.entries.find((e) => covers(e.fields, pkt));
    if (hit) this.matchedCount++;
    return hit;
  }

  /** Entries whose idle or hard timeout has passed at `now`, with the reason; they are removed. */
  expire(now: number): Array<{ entry: FlowEntry; reason: number }> {
    const out: Array<{ entry: FlowEntry; reason: number }> = [];
    for (const e of this.entries) {
      if (e.hardTimeout > 0 && now >= e.installedAt + e.hardTimeout * 1000) out.push({ entry: e, reason: REMOVED_HARD });
      else if (e.idleTimeout > 0 && now >= e.lastUsedAt + e.idleTimeout * 1000) out.push({ entry: e, reason: REMOVED_IDLE });
    }
    if (out.length) this.remove(out.map((x) => x.entry));
    return out;
  }

  /** The earliest moment an entry may time out, or Infinity. */
  nextExpiry(): number {
    let t = Infinity;
    for (const e of this.entries) {
      if (e.hardTimeout > 0) t = Math.min(t, e.installedAt + e.hardTimeout * 1000);
      if (e.idleTimeout > 0) t = Math.min(t, e.lastUsedAt + e.idleTimeout * 1000);
    }
    return t;
  }
}
