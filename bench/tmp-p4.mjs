// scratch: one variant of P4 with controller CPU accounting
import { startFastReply10 } from './controllers/fast-reply-10.mjs';
import { startFastReply13 } from './controllers/fast-reply-13.mjs';
import { startBare10 } from './controllers/bare-10.mjs';
import { startBare13 } from './controllers/bare-13.mjs';
import { jain, startPeer } from './lib/util.mjs';
const [variant = 'rconn', ver = '1'] = process.argv.slice(2);
const start = { rconn1: startFastReply10, rconn4: startFastReply13, bare1: () => startBare10({ batched: true }), bare4: () => startBare13({ batched: true }) }[variant + ver];
const gen = startPeer('peers/cbench.mjs');
const ctl = await start();
const u0 = process.cpuUsage();
const r = await gen.request({ cmd: 'run', port: ctl.port, switches: 16, window: 64, warmMs: 500, ms: +(process.env.MS || 3000), version: +ver, flood: true });
const u = process.cpuUsage(u0);
console.log(variant, ver, 'rate', Math.round(r.rate), 'jain', jain(r.perSwitch).toFixed(3), 'ctl cpu s', ((u.user + u.system) / 1e6).toFixed(2), 'ns/msg(cpu over window+warm)', Math.round((u.user+u.system)*1000 / (r.rate * (+(process.env.MS||3000)+500)/1000)));
await ctl.close(); await gen.stop();
