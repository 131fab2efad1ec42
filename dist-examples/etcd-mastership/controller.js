/**
 * One instance of a controller cluster whose instances elect the master through etcd. Every
 * switch connects to every instance; the instance holding the election (an etcd lease, kept alive
 * by this process) sends ROLE_REQUEST MASTER with the election key's create revision as the
 * generation id, the others SLAVE with the master's generation id. Revisions only grow, so each
 * new master's generation id is newer than every earlier one, and a master that stalled and comes
 * back after losing its lease is refused by the switches (ROLE_REQUEST_FAILED/STALE): it steps down.
 *
 *   node controller.js --id c1 --listen ptcp:6653 --etcd http://127.0.0.1:2379 [--ttl 3] [--reassert 10]
 *
 * Logs one JSON object per line on stdout (event: listening, elected, leader, role, stale, ...).
 * `etcd3` is a dev dependency used here only; the library itself does not depend on it.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Etcd3 } from 'etcd3';
import { listen } from 'openflow-rconn';
export async function startController(opts) {
    const log = opts.log ?? ((e) => console.log(JSON.stringify({ t: Date.now(), id: opts.id, ...e })));
    const client = new Etcd3({ hosts: opts.etcd });
    const election = client.election(opts.election ?? 'ofrconn-master', opts.ttl ?? 3);
    const server = await listen(opts.listen, { probeInterval: opts.probeInterval ?? 5 });
    log({ event: 'listening', port: server.address().port });
    /** Our generation id while we believe we are master. */
    let myGen = null;
    /** The master's generation id as last proclaimed in etcd. */
    let leaderGen = null;
    let campaign = null;
    let closed = false;
    /** What each switch last answered, so the log shows changes only. */
    const lastRole = new WeakMap();
    const assertRole = (sw) => {
        const [role, gen] = myGen !== null ? ['MASTER', myGen] : ['SLAVE', leaderGen];
        if (gen === null || !sw.isConnected())
            return;
        sw.requestRole(role, gen).then((reply) => {
            const now = `${reply.role} ${reply.generationId}`;
            if (lastRole.get(sw) !== now)
                log({ event: 'role', peer: sw.name, role: reply.role, gen: String(reply.generationId) });
            lastRole.set(sw, now);
        }, (err) => {
            if (err.code !== 'ESTALE') {
                log({ event: 'roleFailed', peer: sw.name, role, code: err.code, error: err.message });
                return;
            }
            // The switches have seen a newer master: we lost the election while we could not tell.
            log({ event: 'stale', peer: sw.name, role, gen: String(gen) });
            if (role === 'MASTER' && myGen === gen)
                void stepDown();
        });
    };
    const assertAll = () => { for (const sw of server.connections)
        assertRole(sw); };
    server.on('rconn', (sw) => {
        log({ event: 'switch', peer: sw.name });
        assertRole(sw);
    });
    server.on('error', (err) => log({ event: 'acceptFailed', error: err.message }));
    const runCampaign = () => {
        if (closed)
            return;
        const c = election.campaign(opts.id);
        campaign = c;
        c.on('elected', () => {
            void (async () => {
                const key = await c.getCampaignKey();
                const res = await client.get(key).exec();
                const rev = res.kvs[0]?.create_revision;
                if (campaign !== c || rev === undefined)
                    return;
                myGen = BigInt(rev);
                log({ event: 'elected', gen: String(myGen) });
                await c.proclaim(`${opts.id} ${myGen}`);
                assertAll();
            })().catch((err) => log({ event: 'campaignFailed', error: err.message }));
        });
        c.on('error', (err) => {
            log({ event: 'campaignFailed', error: err.message });
            if (campaign === c)
                void stepDown();
        });
    };
    const stepDown = async () => {
        const c = campaign;
        campaign = null;
        myGen = null;
        log({ event: 'steppedDown' });
        await c?.resign().catch(() => undefined);
        setTimeout(runCampaign, 1000).unref();
    };
    const observer = await election.observe();
    observer.on('change', (value) => {
        const [leader, gen] = (value ?? '').split(' ');
        if (!leader || !gen)
            return; // not proclaimed yet
        leaderGen = BigInt(gen);
        log({ event: 'leader', leader, gen });
        if (leader !== opts.id)
            assertAll();
    });
    observer.on('error', (err) => log({ event: 'observerFailed', error: err.message }));
    runCampaign();
    const timer = setInterval(assertAll, (opts.reassert ?? 10) * 1000);
    return {
        get port() { return server.address().port; },
        async close() {
            closed = true;
            clearInterval(timer);
            await observer.cancel();
            await campaign?.resign().catch(() => undefined);
            await server.close();
            client.close();
        },
    };
}
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const { values } = parseArgs({
        options: {
            id: { type: 'string' }, listen: { type: 'string', default: 'ptcp:6653' },
            etcd: { type: 'string', default: 'http://127.0.0.1:2379' }, ttl: { type: 'string', default: '3' },
            reassert: { type: 'string', default: '10' },
        },
    });
    const ctl = await startController({
        id: values.id ?? `ctl-${process.pid}`, listen: values.listen, etcd: values.etcd.split(','),
        ttl: Number(values.ttl), reassert: Number(values.reassert),
    });
    process.once('SIGTERM', () => void ctl.close().then(() => process.exit(0)));
    process.once('SIGINT', () => void ctl.close().then(() => process.exit(0)));
}
