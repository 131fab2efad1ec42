/**
 * python3-openflow (Debian's python3-openflow, module `pyof`: OpenFlow 1.0 and 1.3) as an outside
 * decoder and encoder for tests. One /usr/bin/python3 process answers a whole batch
 * (test/support/pyof_bridge.py):
 *
 *   const [theirs] = await pyofUnpack([encode(msg)]);     // { ok, value: pyof's fields as JSON }
 *   const [packed] = await pyofPack([{ ns: 'v0x04', expr: 'FlowMod(xid=5, ...)' }]);  // { ok, hex }
 *
 * Debian's python is /usr/bin/python3 (a python3 earlier in PATH may lack the module).
 */
import { execFile, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const BRIDGE = join(dirname(fileURLToPath(import.meta.url)), 'pyof_bridge.py');

export type PyofAnswer = { ok: true; value?: unknown; hex?: string } | { ok: false; error: string };
export interface PyofPackRequest {
  /** 'v0x01' (OpenFlow 1.0) or 'v0x04' (1.3). */
  ns: 'v0x01' | 'v0x04';
  /** A Python expression building a pyof message (every public pyof name of `ns` is in scope). */
  expr: string;
}

/** Whether /usr/bin/python3 can import pyof (the Debian package python3-openflow); checked once, synchronously. */
export function hasPyof(): boolean {
  importable ??= spawnSync(PYTHON, ['-c', 'import pyof'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
  return importable;
}
let importable: boolean | undefined;

async function bridge(requests: object[]): Promise<PyofAnswer[]> {
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(PYTHON, [BRIDGE], { timeout: 60_000, maxBuffer: 64 * 2 ** 20 }, (err, out, errOut) => {
      if (err) reject(new Error(`pyof bridge failed: ${err.message}\n${errOut}`));
      else resolve(out);
    });
    child.stdin!.end(JSON.stringify(requests));
  });
  return JSON.parse(stdout) as PyofAnswer[];
}

/** pyof's unpack of each message, as plain JSON (integers, hex strings for bytes, lists, objects). */
export function pyofUnpack(wires: readonly Buffer[]): Promise<PyofAnswer[]> {
  return bridge(wires.map((w) => ({ op: 'unpack', hex: w.toString('hex') })));
}

/** pyof's pack of each expression. */
export function pyofPack(reqs: readonly PyofPackRequest[]): Promise<PyofAnswer[]> {
  return bridge(reqs.map((r) => ({ op: 'pack', ...r })));
}
