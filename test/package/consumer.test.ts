/**
 * The package as a user gets it: `npm pack`, then installed into temporary projects and used from
 * ESM, CommonJS, TypeScript (node16 and bundler resolution, subpaths included), `npx ofrconn`, and
 * an install without optional dependencies (no koffi: probing falls back to echo and says why).
 *
 * One pack and one shared install for everything but the no-optional case, from the npm cache
 * (`--prefer-offline`): `npm ci` filled it with every package the tarball depends on. TypeScript
 * and @types/node come from this repository's node_modules, not from the consumer's install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, ensureDist } from '../support/dist.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const NPM_ENV = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let work: string;
let tarball: string;
/** The consumer that gets the package with its optional dependencies and prom-client. */
let app: string;

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env: NPM_ENV, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr + (r.error ? String(r.error) : '') };
}

function ok(cmd: string, args: string[], cwd: string): string {
  const r = sh(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function project(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  // What `npm init -y` makes: a CommonJS package.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }, null, 2));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** A controller and a switch on loopback through the installed package, then its verdict. */
const LOOPBACK = `
  const server = await listen('ptcp:0:127.0.0.1', { probeInterval: 5 });
  const rconn = new Rconn({ probeInterval: 5 });
  const up = new Promise((resolve) => rconn.once('connected', resolve));
  rconn.connect('tcp:127.0.0.1:' + server.address().port);
  const info = await up;
  const s = rconn.status();
  console.log(JSON.stringify({ version: info.version, versionName: info.versionName, probe: info.probe,
    keepaliveError: s.keepaliveError, reason: sockoptUnavailableReason() ?? null, ofpVersion: versionName(OFP13) }));
  await rconn.close();
  await server.close();
`;

beforeAll(async () => {
  await ensureDist();
  work = mkdtempSync(join(tmpdir(), 'ofrconn-consumer-'));
  // dist/ is fresh (ensureDist) and other test files may be running it: pack it as it is rather
  // than let prepack rebuild it underneath them.
  const packed = JSON.parse(ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as
    Array<{ filename: string; size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }> }>;
  const p = packed[0]!;
  tarball = join(work, p.filename);
  console.log(`package: ${p.filename}, ${p.size} bytes packed, ${p.unpackedSize} unpacked, ${p.entryCount} files`);
  expect(p.files.map((f) => f.path).filter((f) => !/^(dist\/.*\.(js|d\.ts)|docs\/(API|DESIGN)\.md|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
  expect(p.files.some((f) => f.path.includes('/test/') || f.path.startsWith('dist/all/'))).toBe(false);

  app = project('app', {
    'esm.mjs': `import { Rconn, listen, versionName, sockoptUnavailableReason } from 'openflow-rconn';
import { OFP13 } from 'openflow-rconn/ofp';
${LOOPBACK}`,
    'cjs.cjs': `const { Rconn, listen, versionName, sockoptUnavailableReason } = require('openflow-rconn');
const { OFP13 } = require('openflow-rconn/ofp');
const { registerRconnMetrics } = require('openflow-rconn/metrics');
if (typeof registerRconnMetrics !== 'function') throw new Error('no registerRconnMetrics');
(async () => {${LOOPBACK}})().catch((err) => { console.error(err); process.exit(1); });`,
    'metrics.mjs': `import { Registry } from 'prom-client';
import { Rconn, listen } from 'openflow-rconn';
import { registerRconnMetrics } from 'openflow-rconn/metrics';
const server = await listen('ptcp:0:127.0.0.1');
const registry = new Registry();
registerRconnMetrics({ rconns: () => server.connections, registry });
const rconn = new Rconn();
const up = new Promise((resolve) => server.once('rconn', resolve));
rconn.connect('tcp:127.0.0.1:' + server.address().port);
await up;
process.stdout.write(await registry.metrics());
await rconn.close();
await server.close();`,
    'app.mts': `import { Rconn, versionName, type RconnStatus, type ConnectedInfo } from 'openflow-rconn';
import { decode, encode, OFP13, type OfpMessage } from 'openflow-rconn/ofp';
import { registerRconnMetrics, type RconnMetricsOptions } from 'openflow-rconn/metrics';
const msg: OfpMessage = { type: 'ECHO_REQUEST', version: OFP13, xid: 1, data: Buffer.alloc(0) };
const back: OfpMessage = decode(encode(msg));
const rconn = new Rconn({ probeInterval: 5 });
rconn.on('connected', (info: ConnectedInfo) => console.log(info.versionName, versionName(info.version)));
const status: RconnStatus = rconn.status();
const options: RconnMetricsOptions = { rconns: () => [rconn] };
registerRconnMetrics(options);
// @ts-expect-error: a version is a number on the wire; the types must say so
const wrong: ConnectedInfo = { version: '1.3', versionName: '1.3', seqno: 1, probe: 'echo' };
console.log(back.type, status.state, wrong);
`,
    'tsconfig.node16.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }),
    'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }),
  });
  ok('npm', ['install', '--prefer-offline', tarball, 'prom-client'], app);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function tsconfig(resolution: { module: string; moduleResolution: string }): string {
  return JSON.stringify({
    compilerOptions: {
      ...resolution, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false,
      typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node'],
    },
    files: ['app.mts'],
  }, null, 2);
}

// Each test starts node, npm or tsc: seconds alone, much longer on a loaded 2-core machine.
describe('the packed tarball, installed', { timeout: 120_000 }, () => {
  test('ESM: import from the package and its subpath, a loopback connection with transport probing', () => {
    const out = JSON.parse(ok(process.execPath, ['esm.mjs'], app));
    expect(out).toEqual({ version: 6, versionName: '1.5', probe: 'transport', keepaliveError: null, reason: null, ofpVersion: '1.3' });
  });

  test('CommonJS: require() of the package and both subpaths (Node >= 20.19 loads ESM through require)', () => {
    const out = JSON.parse(ok(process.execPath, ['cjs.cjs'], app));
    expect(out).toMatchObject({ versionName: '1.5', probe: 'transport' });
  });

  test.each(['node16', 'bundler'])('TypeScript, moduleResolution %s: types for the package and its subpaths', (mode) => {
    const r = sh(process.execPath, [TSC, '-p', `tsconfig.${mode}.json`], app);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  test('prom-client present: openflow-rconn/metrics reports the connection', () => {
    const text = ok(process.execPath, ['metrics.mjs'], app);
    expect(text).toMatch(/^ofrconn_connected\{connection="tcp:127\.0\.0\.1:\d+"\} 1$/m);
    expect(text).toMatch(/^ofrconn_info\{connection="[^"]+",target="[^"]+",version="1\.5",probe="(transport|echo)"\} 1$/m);
  });

  test('npx ofrconn: --help and --version from the installed bin', () => {
    const help = sh('npx', ['--no-install', 'ofrconn', '--help'], app);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ofrconn COMMAND/);
    expect(ok('npx', ['--no-install', 'ofrconn', '--version'], app).trim()).toMatch(/^ofrconn \d+\.\d+\.\d+/);
  });

  test('--omit=optional: no koffi, everything works, probing falls back to echo and says why', () => {
    const lean = project('lean', { 'esm.mjs': `import { Rconn, listen, versionName, sockoptUnavailableReason } from 'openflow-rconn';
import { OFP13 } from 'openflow-rconn/ofp';
${LOOPBACK}` });
    ok('npm', ['install', '--prefer-offline', '--omit=optional', tarball], lean);
    expect(existsSync(join(lean, 'node_modules/koffi'))).toBe(false);
    const out = JSON.parse(ok(process.execPath, ['esm.mjs'], lean));
    expect(out).toMatchObject({ versionName: '1.5', probe: 'echo' });
    const why = "koffi is not installed (the optional dependency that sets TCP keepalive options; npm install koffi): Cannot find module 'koffi'";
    expect(out.reason).toBe(why);
    expect(out.keepaliveError).toBe(`EOPNOTSUPP: ${why}`);
    // What a person sees: the connected line says which probing is in force and why.
    const demo = execFileSync('npx', ['--no-install', 'ofrconn', 'demo', '--duration', '1'], { cwd: lean, env: NPM_ENV, encoding: 'utf8' });
    expect(demo).toContain(`probe echo (OFPT_ECHO after 5 s idle; transport cannot probe: EOPNOTSUPP: ${why})`);
    // --metrics without the optional peer prom-client: one line that says what to install.
    const metrics = sh('npx', ['--no-install', 'ofrconn', 'controller', 'ptcp:0:127.0.0.1', '--metrics', '127.0.0.1:0'], lean);
    expect(metrics.code).toBe(1);
    expect(metrics.stderr.trim()).toBe('ofrconn: error: --metrics needs prom-client, an optional peer dependency: npm install prom-client');
  });
});
