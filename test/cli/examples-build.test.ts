/** `npm run examples:build`: the examples compiled on their own, importing the package by name, and run. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { buildExamples } from '../support/examples-build.js';
import { ROOT, ensureBuilt, killLeftovers, startScript } from './spawn-cli.js';

describe('npm run examples:build', () => {
  afterEach(killLeftovers);

  test('compiles only examples/, and the output imports the package by name and runs', async () => {
    await ensureBuilt();
    // What `npm run examples:build` runs after `npm run build`.
    const tsc = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.examples.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const ours = tsc.stdout.split('\n').filter((f) => f.startsWith(ROOT) && !f.includes('/node_modules/'));
    // The library comes in as declarations from dist/ (the package's "exports"), never as source.
    expect(ours.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).every((f) => f.startsWith(join(ROOT, 'examples/')))).toBe(true);
    expect(ours.some((f) => f === join(ROOT, 'dist/index.d.ts'))).toBe(true);
    // The build itself, under the lock the other example tests share.
    const [controllerJs, switchJs] = await buildExamples('controller.ts', 'switch.ts');

    const ctl = startScript(controllerJs!, ['ptcp:0:127.0.0.1']);
    const port = /\(port (\d+)\)/.exec(await ctl.waitFor(/^listening on /))![1];
    const sw = startScript(switchJs!, [`tcp:127.0.0.1:${port}`]);
    await sw.waitFor(/connected to tcp:127\.0\.0\.1:\d+, OpenFlow 1\.5/);
    await ctl.waitFor(/datapath id 000000000000002a, ports /);
    sw.signal('SIGINT');
    ctl.signal('SIGINT');
    expect((await sw.exited).code).toBe(0);
    expect((await ctl.exited).code).toBe(0);
  }, 120_000);
});
