/**
 * `ovs-ofctl ofp-print <hex>`: Open vSwitch's own decoder printing a message we encoded. A message
 * OVS cannot decode prints "***decode error" (and some checks only log a warning on stderr), so
 * both streams are returned.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { commandPath } from './peers.js';

const run = promisify(execFile);

export interface OfpPrint {
  text: string;
  /** stderr: OVS's rate-limited warnings about what it did not like. */
  warnings: string;
  decodeError: boolean;
}

export async function ofpPrint(wire: Buffer): Promise<OfpPrint> {
  const ofctl = commandPath('ovs-ofctl') ?? 'ovs-ofctl';
  const { stdout, stderr } = await run(ofctl, ['ofp-print', wire.toString('hex')], { timeout: 10_000 })
    .catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: `${err.stderr ?? ''} (exit)` }));
  return { text: stdout, warnings: stderr, decodeError: /decode error|\(exit\)/.test(stdout + stderr) };
}
