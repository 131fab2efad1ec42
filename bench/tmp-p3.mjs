// scratch: P3 alternating, N rounds of 1.5 s
import { p3PingPong } from './p3-pingpong.mjs';
const rows = [];
for (let i = 0; i < +(process.env.N || 2); i++) { const [r] = await p3PingPong(); rows.push(r); console.log('P3', r.value, r.baseline, r.ratio, JSON.stringify(r.extra.rounds)); }
