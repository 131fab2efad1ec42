/**
 * `--metrics [HOST:]PORT`: serves GET /metrics in the Prometheus text format from the rconns the
 * command runs. prom-client is an optional peer dependency, loaded only when the flag is given.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Rconn } from '../rconn/index.js';
import { RconnError } from '../errors.js';
import { errnoText } from '../stream/errors.js';
import type { MetricsAddress } from './args.js';
import type { Reporter } from './reporter.js';

export interface MetricsServer {
  /** The bound port (the kernel's choice for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

export async function serveMetrics(at: MetricsAddress, rconns: () => Iterable<Rconn>, reporter: Reporter): Promise<MetricsServer> {
  let promClient: typeof import('prom-client');
  let metrics: typeof import('../metrics/index.js');
  try {
    [promClient, metrics] = await Promise.all([import('prom-client'), import('../metrics/index.js')]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new RconnError('EMISSINGPEER', '--metrics needs prom-client, an optional peer dependency: npm install prom-client');
  }
  // A registry of our own: the process-wide default one may hold an embedding program's metrics.
  const registry = new promClient.Registry();
  metrics.registerRconnMetrics({ rconns, registry });

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
    } else {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
    }
  });
  await listen(server, at);
  const port = (server.address() as AddressInfo).port;
  const shown = at.host === undefined ? `*:${port}` : at.host.includes(':') ? `[${at.host}]:${port}` : `${at.host}:${port}`;
  reporter.note('metrics', 'ofrconn', `serving Prometheus metrics at http://${shown}/metrics`, { host: at.host ?? null, port });
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A scraper's keep-alive connection must not hold the command open after a signal.
      server.closeAllConnections();
    }),
  };
}

function listen(server: Server, at: MetricsAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = err.code ?? 'EIO';
      reject(new RconnError(code, `--metrics ${at.host ?? '*'}:${at.port}: cannot listen: ${errnoText(code, err.message)}`));
    };
    server.once('error', onError);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
