/**
 * python3-openflow (pyof, Debian's python3-openflow; OpenFlow 1.0 and 1.3) against our codec, for
 * the port, config, group, meter, queue, async and STATS/MULTIPART types both cover:
 * - our bytes unpack in pyof, and every field pyof names equals ours;
 * - the bytes pyof packs from that object decode in ours to the same fields.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { OFP10, decode, encode, statsTypeCode, type OfpMessage } from '../../src/ofp/index.js';
import { checkPeers } from '../support/peers.js';
import { moreSamples, type MoreSample } from '../support/more-samples.js';

const PYTHON = '/usr/bin/python3';
const peers = checkPeers([PYTHON], 'python3-openflow (pyof) cross-check');
const hasPyof = peers.ok && spawnSync(PYTHON, ['-c', 'import pyof'], { stdio: 'ignore' }).status === 0;
if (!hasPyof && process.env.CI === 'true') test('python3-openflow installed', () => { throw new Error('apt-get install python3-openflow'); });
const DUMP = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'support', 'pyof-dump.py');

/**
 * Where pyof cannot take a valid message, the cross-check uses a value it accepts, or skips:
 * pyof types some numbers as enums (a queue request's port must be a reserved port, an async mask
 * one PacketInReason, meter band_types one MeterBandType), its GroupDescStats list cannot pack
 * or unpack itself (FixedTypeList bug), and it reads table-feature instruction ids as whole
 * instructions. Each is listed, none is silent.
 */
function forPyof(s: MoreSample): OfpMessage | undefined {
  const m = s.msg;
  if (m.type === 'QUEUE_GET_CONFIG_REQUEST') {
    return { ...m, port: m.version === OFP10 ? 0xff00 : 0xffffff00 } as OfpMessage;
  }
  if (m.type === 'GET_ASYNC_REPLY' || m.type === 'SET_ASYNC') {
    return { ...m, packetInMask: [1, 0], portStatusMask: [2, 0], flowRemovedMask: [1, 0] };
  }
  if ((m.type === 'MULTIPART_REPLY' || m.type === 'STATS_REPLY') && m.stats === 'METER_FEATURES') return { ...m, bandTypes: 2 };
  if ((m.type === 'MULTIPART_REPLY' || m.type === 'STATS_REPLY') && m.stats === 'GROUP_DESC') return undefined;
  // Its table-features properties read each instruction id as a whole instruction (a goto_table's table_id past the end).
  if (m.type === 'MULTIPART_REPLY' && m.stats === 'TABLE_FEATURES') return undefined;
  // Its queue-property list reads a property header and skips the min-rate body: queues without properties.
  if (m.type === 'QUEUE_GET_CONFIG_REPLY') {
    return { ...m, port: m.version === OFP10 ? 0xff00 : 0xffffff00, queues: m.queues.map((q) => ({ ...q, properties: [] })) };
  }
  return m;
}

/**
 * pyof packs these wrongly: METER_MOD with a header length that leaves out its bands, the 1.3
 * QUEUE_GET_CONFIG messages with message type 7/8 (its Header default) instead of 22/23.
 */
const PYOF_PACK_BUGS = new Set(['4 METER_MOD', '4 QUEUE_GET_CONFIG_REQUEST', '4 QUEUE_GET_CONFIG_REPLY']);

type Tree = unknown;
const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Our message as pyof names it: snake_case keys, Buffers as { hex }, bigints as strings, plus the
 * stats type number (pyof's body_type / multipart_type) and the body bytes (what pyof leaves
 * unparsed of a request).
 */
function oursForPyof(msg: OfpMessage): Record<string, Tree> {
  const out = ours(msg) as Record<string, Tree>;
  if (msg.type === 'STATS_REQUEST' || msg.type === 'STATS_REPLY' || msg.type === 'MULTIPART_REQUEST' || msg.type === 'MULTIPART_REPLY') {
    const code = msg.stats === 'RAW' ? msg.statsType : statsTypeCode(msg.stats, msg.version);
    out.body_type = out.multipart_type = code;
    out.body_bytes = { hex: encode(msg).subarray(msg.version === OFP10 ? 12 : 16).toString('hex') };
  }
  return out;
}

function ours(x: unknown): Tree {
  if (Buffer.isBuffer(x)) return { hex: x.toString('hex') };
  if (typeof x === 'bigint') return x.toString();
  if (Array.isArray(x)) return x.map(ours);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [snake(k), ours(v)]));
  return x;
}

/** pyof's names for ours where they differ (path segment -> our segment). */
const RENAME: Record<string, string> = {
  bucket_stats: 'buckets', band_stats: 'bands', max_length: 'max_len', band_type: 'type', miss_send_len: 'miss_send_len',
};
/** pyof fields with nothing to compare: lengths we compute, type codes the message type already fixes, and the match (checked by ovs-ofctl). */
const SKIP = /(^|\.)(length|message_type|action_type|instruction_type|match)$|\.match\./;

/** Compares every leaf of pyof's tree with ours; returns the number of leaves compared. */
function compare(py: Tree, msg: OfpMessage, problems: string[]): number {
  const mine = oursForPyof(msg);
  let n = 0;
  const walk = (p: Tree, path: string): void => {
    if (SKIP.test(path)) return;
    if (p && typeof p === 'object' && !Array.isArray(p) && !('hex' in p)) {
      for (const [k, v] of Object.entries(p)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    if (Array.isArray(p)) {
      p.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    const got = lookup(mine, path);
    n++;
    if (JSON.stringify(normal(got)) !== JSON.stringify(normal(p))) problems.push(`${path}: pyof ${JSON.stringify(p)} ours ${JSON.stringify(got)}`);
  };
  walk(py, '');
  return n;
}

const normal = (v: Tree): Tree => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v);

/** Our value at a pyof path: header.* is ours at the top; multipart body[i] is entries[i], body.x is x. */
function lookup(mine: Record<string, Tree>, path: string): Tree {
  let p = path.replace(/^header\./, '').replace(/^body\[/, 'entries[').replace(/^body\./, '').replace(/^body$/, 'body_bytes');
  // pyof spells fixed arrays as numbered fields: packet_in_mask1, max_groups3, actions4.
  p = p.replace(/(packet_in_mask|port_status_mask|flow_removed_mask|max_groups|actions)([1-4])$/,
    (_m, k: string, i: string) => `${k}[${Number(i) - 1}]`);
  let cur: Tree = mine;
  for (const seg of p.split(/\.|(?=\[)/)) {
    const idx = /^\[(\d+)\]$/.exec(seg);
    const key = idx ? Number(idx[1]) : RENAME[seg] ?? seg;
    cur = cur == null ? undefined : (cur as Record<string | number, Tree>)[key];
  }
  return cur;
}

interface PyResult { ok: boolean; msg?: Tree; packed?: string; error?: string; packError?: string }

function runPyof(wires: Buffer[]): PyResult[] {
  const r = spawnSync(PYTHON, [DUMP], { input: wires.map((w) => w.toString('hex')).join('\n') + '\n', encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`pyof-dump failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as PyResult);
}

describe.runIf(hasPyof)('python3-openflow and our codec agree', () => {
  const samples = [1, 4].flatMap((v) => moreSamples(v)).map((s) => ({ label: `${s.msg.version} ${s.label}`, msg: forPyof(s) }))
    .filter((s): s is { label: string; msg: OfpMessage } => s.msg !== undefined);
  const results = runPyof(samples.map((s) => encode(s.msg)));
  let leaves = 0;
  let packedChecked = 0;
  let packBugs = 0;

  test.each(samples.map((s, i) => [s.label, s, results[i]!] as const))('%s', (_label, s, py) => {
    expect(py.ok, py.error).toBe(true);
    const problems: string[] = [];
    const n = compare(py.msg, s.msg, problems);
    expect(problems).toEqual([]);
    expect(n).toBeGreaterThanOrEqual(2); // version and xid at least
    leaves += n;
    // pyof's own bytes for the same object decode in ours to the fields pyof meant.
    expect(py.packed, py.packError).toBeDefined();
    const packed = Buffer.from(py.packed!, 'hex');
    if (packed.readUInt16BE(2) !== packed.length || packed[1] !== encode(s.msg)[1]) {
      expect(PYOF_PACK_BUGS.has(s.label), `pyof packed a bad header for ${s.label}: ${py.packed}`).toBe(true);
      packBugs++;
      return;
    }
    const back = decode(packed);
    const again: string[] = [];
    compare(py.msg, back, again);
    expect(again).toEqual([]);
    packedChecked++;
  });

  test('summary', () => {
    console.log(`pyof cross-check: ${samples.length} messages, ${leaves} fields compared, ${packedChecked} pyof-packed ` +
      `messages decoded, ${packBugs} pyof pack bugs`);
    // Both directions ran for every sample, and multipart covered every kind 1.3 has.
    expect(packedChecked + packBugs).toBe(samples.length);
    expect(packBugs).toBe(PYOF_PACK_BUGS.size);
    expect(samples.filter((s) => s.msg.type === 'MULTIPART_REPLY').length).toBe(
      ['DESC', 'FLOW', 'AGGREGATE', 'TABLE', 'PORT_STATS', 'QUEUE', 'GROUP', 'GROUP_FEATURES', 'METER', 'METER_CONFIG',
        'METER_FEATURES', 'PORT_DESC'].filter((k) => statsTypeCode(k as never, 4) !== undefined).length);
  });
});
