// P4 / P4b: a fast-reply controller (PACKET_IN -> PACKET_OUT) built on Rconn, in OpenFlow 1.0 (P4)
// and 1.3 (P4b, in_port read from the match), under 16 emulated switches loading it the way stock
// cbench's throughput mode does (each keeps its socket full of PACKET_INs), vs a bare net.Server
// controller parsing by hand and writing the answers of each chunk in one write. The generator
// (bench/peers/cbench.mjs) runs in a child process; the controller runs here, alone on its event
// loop, as it would in production. Each variant also reports every switch's answers and Jain's
// fairness index over them.
import { startFastReply10 } from './controllers/fast-reply-10.mjs';
import { startFastReply13 } from './controllers/fast-reply-13.mjs';
import { startBare10 } from './controllers/bare-10.mjs';
import { startBare13 } from './controllers/bare-13.mjs';
import { jain, median, row, smoke, startPeer } from './lib/util.mjs';

const SWITCHES = 16;
// Only for the windowed generator; the flood (cbench) mode keeps the socket full instead.
const WINDOW = 64;

const VERSIONS = {
  P4: { version: 1, label: 'OF1.0', rconn: () => startFastReply10(), bare: () => startBare10({ batched: true }) },
  P4b: { version: 4, label: 'OF1.3 (in_port from the match)', rconn: () => startFastReply13(), bare: () => startBare13({ batched: true }) },
};

async function fastReply(id) {
  const v = VERSIONS[id];
  const gen = startPeer('peers/cbench.mjs');
  try {
    const rounds = smoke() ? 1 : 3;
    const [warmMs, ms] = smoke() ? [50, 100] : [500, 2000];
    const switches = smoke() ? 2 : SWITCHES;
    const runs = { rconn: [], bare: [] };
    // Alternating rounds: a noisy neighbour slows both variants, not one.
    for (let i = 0; i < rounds; i++) {
      for (const name of ['bare', 'rconn']) {
        const ctl = await v[name]();
        try {
          await gen.request({ cmd: 'start', port: ctl.port, switches, window: WINDOW, warmMs, version: v.version, flood: true });
          // The controller runs in this process: its CPU over the window, per answer, is the
          // figure a saturated generator cannot cap (both controllers may reach its limit).
          const cpu0 = process.cpuUsage();
          const result = await gen.request({ cmd: 'measure', ms });
          const cpu = process.cpuUsage(cpu0);
          const answers = result.perSwitch.reduce((a, b) => a + b, 0);
          runs[name].push({ ...result, cpuNsPerAnswer: answers ? ((cpu.user + cpu.system) * 1000) / answers : null });
        } finally {
          await ctl.close();
        }
      }
    }
    const rate = (name) => median(runs[name].map((r) => r.rate));
    const fairness = (name) => median(runs[name].map((r) => jain(r.perSwitch)));
    const value = rate('rconn');
    const baseline = rate('bare');
    const round = (xs) => xs.map(Math.round);
    const cpuPerAnswer = (name) => median(runs[name].map((r) => r.cpuNsPerAnswer));
    const title = `${id} fast-reply controller ${v.label}, ${switches} switches (cbench load)`;
    return [
      row(title, Math.round(value), 'PACKET_OUT/s', Math.round(baseline), Number((value / baseline).toFixed(3)),
        { op: '>=', value: 0.7, unit: ' of bare' },
        {
          rounds: { rconn: round(runs.rconn.map((r) => r.rate)), bare: round(runs.bare.map((r) => r.rate)) },
          // Answers per switch over each round's window, in switch order.
          perSwitch: { rconn: runs.rconn.map((r) => r.perSwitch), bare: runs.bare.map((r) => r.perSwitch) },
        }),
      // The same goal on CPU: bare's CPU per PACKET_OUT over ours (the controller's whole process).
      row(`${id} controller CPU per PACKET_OUT`, Math.round(cpuPerAnswer('rconn')), 'ns', Math.round(cpuPerAnswer('bare')),
        Number((cpuPerAnswer('bare') / cpuPerAnswer('rconn')).toFixed(3)), { op: '>=', value: 0.7, unit: ' of bare (bare / ours)' },
        { rounds: { rconn: round(runs.rconn.map((r) => r.cpuNsPerAnswer)), bare: round(runs.bare.map((r) => r.cpuNsPerAnswer)) } }),
      // The goal is on the value itself; the bare controller's index, same run, is in extra.
      row(`${id} Jain's fairness index over the switches' answers`, Number(fairness('rconn').toFixed(3)), '', null, null,
        { op: '>=', value: 0.9 },
        {
          bare: Number(fairness('bare').toFixed(3)),
          rounds: { rconn: runs.rconn.map((r) => Number(jain(r.perSwitch).toFixed(3))), bare: runs.bare.map((r) => Number(jain(r.perSwitch).toFixed(3))) },
        }),
    ];
  } finally {
    await gen.stop();
  }
}

export const p4FastReply = () => fastReply('P4');
export const p4bFastReply13 = () => fastReply('P4b');
