/**
 * `openflow-rconn/metrics`: the status() of a set of rconns as Prometheus metrics through
 * prom-client, an optional peer dependency (the core package never loads it).
 *
 * Every value is read from `rconn.status()` when the registry is scraped, so nothing runs between
 * scrapes and a connection that is gone simply stops being reported. Series carry a `connection`
 * label (the rconn's name). See docs/DESIGN.md "Metrics" for the list and the naming choices.
 */
import { Counter, Gauge, register as defaultRegistry, type Registry } from 'prom-client';
import type { Rconn, RconnStatus } from '../rconn/index.js';
import { versionName } from '../ofp/index.js';
import { functionOption, invalidOption, stringOption } from '../validate.js';

const OWNER = 'registerRconnMetrics';

export interface RconnMetricsOptions {
  /** The rconns to report, asked at every scrape: e.g. `() => listener.connections`. */
  rconns: () => Iterable<Rconn>;
  /** Registry to register into. @default prom-client's global `register` */
  registry?: Registry;
  /** Prefix of every metric name. @default 'ofrconn_' */
  prefix?: string;
}

export interface RconnMetrics {
  /** Removes every metric this call registered from the registry. */
  unregister(): void;
}

/** The reconnect machine's states, each one series of `ofrconn_state` (a Prometheus state set). */
const STATES: readonly RconnStatus['state'][] = [
  'VOID', 'BACKOFF', 'CONNECTING', 'ACTIVE', 'IDLE', 'RECONNECT', 'LISTENING', 'DISCONNECTED',
];

type Read = (s: RconnStatus) => number | null;

/** Counters: monotonic over the rconn's life. */
const COUNTERS: Array<[name: string, help: string, read: Read]> = [
  ['received_messages_total', 'OpenFlow messages received', (s) => s.rxPackets],
  ['received_bytes_total', 'Bytes of OpenFlow messages received', (s) => s.rxBytes],
  ['sent_messages_total', 'OpenFlow messages sent', (s) => s.txPackets],
  ['sent_bytes_total', 'Bytes of OpenFlow messages sent', (s) => s.txBytes],
  ['connection_attempts_total', 'Connection attempts, successful or not', (s) => s.nAttemptedConnections],
  ['connections_total', 'Connections that completed the HELLO exchange', (s) => s.nSuccessfulConnections],
  ['reconnects_total', 'Connections after the first one (0 for an accepted connection)', (s) => reconnects(s)],
  ['connected_seconds_total', 'Time spent connected, including the current connection', (s) => s.totalConnectedDuration / 1000],
  ['probes_sent_total', 'Echo requests sent as liveness probes', (s) => s.probesSent],
  ['probe_replies_total', 'Echo replies matched to our probes', (s) => s.probeReplies],
  ['refused_messages_total', 'Messages refused by send() because the send queue was full', (s) => s.refused],
  ['dropped_messages_total', 'Messages dropped from the send queue by disconnects', (s) => s.dropped],
  ['rejected_messages_total', 'Messages received, answered with OFPT_ERROR and not delivered', (s) => s.rejected],
  ['possibly_lost_bytes_total', 'Bytes sent but not acknowledged by the peer when a connection ended: possibly lost', (s) => s.unackedBytes],
  ['input_faults_total', 'Connections dropped because the peer\'s bytes could not be handled or provoked errors too fast', (s) => s.inputFaults],
  ['wakeups_total', 'Times the rconn\'s single timer fired', (s) => s.wakeups],
];

/** Gauges: the current value. A null reading (no RTT sample yet) leaves the series out. */
const GAUGES: Array<[name: string, help: string, read: Read]> = [
  ['connected', '1 while the connection is up (state ACTIVE or IDLE)', (s) => (s.isConnected ? 1 : 0)],
  ['openflow_version', 'Negotiated OpenFlow wire version (1 = 1.0 ... 6 = 1.5), 0 while not connected', (s) => s.version],
  ['probe_interval_seconds', 'Seconds of silence before the peer is checked, after clamping; 0 = off', (s) => s.probeInterval],
  ['send_queue_messages', 'Messages waiting in the send queue behind socket backpressure', (s) => s.txq],
  ['send_queue_bytes', 'Bytes waiting in the send queue', (s) => s.txqBytes],
  ['send_backlog_bytes', 'Bytes waiting to be sent: the send queue plus what the socket has not handed to the kernel', (s) => s.sendBacklog],
  ['backoff_seconds', 'Current un-jittered wait between reconnect attempts', (s) => s.backoff / 1000],
  ['echo_rtt_seconds', 'Most recent echo probe round trip', (s) => ms(s.rtt.last)],
  ['echo_rtt_smoothed_seconds', 'Smoothed echo probe round trip (alpha 1/8, like TCP SRTT)', (s) => ms(s.rtt.smoothed)],
  ['echo_rtt_min_seconds', 'Shortest echo probe round trip', (s) => ms(s.rtt.min)],
  ['echo_rtt_max_seconds', 'Longest echo probe round trip', (s) => ms(s.rtt.max)],
];

/**
 * Registers the metrics of the rconns `options.rconns()` returns. Call once per registry and
 * prefix (prom-client refuses a second metric of the same name).
 */
export function registerRconnMetrics(options: RconnMetricsOptions): RconnMetrics {
  // Checked here: a bad rconns would otherwise first fail inside a scrape, far from this call.
  if (options === null || typeof options !== 'object') invalidOption(OWNER, 'options', options, 'an object with rconns');
  if (functionOption(OWNER, 'rconns', options.rconns) === undefined) invalidOption(OWNER, 'rconns', undefined, 'a function returning the rconns to report');
  stringOption(OWNER, 'prefix', options.prefix);
  const registry = options.registry ?? defaultRegistry;
  const prefix = options.prefix ?? 'ofrconn_';
  const registers = [registry];
  // One status() per rconn per scrape, shared by every metric, so that a scrape is one consistent
  // snapshot. prom-client collects the metrics one after another, with only resolved awaits in
  // between: the snapshot lives until the next macrotask.
  let snapshot: RconnStatus[] | null = null;
  const statuses = (): RconnStatus[] => {
    if (!snapshot) {
      snapshot = [...options.rconns()].map((r) => r.status());
      setImmediate(() => { snapshot = null; }).unref();
    }
    return snapshot;
  };
  const names: string[] = [];
  const named = (name: string): string => { names.push(prefix + name); return prefix + name; };

  new Gauge({
    name: named('info'),
    help: 'Always 1; labels: the target, the negotiated version ("1.3") and the probe mode in force',
    labelNames: ['connection', 'target', 'version', 'probe'],
    registers,
    collect() {
      this.reset();
      for (const s of statuses()) {
        this.set({ connection: s.name, target: s.target, version: s.version ? versionName(s.version) : '', probe: s.probe }, 1);
      }
    },
  });
  new Gauge({
    name: named('state'),
    help: 'State of the reconnect machine: 1 for the current state, 0 for the others',
    labelNames: ['connection', 'state'],
    registers,
    collect() {
      this.reset();
      for (const s of statuses()) for (const state of STATES) this.set({ connection: s.name, state }, s.state === state ? 1 : 0);
    },
  });
  for (const [name, help, read] of GAUGES) {
    new Gauge({
      name: named(name), help, labelNames: ['connection'], registers,
      collect() {
        this.reset();
        for (const s of statuses()) {
          const v = read(s);
          if (v !== null) this.set({ connection: s.name }, v);
        }
      },
    });
  }
  for (const [name, help, read] of COUNTERS) {
    new Counter({
      name: named(name), help, labelNames: ['connection'], registers,
      collect() {
        // prom-client counters only go up: start from zero and add the rconn's own total.
        this.reset();
        for (const s of statuses()) this.inc({ connection: s.name }, read(s) ?? 0);
      },
    });
  }
  return {
    unregister() {
      for (const name of names) registry.removeSingleMetric(name);
    },
  };
}

function reconnects(s: RconnStatus): number {
  return s.reliable ? Math.max(0, s.nSuccessfulConnections - 1) : 0;
}

function ms(value: number | null): number | null {
  return value === null ? null : value / 1000;
}
