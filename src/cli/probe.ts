/**
 * `ofrconn probe TARGET`: connect (or wait for one peer on a passive target), negotiate, one echo
 * round trip, done, like `ovs-ofctl probe`. Deliberately not an Rconn: a probe must not retry, it
 * must report the first failure.
 */
import { echoReply, echoRequest, errorText, versionName } from '../ofp/index.js';
import { isPassiveTarget } from '../stream/index.js';
import { Pvconn } from '../vconn/pvconn.js';
import { Vconn } from '../vconn/vconn.js';
import type { CliArgs } from './args.js';
import { boundTarget } from './endpoint.js';
import { describeError, errCode, withCode, type Reporter } from './reporter.js';

export type ProbeResult =
  | { ok: true }
  /** Printed by run() on stderr. */
  | { ok: false; code: string; message: string };

/** A probe failure with its stable code. */
export class ProbeError extends Error {
  override name = 'ProbeError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const PAYLOAD = Buffer.from('ofrconn probe');

export async function runProbe(args: CliArgs, reporter: Reporter, stop: AbortSignal): Promise<ProbeResult> {
  const target = args.target!;
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ac.abort(); }, args.timeout * 1000);
  const onStop = (): void => ac.abort();
  stop.addEventListener('abort', onStop, { once: true });
  let phase: 'connect' | 'echo' = 'connect';
  let pvconn: Pvconn | undefined;
  let vconn: Vconn | undefined;
  try {
    if (isPassiveTarget(target)) {
      pvconn = await Pvconn.listen(target, { versions: args.versions, tls: args.tls });
      const port = pvconn.address().port;
      const where = boundTarget(target, port);
      reporter.note('listening', where, `waiting for one peer: listening on ${where}`, { port: port ?? null });
      vconn = await firstPeer(pvconn, ac.signal);
    } else {
      vconn = await Vconn.open(target, { versions: args.versions, tls: args.tls, signal: ac.signal });
    }
    phase = 'echo';
    const rttMs = await echoOnce(vconn, ac.signal);
    const version = versionName(vconn.version);
    const peer = vconn.name === target ? '' : ` (peer ${vconn.name})`;
    reporter.note('probe', target, `OpenFlow ${version}, echo round trip ${rttMs.toFixed(3)} ms${peer}`, {
      ok: true, state: 'ACTIVE', version, wireVersion: vconn.version, probe: 'echo', seqno: 1, rttMs, txq: 0, peer: vconn.name,
    });
    return { ok: true };
  } catch (err) {
    const e = err as Error;
    const code = timedOut ? 'ETIMEDOUT' : errCode(e);
    const message = timedOut
      ? withCode(phase === 'connect'
        ? `no ${isPassiveTarget(target) ? 'peer connected and negotiated' : 'connection and HELLO exchange'} within ${args.timeout} s`
        : `no echo reply within ${args.timeout} s`, code)
      : stop.aborted ? 'interrupted' : describeError(e, target);
    reporter.note('probeFailed', target, `probe failed: ${message}`, { ok: false, error: { code, message } }, false);
    return { ok: false, code, message: `probe ${target} failed: ${message}` };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
    await Promise.all([vconn?.close(), pvconn?.close()]);
  }
}

function firstPeer(pvconn: Pvconn, signal: AbortSignal): Promise<Vconn> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new ProbeError('ABORTED', 'aborted'));
    if (signal.aborted) { onAbort(); return; }
    signal.addEventListener('abort', onAbort, { once: true });
    pvconn.once('vconn', (v) => { signal.removeEventListener('abort', onAbort); resolve(v); });
  });
}

/** Sends one ECHO_REQUEST and resolves with the round trip in ms when its reply arrives. */
function echoOnce(vconn: Vconn, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const xid = 0x6f667263; // 'ofrc': any xid does, there is only one request on this connection
    let sentAt = 0;
    const onAbort = (): void => reject(new ProbeError('ABORTED', 'aborted'));
    if (signal.aborted) { onAbort(); return; }
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal.removeEventListener('abort', onAbort);
    vconn.start({
      message(msg) {
        if (msg.type === 'ECHO_REPLY' && msg.xid === xid) { done(); resolve(performance.now() - sentAt); }
        // The peer may probe us first; answering keeps it from dropping us mid-measurement.
        else if (msg.type === 'ECHO_REQUEST') vconn.send(echoReply(msg));
        else if (msg.type === 'ERROR' && msg.xid === xid) { done(); reject(new ProbeError('EPEERERROR', `peer answered the echo with ${errorText(msg)}`)); }
      },
      drain() {},
      close(err) { done(); reject(err ?? new ProbeError('EOF', 'connection closed before the echo reply')); },
    });
    sentAt = performance.now();
    vconn.send(echoRequest(vconn.version, xid, PAYLOAD));
  });
}
