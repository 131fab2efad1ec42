/**
 * Model-based test of the public Rconn / listen API (fast-check commands): random sequences of
 * public calls interleaved with peer events, on REAL loopback sockets; only the rconn's timers run
 * on an injected clock so that backoffs and probe intervals take no wall time. After every step the
 * invariants of docs/API.md "Guarantees" are checked (see checkInvariants). Used by
 * test/model/rconn-model.test.ts (npm test) and scripts/fuzz.mjs (npm run fuzz).
 */
import fc from 'fast-check';
import * as net from 'node:net';
import {
  Rconn, TxCounter, Vconn, listen, type RconnListener, type RconnOptions, type RconnStatus,
} from '../../src/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { ScriptedPeer, appMessage } from './scripted-peer.js';

/** What the test knows without looking at the rconn. */
interface Model {
  connected: boolean;
  closed: boolean;
  monitors: number;
  listening: boolean;
}

const MONOTONIC: Array<keyof RconnStatus> = [
  'rxPackets', 'rxBytes', 'txPackets', 'txBytes', 'refused', 'dropped', 'rejected', 'wakeups', 'probesSent',
  'probeReplies', 'nAttemptedConnections', 'nSuccessfulConnections', 'seqno', 'totalConnectedDuration',
];
const CONNECTED_STATES = new Set(['ACTIVE', 'IDLE']);
/** The rconn's own messages that bypass txqLimit: one probe and one echo reply at most while reading is paused. */
const OWN_MESSAGES_OVER_LIMIT = 2;

function codeOf(err: unknown): string {
  return (err as { code?: string }).code ?? `not a library error: ${String(err)}`;
}

/** Lets real socket I/O run: a few turns of the event loop, then the injected clock's deferred steps. */
async function settle(clock: FakeClock, turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await new Promise((r) => setImmediate(r));
    await clock.advance(0);
  }
}

export class World {
  readonly clock = new FakeClock();
  /** The listener's accepted rconns get their own clock, so each side's timers can be counted. */
  readonly listenerClock = new FakeClock();
  readonly peer = new ScriptedPeer();
  readonly rconn: Rconn;
  readonly txqLimit: number;
  private readonly vconns: Vconn[] = [];
  private readonly counters: Array<{ counter: TxCounter; limit: number }> = [];
  private readonly monitorRemovers: Array<() => void> = [];
  private readonly loops: Array<Promise<unknown>> = [];
  private listener: RconnListener | null = null;
  private readonly listenerClients: net.Socket[] = [];
  private stateFromEvents = 'VOID';
  private connectedEvents = 0;
  private disconnectedEvents = 0;
  private probesSentEvents = 0;
  /** Messages send()/sendWithLimit() accepted, and the calls refused with EAGAIN. */
  private accepted = 0;
  private refusedCalls = 0;
  private last: RconnStatus | null = null;
  private acceptedByListener = 0;

  /** `faults`: uncaught exceptions and unhandled rejections seen while the sequence runs. */
  constructor(options: RconnOptions, private readonly faults: readonly unknown[]) {
    this.txqLimit = options.txqLimit ?? 1000;
    this.rconn = new Rconn({
      ...options,
      clock: this.clock,
      // The socket connector, with the vconns kept so that close() can be checked to release them.
      connector: (target, signal) => Vconn.open(target, { versions: options.versions, signal }).then((v) => {
        this.vconns.push(v);
        return v;
      }),
    });
    this.rconn.on('state', (s) => { this.stateFromEvents = s; });
    this.rconn.on('connected', () => this.connectedEvents++);
    this.rconn.on('disconnected', () => this.disconnectedEvents++);
    this.rconn.on('probe', (p) => { if (p.kind === 'echo' && p.phase === 'sent') this.probesSentEvents++; });
    this.rconn.on('message', () => {});
  }

  async settle(): Promise<void> {
    await settle(this.clock);
    await this.listenerClock.advance(0);
  }

  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
    await this.listenerClock.advance(ms);
  }

  // ---- public calls ----------------------------------------------------------------------------

  connect(model: Model): void {
    if (model.closed || model.connected) {
      expectThrows(() => this.rconn.connect(this.peer.target), 'EINVAL');
      return;
    }
    this.rconn.connect(this.peer.target);
    model.connected = true;
  }

  send(n: number, size: number, counterIndex: number | null, limit: number): void {
    for (let i = 0; i < n; i++) {
      const msg = appMessage(size, this.rconn.nextXid());
      try {
        if (counterIndex === null) this.rconn.send(msg);
        else this.rconn.sendWithLimit(msg, this.counter(counterIndex, limit).counter, this.counter(counterIndex, limit).limit);
        this.accepted++;
      } catch (err) {
        const code = codeOf(err);
        if (code === 'EAGAIN') this.refusedCalls++;
        else if (code !== 'ENOTCONN') throw err;
      }
    }
  }

  /**
   * Sends 16 KiB messages in one turn until one is held behind the full socket (a silent peer's
   * kernel buffers fill), refused, or `max` were tried.
   */
  sendUntilHeld(max: number): void {
    for (let i = 0; i < max && this.rconn.status().txq === 0; i++) {
      const refusedBefore = this.refusedCalls;
      this.send(1, 16384, null, 0);
      if (this.refusedCalls > refusedBefore || !this.rconn.isConnected()) return;
    }
  }

  private counter(i: number, limit: number): { counter: TxCounter; limit: number } {
    while (this.counters.length <= i) this.counters.push({ counter: new TxCounter(), limit });
    return this.counters[i]!;
  }

  /** A messages() loop that leaves after `take` messages (0: return() before the first). */
  iterate(take: number): void {
    const it = this.rconn.messages();
    if (take === 0) {
      this.loops.push(it.return!());
      return;
    }
    this.loops.push((async () => {
      let n = 0;
      for await (const _ of it) if (++n >= take) break;
    })());
  }

  addMonitor(model: Model): void {
    if (model.monitors >= 8) {
      expectThrows(() => this.rconn.addMonitor(() => {}), 'EMLINK');
      return;
    }
    this.monitorRemovers.push(this.rconn.addMonitor((_dir, raw) => { raw[0] = 0xff; }));
    model.monitors++;
  }

  removeMonitor(model: Model, which: number): void {
    if (this.monitorRemovers.length === 0) return;
    const [remove] = this.monitorRemovers.splice(which % this.monitorRemovers.length, 1);
    remove!();
    remove!(); // removing twice is harmless
    model.monitors--;
  }

  setProbeInterval(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) expectThrows(() => this.rconn.setProbeInterval(value), 'EINVAL');
    else this.rconn.setProbeInterval(value);
  }

  async listen(model: Model): Promise<void> {
    if (this.listener) return;
    this.listener = await listen('ptcp:0:127.0.0.1', { clock: this.listenerClock, probeInterval: 5, helloTimeout: 5 });
    this.listener.on('error', () => {});
    this.listener.on('rconn', () => { this.acceptedByListener++; });
    model.listening = true;
  }

  /** A raw switch connects to the listener and completes HELLO. */
  listenerClient(): void {
    if (!this.listener) return;
    const s = net.connect(this.listener.address().port!, '127.0.0.1');
    s.on('error', () => {});
    s.resume();
    const hello = Buffer.from([4, 0, 0, 8, 0, 0, 0, 1]);
    s.write(hello);
    this.listenerClients.push(s);
  }

  async closeListener(model: Model): Promise<void> {
    if (!this.listener) return;
    const l = this.listener;
    this.listener = null;
    const accepted = [...l.connections];
    await l.close();
    model.listening = false;
    for (const r of accepted) if (r.state !== 'VOID') throw new Error(`listener.close() left an accepted rconn in ${r.state}`);
    if (l.connections.size !== 0) throw new Error('listener.close() left connections');
    if (this.listenerClock.pending !== 0) throw new Error(`listener.close() left ${this.listenerClock.pending} timers armed`);
  }

  async close(model: Model): Promise<void> {
    await this.rconn.close();
    model.closed = true;
    if (this.clock.pending !== 0) throw new Error(`close() left ${this.clock.pending} timers armed`);
    for (const v of this.vconns) if (!v.stream.socket.destroyed) throw new Error('close() left a socket open');
    expectThrows(() => this.rconn.send(appMessage(16, 1)), 'ENOTCONN');
  }

  // ---- invariants ------------------------------------------------------------------------------

  checkInvariants(): void {
    if (this.faults.length) throw new Error(`uncaught: ${String(this.faults[0])}`);
    const s = this.rconn.status();
    if (s.state !== this.stateFromEvents) throw new Error(`status().state ${s.state} but the 'state' events say ${this.stateFromEvents}`);
    const connected = CONNECTED_STATES.has(s.state);
    if (this.rconn.isConnected() !== connected) throw new Error(`isConnected() ${this.rconn.isConnected()} in ${s.state}`);
    if (this.connectedEvents - this.disconnectedEvents !== (connected ? 1 : 0)) {
      throw new Error(`${this.connectedEvents} 'connected' and ${this.disconnectedEvents} 'disconnected' events in state ${s.state}`);
    }
    if (s.seqno !== this.connectedEvents + this.disconnectedEvents) throw new Error(`seqno ${s.seqno} != events ${this.connectedEvents + this.disconnectedEvents}`);
    if (this.last) {
      for (const k of MONOTONIC) {
        if ((s[k] as number) < (this.last[k] as number)) throw new Error(`${k} went backwards: ${String(this.last[k])} -> ${String(s[k])}`);
      }
    }
    this.last = s;
    if (s.txq > this.txqLimit + OWN_MESSAGES_OVER_LIMIT) throw new Error(`txq ${s.txq} over txqLimit ${this.txqLimit}`);
    for (const { counter, limit } of this.counters) {
      if (counter.queued < 0 || counter.queued > limit) throw new Error(`counter queued ${counter.queued} outside [0, ${limit}]`);
    }
    // Every accepted message is written, still queued or counted dropped; nothing else leaves.
    if (s.refused !== this.refusedCalls) throw new Error(`refused ${s.refused} but ${this.refusedCalls} calls threw EAGAIN`);
    if (s.probesSent !== this.probesSentEvents) throw new Error(`probesSent ${s.probesSent} != probe events ${this.probesSentEvents}`);
    const handed = this.accepted + s.probesSent;
    if (handed !== s.txPackets + s.dropped + s.txq) {
      throw new Error(`accounting: ${this.accepted} accepted + ${s.probesSent} probes != ${s.txPackets} written + ${s.dropped} dropped + ${s.txq} queued`);
    }
    if (this.peer.appReceived + this.peer.probesReceived > s.txPackets) throw new Error('the peer received more than was written');
  }

  tally(reached: ModelRunStats['reached']): void {
    const s = this.rconn.status();
    if (s.nSuccessfulConnections > 0) reached.connected++;
    if (s.refused > 0) reached.refused++;
    if (s.dropped > 0) reached.dropped++;
    if (s.probesSent > 0) reached.probed++;
    if (this.acceptedByListener > 0) reached.accepted++;
    if (s.rxPackets > 0) reached.messages++;
  }

  /** Ends the sequence: everything closed, every loop finished, no socket or server left. */
  async dispose(model: Model): Promise<void> {
    if (!model.closed) await this.close(model);
    await this.closeListener(model);
    for (const s of this.listenerClients) s.destroy();
    await this.peer.stop();
    await Promise.race([
      Promise.all(this.loops),
      new Promise((_, reject) => setTimeout(() => reject(new Error('a messages() loop did not end after close()')), 2000)),
    ]);
    this.checkInvariants();
  }
}

function expectThrows(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    if (codeOf(err) !== code) throw new Error(`expected ${code}, got ${codeOf(err)}: ${(err as Error).message}`);
    return;
  }
  throw new Error(`expected ${code}, nothing thrown`);
}

// ---- commands ------------------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<Model, World>;

function cmd(name: string, run: (m: Model, w: World) => void | Promise<void>, check: (m: Model) => boolean = () => true): Cmd {
  return {
    check,
    async run(m, w) {
      await run(m, w);
      await w.settle();
      w.checkInvariants();
    },
    toString: () => name,
  };
}

const commands = [
  fc.constant(null).map(() => cmd('connect', (m, w) => w.connect(m))),
  fc.constant(null).map(() => cmd('close', (m, w) => w.close(m), (m) => !m.closed)),
  fc.constant(null).map(() => cmd('forceReconnect', (_m, w) => w.rconn.forceReconnect())),
  fc.constantFrom(0, 1, 5, 7, NaN, -1).map((v) => cmd(`setProbeInterval(${v})`, (_m, w) => w.setProbeInterval(v))),
  // 24 x 16 KiB in one turn outgrows the smallest send budget (64 KiB), so the limits come into
  // play; behind a silent peer, the kernel's buffers fill and messages are held.
  fc.tuple(fc.integer({ min: 1, max: 24 }), fc.constantFrom(16, 4096, 16384)).map(([n, size]) =>
    cmd(`send(${n} x ${size} B)`, (_m, w) => w.send(n, size, null, 0))),
  fc.tuple(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 6 })).map(([n, c, limit]) =>
    cmd(`sendWithLimit(${n}, counter ${c}, limit ${limit})`, (_m, w) => w.send(n, 4096, c, limit))),
  // In one turn: the burst is still queued behind the socket when the connection is dropped.
  fc.integer({ min: 5, max: 24 }).map((n) => cmd(`send(${n} x 16384 B) + forceReconnect`, (_m, w) => {
    w.send(n, 16384, null, 0);
    w.rconn.forceReconnect();
  })),
  // Held messages that a reset socket discards: the dropped count.
  fc.constant(null).map(() => cmd('peer silence, send until held, peer reset', (_m, w) => {
    w.peer.silence();
    w.sendUntilHeld(1000);
    w.peer.reset();
  })),
  fc.integer({ min: 0, max: 3 }).map((k) => cmd(`messages() breaking after ${k}`, (_m, w) => w.iterate(k))),
  fc.constant(null).map(() => cmd('addMonitor', (m, w) => w.addMonitor(m))),
  fc.nat(7).map((i) => cmd(`removeMonitor(${i})`, (m, w) => w.removeMonitor(m, i), (m) => m.monitors > 0)),
  fc.constantFrom(0, 300, 1000, 5000, 12_000).map((ms) => cmd(`advance(${ms} ms)`, (_m, w) => w.advance(ms))),
  fc.constantFrom(1000, 5000, 6000).map((ms) => cmd(`advance(${ms} ms)`, (_m, w) => w.advance(ms))),
  fc.integer({ min: 1, max: 20 }).map((n) => cmd(`peer sends ${n}`, (_m, w) => w.peer.send(n))),
  fc.constant(null).map(() => cmd('peer restart', (_m, w) => w.peer.restart())),
  fc.constant(null).map(() => cmd('peer silence', (_m, w) => w.peer.silence())),
  fc.constant(null).map(() => cmd('peer recovers', (_m, w) => w.peer.recover())),
  fc.constant(null).map(() => cmd('peer reset', (_m, w) => w.peer.reset())),
  fc.constant(null).map(() => cmd('peer bad HELLO', (_m, w) => w.peer.badHello())),
  fc.constant(null).map(() => cmd('listen', (m, w) => w.listen(m), (m) => !m.listening)),
  fc.constant(null).map(() => cmd('switch connects to the listener', (_m, w) => w.listenerClient(), (m) => m.listening)),
  fc.constant(null).map(() => cmd('listener close', (m, w) => w.closeListener(m), (m) => m.listening)),
];

const optionsArb: fc.Arbitrary<RconnOptions> = fc.record({
  txqLimit: fc.constantFrom(4, 8, 64),
  sendBudget: fc.constantFrom(65536, 1048576),
  messageHighWater: fc.constantFrom(2, 16),
  probe: fc.constantFrom('auto' as const, 'echo' as const),
  probeInterval: fc.constantFrom(0, 5),
  maxBackoff: fc.constantFrom(1, 8),
  backoffJitter: fc.constantFrom(0, 0.25),
  versions: fc.constantFrom([4], [1, 4]),
});

export interface ModelRunStats {
  sequences: number;
  steps: number;
  ms: number;
  /** How many sequences got that far: evidence that the random walks reach the interesting states. */
  reached: { connected: number; refused: number; dropped: number; probed: number; accepted: number; messages: number };
}

/**
 * Runs `numRuns` random sequences (each at most `maxCommands` steps). Throws fast-check's report
 * (with the shrunk sequence and the seed) on the first broken invariant.
 */
export async function runRconnModel(numRuns: number, options: { seed?: number; maxCommands?: number } = {}): Promise<ModelRunStats> {
  const stats: ModelRunStats = {
    sequences: 0, steps: 0, ms: 0, reached: { connected: 0, refused: 0, dropped: 0, probed: 0, accepted: 0, messages: 0 },
  };
  const faults: unknown[] = [];
  const onFault = (err: unknown): void => { faults.push(err); };
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(optionsArb, fc.boolean(), fc.commands(commands, { maxCommands: options.maxCommands ?? 10 }), async (rconnOptions, connectFirst, cmds) => {
        faults.length = 0;
        const world = new World(rconnOptions, faults);
        const model: Model = { connected: false, closed: false, monitors: 0, listening: false };
        await world.peer.start();
        try {
          // Half the walks start connected: most of what can go wrong needs a connection.
          if (connectFirst) {
            world.connect(model);
            await world.settle();
          }
          await fc.asyncModelRun(() => ({ model, real: world }), [...cmds]);
          stats.steps += [...cmds].length;
          await world.dispose(model);
          world.tally(stats.reached);
          if (faults.length) throw new Error(`uncaught: ${String(faults[0])}`);
        } finally {
          if (!model.closed) await world.rconn.close();
          await world.closeListener(model).catch(() => {});
          await world.peer.stop();
        }
        stats.sequences++;
      }),
      { numRuns, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
    );
  } finally {
    process.off('uncaughtException', onFault);
    process.off('unhandledRejection', onFault);
  }
  stats.ms = performance.now() - started;
  return stats;
}
