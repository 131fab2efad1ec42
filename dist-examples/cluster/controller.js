/**
 * A controller on every core: Node's cluster module forks one worker per core (or --workers N),
 * each calls listen() on the same target, and the primary hands every accepted switch connection
 * to one worker (round-robin on Linux). A worker that dies takes its connections with it; those
 * switches reconnect after their backoff and land on the surviving workers. Each worker asks its
 * switches for their features and logs one JSON line per switch that arrives or leaves.
 *
 *   node controller.js [--workers 4] [--listen ptcp:6653] [--respawn]
 *
 * Every line on stdout is JSON: {event: 'listening' | 'switch' | 'gone' | 'workerExit', worker, ...}.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDatapathId, listen } from 'openflow-rconn';
const emit = (event) => {
    // One write per line: lines of several processes sharing stdout stay whole (< PIPE_BUF).
    process.stdout.write(`${JSON.stringify({ t: Date.now(), ...event })}\n`);
};
/** The primary: forks the workers and reports their exits (respawning them with `respawn`). */
export function runPrimary(workers, target, respawn) {
    cluster.setupPrimary({ args: ['--listen', target] });
    for (let i = 0; i < workers; i++)
        cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
        emit({ event: 'workerExit', worker: worker.process.pid, code, signal });
        if (respawn && signal !== 'SIGTERM')
            cluster.fork();
    });
    const stop = () => { for (const w of Object.values(cluster.workers ?? {}))
        w?.kill('SIGTERM'); };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
}
/** A worker: an ordinary controller; the listening socket is shared through the primary. */
export async function runWorker(target) {
    const server = await listen(target, { probeInterval: 5 });
    emit({ event: 'listening', worker: process.pid, port: server.address().port });
    server.on('rconn', (sw) => {
        let dpid;
        sw.on('message', (msg) => {
            if (msg.type !== 'FEATURES_REPLY' || dpid)
                return;
            dpid = formatDatapathId(msg.datapathId);
            emit({ event: 'switch', worker: process.pid, dpid, peer: sw.name });
        });
        sw.on('disconnected', () => { if (dpid)
            emit({ event: 'gone', worker: process.pid, dpid }); });
        sw.send({ type: 'FEATURES_REQUEST', version: sw.version, xid: sw.nextXid() });
    });
    process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const { values } = parseArgs({
        options: {
            workers: { type: 'string', default: String(availableParallelism()) },
            listen: { type: 'string', default: 'ptcp:6653' },
            respawn: { type: 'boolean', default: false },
        },
    });
    if (cluster.isPrimary)
        runPrimary(Number(values.workers), values.listen, values.respawn);
    else
        await runWorker(values.listen);
}
