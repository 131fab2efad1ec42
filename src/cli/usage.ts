import { DEFAULT_DEMO_DURATION, DEFAULT_PROBE_TIMEOUT, type Command } from './args.js';

const CONNECTION = `Connection options:
  --versions LIST        OpenFlow versions to offer, e.g. 1.0,1.3 (default 1.0-1.5)
  --probe-interval S     seconds of silence before the peer is checked; 0 = off,
                         values below 5 are raised to 5 (default 5)
  --probe MODE           auto: TCP keepalive where the transport can, else echo;
                         transport: keepalive or fail; echo: OFPT_ECHO only (default auto)
  --echo-interval S      also send an end-to-end echo after S idle seconds while
                         transport probing (default 0 = off)
  --max-backoff S        longest wait between reconnect attempts (default 8)`;

const TLS = `TLS options (ssl: and pssl: targets):
  --ca FILE              CA certificate(s) the peer must chain to (default: system store)
  --cert FILE            our certificate (required for pssl:; enables mutual TLS for ssl:)
  --key FILE             our private key
  --no-verify            do not verify the peer's certificate`;

const OUTPUT = `Output options:
  --json                 one JSON object per line: every event, and a status line per
                         connection every second
  -v, --verbose          also log every message and the library's own log lines
  -h, --help             this help`;

const METRICS = `Metrics:
  --metrics [HOST:]PORT  serve Prometheus metrics at http://HOST:PORT/metrics (every
                         interface when HOST is left out; needs the prom-client package)`;

const TARGETS = `Targets (Open vSwitch syntax, default port 6653):
  tcp:HOST[:PORT]  ssl:HOST[:PORT]  unix:PATH          connect
  ptcp:[PORT][:HOST]  pssl:[PORT][:HOST]  punix:PATH   listen`;

export const GENERAL_USAGE = `Usage: ofrconn COMMAND [OPTIONS] [TARGET]

Reliable OpenFlow connections: HELLO negotiation, TCP-keepalive or echo probing,
reconnect with backoff.

Commands:
  demo                   a controller and a switch emulator on loopback (what npm start runs)
  controller TARGET      controller side: ptcp:PORT accepts switches, tcp:HOST:PORT connects
                         to a switch; logs datapath ids
  switch TARGET          switch emulator: tcp:HOST:PORT connects to a controller and
                         reconnects forever, ptcp:PORT accepts ovs-ofctl and controllers
  probe TARGET           one echo round trip, like ovs-ofctl probe (exit 0 on success)

Options:
  -h, --help             this help; 'ofrconn COMMAND --help' for the options of a command
  -V, --version          print the version of ofrconn and exit`;

const COMMAND_USAGE: Record<Command, string> = {
  demo: `Usage: ofrconn demo [OPTIONS]

Runs a controller (ptcp on 127.0.0.1, ephemeral port) and a switch emulator (tcp) in one
process: negotiation, the probe mode chosen, echo round trips, a forced disconnect with
reconnect and backoff, then a summary. Ctrl-C ends it early.

  --duration S           seconds until the demo ends by itself (default ${DEFAULT_DEMO_DURATION})
  --datapath-id HEX      the emulated switch's datapath id (default 1)

${CONNECTION}

${OUTPUT}`,
  controller: `Usage: ofrconn controller TARGET [OPTIONS]

  ptcp:[PORT][:HOST]     accept switches (one connection each; they are not reconnected)
  tcp:HOST[:PORT]        connect to a switch's passive endpoint and reconnect forever

Sends FEATURES_REQUEST on every connection and logs the switch's datapath id.

${CONNECTION}

${TLS}

${METRICS}

${OUTPUT}

${TARGETS}`,
  switch: `Usage: ofrconn switch TARGET [TARGET...] [OPTIONS]

  tcp:HOST[:PORT]        connect upstream to a controller, reconnect forever with backoff
  ptcp:[PORT][:HOST]     listen like a switch's management port (ovs-ofctl show tcp:...)

Several active TARGETs: one switch connected to every controller at once, each
connection reconnecting on its own, with OpenFlow 1.2+ roles (ROLE_REQUEST,
generation ids, SLAVE refused changes, PACKET_IN per role and SET_ASYNC); the
status lines and JSON show each connection's role.

Answers FEATURES_REQUEST, GET_CONFIG_REQUEST, BARRIER_REQUEST, DESC and PORT_DESC
requests; echo requests are answered by the connection itself.

  --datapath-id HEX      datapath id to report, 1-16 hex digits (default 1)
  --count N              run N switches (tcp: targets only), datapath ids from
                         --datapath-id upward, each with its own connection
  --backoff-jitter F     random shortening of each reconnect wait, a fraction in
                         [0, 1] (default 0.25; 0 makes a fleet reconnect in lockstep)

${CONNECTION}

${TLS}

${METRICS}

${OUTPUT}

${TARGETS}`,
  probe: `Usage: ofrconn probe TARGET [OPTIONS]

Connects (or, for ptcp:/punix:, waits for one peer), negotiates, sends one
OFPT_ECHO_REQUEST and prints the negotiated version and the round-trip time.
Exit status 0 on success, 1 on failure or timeout.

  --timeout S            seconds for the whole exchange (default ${DEFAULT_PROBE_TIMEOUT})
  --versions LIST        OpenFlow versions to offer, e.g. 1.0,1.3 (default 1.0-1.5)

${TLS}

${OUTPUT}

${TARGETS}`,
};

export function usageOf(command: Command | null): string {
  return command ? COMMAND_USAGE[command] : GENERAL_USAGE;
}
