/**
 * Open vSwitch's `ovs-ofctl ofp-print` (a decoder nobody here wrote) run on bytes we encode, and
 * its output split into comparable tokens. A message OVS cannot decode prints "***decode error",
 * and some checks only log a warning on stderr: both streams are kept.
 *
 *   const p = await ofpPrint(encode(msg));
 *   expect(p.error, p.text).toBeUndefined();  // OVS decoded it
 *   expect(p.warnings).toBe('');              // and did not complain
 *   expect(p.type).toBe('OFPT_FLOW_MOD');
 *   expect(p.fields.get('cookie')).toBe('0x11'); expect(p.words.has('send_flow_rem')).toBe(true);
 *
 * The first line's head gives `type` ("OFPT_FLOW_MOD", "OFPST_FLOW reply"), `version`, `xid`.
 * Tokens of the first line after "(xid=..): ": `k=v` and `k:v` go to `fields` (first one wins;
 * comma-separated lists such as a match are split, except `actions=`, kept whole), bare words to
 * `words`, and OVS's glued counters (`duration1.5s`, `idle60`, `pkts3`, `bytes180`) to `fields`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commandPath } from './peers.js';

const run = promisify(execFile);

export interface OfpPrinted {
  /** Everything ovs-ofctl printed on stdout. */
  text: string;
  /** stderr: OVS's rate-limited warnings about what it did not like. */
  warnings: string;
  /**
   * OVS's decode error ("OFPBIC_UNKNOWN_INST", ...) when it could not decode the message;
   * "decode error" when it said so in another form, "exit" when ovs-ofctl failed.
   */
  error?: string;
  /** "OFPT_FLOW_MOD", "OFPST_FLOW reply"; undefined when the first line has no "(xid=...)" head. */
  type?: string;
  /** "OF1.3"; undefined for 1.0, which OVS does not label. */
  version?: string;
  xid?: number;
  fields: Map<string, string>;
  words: Set<string>;
}

const GLUED = /^(duration|idle|hard|pkts|bytes)([0-9][0-9.]*s?)$/;

/** Runs `ovs-ofctl ofp-print HEX` on one message. */
export async function ofpPrint(wire: Buffer): Promise<OfpPrinted> {
  const ofctl = commandPath('ovs-ofctl');
  if (!ofctl) throw new Error('ovs-ofctl is not installed');
  let failed = false;
  const { stdout, stderr } = await run(ofctl, ['ofp-print', wire.toString('hex')], { timeout: 15_000 })
    .catch((err: { stdout?: string; stderr?: string }) => {
      failed = true;
      return { stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    });
  const out = parseOfpPrint(stdout, stderr);
  if (failed) out.error ??= 'exit';
  return out;
}

export function parseOfpPrint(text: string, warnings = ''): OfpPrinted {
  const out: OfpPrinted = { text, warnings, fields: new Map(), words: new Set() };
  const error = /\*\*\*decode error: (\S+?)\*\*\*/.exec(text);
  if (error) out.error = error[1]!;
  else if (/decode error/.test(text + warnings)) out.error = 'decode error';
  const first = text.split('\n')[0] ?? '';
  const head = /^(.+?)(?: \((OF1\.\d)\))? \(xid=0x([0-9a-f]+)\):\s?(.*)$/.exec(first);
  if (!head) return out;
  out.type = head[1]!;
  out.xid = parseInt(head[3]!, 16);
  if (head[2]) out.version = head[2];
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
