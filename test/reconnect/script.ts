/**
 * A TypeScript twin of Open vSwitch's tests/test-reconnect.c: runs the commands of a scenario
 * transcript against a Reconnect and regenerates the transcript, in the format of
 * tests/reconnect.at (and of the expected output of Open vSwitch's 2011 transport-probing patch).
 *
 * A transcript interleaves input lines (commands, `# comments`, blank lines) with output lines
 * (indented by two spaces) and time headers (`### t=N ###`, preceded by a generated blank
 * line). The commands are recovered by dropping output lines and headers, so a scenario file
 * is simply the expected output of running itself.
 *
 * Harness choices (kept identical for every scenario):
 * - the machine is created at t=1000 with the default 5000 ms probe interval, as in OVS;
 * - the receive-attempted guard starts disabled (receiveAttempted(Infinity)), so the transcripts
 *   of the 2011 patch, which predate the guard, run unchanged; a scenario arms the guard
 *   with `receive-attempted` (at now), exactly like an owner reporting a read;
 * - stats print "last received" as the 2011 test-reconnect did (OVS later renamed it
 *   "last activity"; the value is `stats().lastActivity`).
 */
import { Reconnect, type ReconnectAction, type ReconnectStats } from '../../src/reconnect/index.js';

const START = 1000;

const ACTION_TEXT: Record<Exclude<ReconnectAction, null>, string> = {
  connect: '  should connect',
  disconnect: '  should disconnect',
  probe: '  should send probe',
  checkIdle: '  should call reconnect_set_transport_idle()',
};

export class ScriptError extends Error {
  override name = 'ScriptError';
  readonly code = 'ESCRIPT';
}

/** The input lines of a transcript: everything that is neither output nor a time header. */
export function extractInput(transcript: string): string[] {
  const lines = transcript.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const input: string[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith(' ') || line.startsWith('###')) return;
    // A blank line right before a header was printed by the harness, not read from input.
    if (line === '' && lines[i + 1]?.startsWith('### t=')) return;
    input.push(line);
  });
  return input;
}

function num(arg: string | undefined, command: string): number {
  const n = Number(arg);
  if (arg === undefined || !Number.isFinite(n)) {
    throw new ScriptError(`${command}: expected a number, got ${arg ?? 'nothing'}`);
  }
  return n;
}

/** Runs the input lines and returns the transcript test-reconnect would print. */
export function runScript(inputLines: readonly string[]): string {
  let now = START;
  const r = new Reconnect(now);
  r.receiveAttempted(Infinity);
  const out: string[] = [`### t=${now} ###`];
  let prev = r.stats(now);
  let oldTime = now;
  let oldMaxTries = r.getMaxTries();

  const commands: Record<string, (args: string[]) => void> = {
    enable: () => r.enable(now),
    disable: () => r.disable(now),
    'force-reconnect': () => r.forceReconnect(now),
    connecting: () => r.connecting(now),
    connected: () => r.connected(now),
    'connect-failed': ([err]) => r.connectFailed(now, err ?? ''),
    disconnected: ([err]) => r.disconnected(now, err ?? null),
    activity: () => r.activity(now),
    'receive-attempted': ([arg]) => {
      if (arg === undefined || arg === 'now') r.receiveAttempted(now);
      else if (arg === 'LLONG_MAX') r.receiveAttempted(Infinity);
      else throw new ScriptError(`receive-attempted: bad argument ${arg}`);
    },
    'set-probe-interval': ([ms]) => r.setProbeInterval(num(ms, 'set-probe-interval')),
    'set-app-probe': ([b]) => r.setAppProbe(num(b, 'set-app-probe') !== 0),
    'set-transport-watch': ([b]) => r.setTransportWatch(num(b, 'set-transport-watch') !== 0),
    // set-transport-idle 0|1 [RECHECK_MS]: the transport's answer, with its next probe's time.
    'set-transport-idle': ([b, recheck]) => r.setTransportIdle(now, num(b, 'set-transport-idle') !== 0,
      recheck === undefined ? undefined : num(recheck, 'set-transport-idle')),
    'set-echo-interval': ([ms]) => r.setEchoInterval(num(ms, 'set-echo-interval')),
    'set-max-tries': ([n]) => r.setMaxTries(num(n, 'set-max-tries')),
    'set-backoff': ([min, max]) => r.setBackoff(num(min, 'set-backoff'), num(max, 'set-backoff')),
    'set-backoff-free-tries': ([n]) => r.setBackoffFreeTries(num(n, 'set-backoff-free-tries')),
    // set-jitter J R: jitter J with a random source that always returns R.
    'set-jitter': ([j, rnd]) => {
      const value = num(rnd, 'set-jitter');
      r.setJitter(num(j, 'set-jitter'), () => value);
    },
    'set-connect-timeout': ([ms]) => r.setConnectTimeout(num(ms, 'set-connect-timeout')),
    passive: () => r.setPassive(true, now),
    listening: () => r.listening(now),
    'listen-error': ([err]) => r.listenError(now, err ?? ''),
    run: ([ms]) => {
      if (ms !== undefined) now += num(ms, 'run');
      const action = r.run(now);
      if (action) out.push(ACTION_TEXT[action]);
    },
    advance: ([ms]) => {
      now += num(ms, 'advance');
    },
    timeout: () => {
      const timeout = r.timeout(now);
      if (timeout === null) {
        out.push('  no timeout');
      } else {
        out.push(`  advance ${timeout} ms`);
        now += timeout;
      }
    },
  };

  for (const line of inputLines) {
    out.push(line);
    if (line.startsWith('#')) continue;
    const [name, ...args] = line.trim().split(/\s+/).filter(Boolean);
    if (name !== undefined) {
      const command = commands[name];
      if (!command) throw new ScriptError(`unknown command '${name}'`);
      command(args);
    }
    if (now !== oldTime) out.push('', `### t=${now} ###`);
    const cur = r.stats(now);
    out.push(...diffStats(prev, cur, now - oldTime));
    prev = cur;
    if (r.getMaxTries() !== oldMaxTries) {
      oldMaxTries = r.getMaxTries();
      out.push(`  ${oldMaxTries} tries left`);
    }
    oldTime = now;
  }
  return out.join('\n') + '\n';
}

/** Prints what changed between two stats snapshots `delta` ms apart (test-reconnect's rules). */
function diffStats(old: ReconnectStats, cur: ReconnectStats, delta: number): string[] {
  const out: string[] = [];
  const t = (v: number | null): string => (v === null ? 'never' : String(v));
  // A quantity that merely aged by `delta` is not news; one that jumped is.
  const jumped = (a: number | null, b: number | null, unset: number | null): boolean =>
    !(a === unset && b === unset) && (a === null || b === null || a !== b - delta);

  if (old.state !== cur.state || old.stateElapsed !== cur.stateElapsed || old.backoff !== cur.backoff) {
    out.push(`  in ${cur.state} for ${cur.stateElapsed} ms (${cur.backoff} ms backoff)`);
  }
  if (
    old.creationTime !== cur.creationTime ||
    old.lastActivity !== cur.lastActivity ||
    old.lastConnected !== cur.lastConnected
  ) {
    out.push(
      `  created ${cur.creationTime}, last received ${cur.lastActivity}, last connected ${t(cur.lastConnected)}`,
    );
  }
  if (
    old.nSuccessfulConnections !== cur.nSuccessfulConnections ||
    old.nAttemptedConnections !== cur.nAttemptedConnections ||
    old.seqno !== cur.seqno
  ) {
    out.push(
      `  ${cur.nSuccessfulConnections} successful connections out of ${cur.nAttemptedConnections} attempts, seqno ${cur.seqno}`,
    );
  }
  if (old.isConnected !== cur.isConnected) out.push(cur.isConnected ? '  connected' : '  disconnected');
  if (
    old.lastConnected !== cur.lastConnected ||
    jumped(old.msecSinceConnect, cur.msecSinceConnect, null) ||
    jumped(old.totalConnectedDuration, cur.totalConnectedDuration, 0)
  ) {
    out.push(
      `  last connected ${t(cur.msecSinceConnect)} ms ago, connected ${cur.totalConnectedDuration} ms total`,
    );
  }
  if (old.lastDisconnected !== cur.lastDisconnected || jumped(old.msecSinceDisconnect, cur.msecSinceDisconnect, null)) {
    out.push(`  disconnected at ${t(cur.lastDisconnected)} ms (${t(cur.msecSinceDisconnect)} ms ago)`);
  }
  return out;
}
