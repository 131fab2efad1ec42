// Every measure by id, for bench/run.mjs and the smoke test.
import { p1Codec } from './p1-codec.mjs';
import { p2Pipelined } from './p2-pipelined.mjs';
import { p3PingPong } from './p3-pingpong.mjs';
import { p4FastReply, p4bFastReply13 } from './p4-fast-reply.mjs';
import { p5Idle } from './p5-idle.mjs';

export const MEASURES = {
  P1: { title: 'codec: decode/encode vs @xen-orchestra/openflow', run: p1Codec },
  P2: { title: 'pipelined echo throughput vs raw sockets', run: p2Pipelined },
  P3: { title: 'ping-pong echo round trip vs raw sockets', run: p3PingPong },
  P4: { title: 'OF1.0 fast-reply controller vs bare controller', run: p4FastReply },
  P4B: { title: 'OF1.3 fast-reply controller (in_port from the match) vs bare controller', run: p4bFastReply13 },
  P5: { title: '10,000 idle Rconn pairs: CPU, heap, wakeups', run: p5Idle },
};

export { machineInfo } from './lib/util.mjs';
