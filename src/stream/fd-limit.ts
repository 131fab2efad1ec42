/**
 * The process's descriptor limit (RLIMIT_NOFILE, soft), read once from /proc/self/limits on Linux.
 * libuv meets EMFILE on accept with its reserve-descriptor trick (accept and close at once) and
 * does not report it, so the listener notices exhaustion by itself: see passive.ts.
 */
import { readFileSync } from 'node:fs';

let cached: number | null | undefined;

/** The soft limit on open descriptors, or undefined when unknown (not Linux, unlimited). */
export function descriptorLimit(): number | undefined {
  if (cached === undefined) cached = readLimit();
  return cached ?? undefined;
}

function readLimit(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
