/**
 * Open vSwitch's `ovs-ofctl ofp-print` (a decoder nobody here wrote) run on bytes we encode, and
 * its output split into comparable tokens.
 *
 *   const p = await ofpPrint(encode(msg));
 *   expect(p.error).toBeUndefined();          // OVS decoded it
 *   expect(p.type).toBe('OFPT_FLOW_MOD');
 *   expect(p.fields.get('cookie')).toBe('0x11'); expect(p.words.has('send_flow_rem')).toBe(true);
 *
 * Tokens of the first line after "(xid=..): ": `k=v` and `k:v` go to `fields` (first one wins;
 * comma-separated lists such as a match are split, except `actions=`, kept whole), bare words to
 * `words`, and OVS's glued counters (`duration1.5s`, `idle60`, `pkts3`, `bytes180`) to `fields`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commandPath } from './peers.js';

const run = promisify(execFile);

export interface OfpPrinted {
  /** Everything ovs-ofctl printed. */
  text: string;
  /** OVS's decode error ("OFPBIC_UNKNOWN_INST", ...) when it could not decode the message. */
  error?: string;
  /** "OFPT_FLOW_MOD". */
  type: string;
  /** "OF1.3"; undefined for 1.0, which OVS does not label. */
  version?: string;
  xid: number;
  fields: Map<string, string>;
  words: Set<string>;
}

const GLUED = /^(duration|idle|hard|pkts|bytes)([0-9][0-9.]*s?)$/;

/** Runs `ovs-ofctl ofp-print HEX` on one message. */
export async function ofpPrint(wire: Buffer): Promise<OfpPrinted> {
  const ofctl = commandPath('ovs-ofctl');
  if (!ofctl) throw new Error('ovs-ofctl is not installed');
  const { stdout } = await run(ofctl, ['ofp-print', wire.toString('hex')], { timeout: 15_000 });
  return parseOfpPrint(stdout);
}

export function parseOfpPrint(text: string): OfpPrinted {
  const first = text.split('\n')[0] ?? '';
  const head = /^(\S+)(?: \((OF1\.\d)\))? \(xid=0x([0-9a-f]+)\):\s?(.*)$/.exec(first);
  if (!head) throw new Error(`unexpected ofp-print output: ${text}`);
  const out: OfpPrinted = {
    text, type: head[1]!, xid: parseInt(head[3]!, 16), fields: new Map(), words: new Set(),
    ...(head[2] ? { version: head[2] } : {}),
  };
  const error = /\*\*\*decode error: (\S+?)\*\*\*/.exec(text);
  if (error) out.error = error[1]!;
  for (const token of head[4]!.split(' ')) {
    if (token === '') continue;
    if (token.startsWith('actions=')) {
      add(out, 'actions', token.slice('actions='.length));
      continue;
    }
    for (const part of token.split(',')) {
      const glued = GLUED.exec(part);
      const kv = glued ? [glued[1]!, glued[2]!] : /^([a-z_0-9]+)[=:](.*)$/.exec(part)?.slice(1);
      if (kv) add(out, kv[0]!, kv[1]!);
      else out.words.add(part);
    }
  }
  return out;
}

function add(p: OfpPrinted, k: string, v: string): void {
  if (!p.fields.has(k)) p.fields.set(k, v);
}
