import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect } from 'vitest';
import { FIXTURES_DIR } from '../support/fixtures.js';
import { itWithNetns, withNetns } from '../support/netns.js';
import { DIST_INDEX, ensureDist } from '../support/dist.js';

// The child runs the built library (plain node cannot load .ts files).
const CHILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'netns', 'idle-child.mjs');

interface Event {
  event: string;
  kind?: string;
  code?: string;
  ms?: number;
  sawIdle?: boolean;
  ports?: Record<string, number>;
  results?: Record<string, unknown>;
  idleBefore?: Record<string, boolean>;
  info?: { probes: number };
}

describe('isIdle and keepalive for real (network namespace, iptables DROP)', () => {
  beforeAll(ensureDist, 120_000);

  itWithNetns(
    'tcp and ssl: keepalive 2 s, port blackholed -> isIdle() true, then ETIMEDOUT',
    () =>
      withNetns(async (ns) => {
        const child = ns.spawn(process.execPath, [CHILD_SCRIPT, DIST_INDEX, join(FIXTURES_DIR, 'tls')]);
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += d));
        const events: Event[] = [];
        const lines = createInterface({ input: child.stdout! });
        const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        const nextEvent = (name: string): Promise<Event> =>
          new Promise((resolve, reject) => {
            const seen = events.find((e) => e.event === name);
            if (seen) return resolve(seen);
            const onLine = (): void => {
              const e = events.find((x) => x.event === name);
              if (e) {
                lines.off('line', onLine);
                resolve(e);
              }
            };
            lines.on('line', onLine);
            void exited.then((code) => reject(new Error(`child exited (${code}) before "${name}": ${stderr}`)));
          });
        lines.on('line', (l) => events.push(JSON.parse(l) as Event));

        const ready = await nextEvent('ready');
        expect(ready.results).toEqual({ tcp: 0, ssl: 0 });
        expect(ready.idleBefore).toEqual({ tcp: false, ssl: false });
        for (const port of Object.values(ready.ports!)) ns.dropPort(port);
        child.stdin!.write('drop\n');
        const code = await exited;
        console.log('[netns keepalive]', events.filter((e) => e.event === 'idle' || e.event === 'error').map((e) => `${e.event} ${e.kind} ${e.code ?? ''} +${e.ms}ms`).join('; '));
        expect(code, stderr).toBe(0);
        for (const kind of ['tcp', 'ssl']) {
          const idle = events.find((e) => e.event === 'idle' && e.kind === kind);
          const error = events.find((e) => e.event === 'error' && e.kind === kind);
          expect(idle, `${kind} never went idle`).toBeDefined();
          expect(idle!.info!.probes).toBeGreaterThan(0);
          expect(error!.code).toBe('ETIMEDOUT');
          expect(error!.sawIdle).toBe(true);
          expect(idle!.ms!).toBeLessThanOrEqual(error!.ms!);
        }
      }),
    30_000,
  );
});
