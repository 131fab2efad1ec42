/**
 * What `ovs-ofctl ofp-print` must print for one of our messages, derived from the message's own
 * fields: each string below is a field value of ours in OVS's notation, so a field we encode
 * wrongly shows up as a missing string.
 */
import type { OfpMessage, OfpPort } from '../../src/ofp/index.js';

const PACKET_IN_REASONS = ['no_match', 'action', 'invalid_ttl', 'action_set', 'group', 'packet_out'];
const PORT_REASONS = ['add', 'delete', 'modify'];
const FLOW_REMOVED_REASONS = ['idle', 'hard', 'delete', 'group_delete', 'meter_delete', 'eviction'];
const GROUP_TYPES = ['all', 'select', 'indirect', 'ff'];
const FRAGS = ['normal', 'drop', 'reassemble', 'nx-match'];
const ROLES = ['nochange', 'equal', 'primary', 'secondary'];

const bits = (mask: number, names: string[]): string =>
  names.filter((_, i) => mask & (1 << i)).join(' ') || '(off)';
const anyPort = (p: number, v: number): string => (p === (v === 1 ? 0xffff : 0xffffffff) ? 'ANY' : String(p));
const allId = (id: number, all: number): string => (id === all ? 'ALL' : String(id));
const duration = (sec: number, nsec: number): string => `${sec}.${String(Math.floor(nsec / 1e6)).padStart(3, '0')}s`;

function portLines(p: OfpPort, v: number): string[] {
  const out = [`${p.portNo}(${p.name}): addr:${p.hwAddr}`];
  if (v > 1) out.push(`speed: ${(p.currSpeed ?? 0) / 1000} Mbps now, ${(p.maxSpeed ?? 0) / 1000} Mbps max`);
  return out;
}

function bucketText(b: { weight?: number; bucketId?: number }, groupType: number, v: number): string {
  const parts = [];
  if (v >= 6 && b.bucketId !== undefined) parts.push(`bucket_id:${b.bucketId}`);
  // 1.5 carries a weight property only when one was given; before, OVS prints it for select groups.
  if (b.weight !== undefined && (v >= 6 || groupType === 1)) parts.push(`weight:${b.weight}`);
  return `bucket=${parts.map((p) => `${p},`).join('')}actions=output:2`;
}

/** The strings OVS's printout of `m` must contain (besides the type name and xid). */
export function ovsExpect(m: OfpMessage): string[] {
  const v = m.version;
  switch (m.type) {
    case 'GET_CONFIG_REPLY': case 'SET_CONFIG':
      return [`frags=${FRAGS[m.flags & 3]} miss_send_len=${m.missSendLen}`];
    case 'PORT_STATUS':
      return [`${PORT_REASONS[m.reason]!.toUpperCase()}: ${portLines(m.desc, v)[0]}`, ...portLines(m.desc, v).slice(1)];
    case 'PORT_MOD':
      return [`port: ${m.portNo}: addr:${m.hwAddr}`];
    case 'TABLE_MOD':
      return [`table_id=${m.tableId}`];
    case 'GROUP_MOD':
      return [`ADD group_id=${m.groupId},type=${GROUP_TYPES[m.groupType]},${bucketText(m.buckets[0]!, m.groupType, v)}`];
    case 'METER_MOD': {
      const b = m.bands[0]!;
      return [`meter=${m.meterId} kbps bands=`, `type=drop rate=${b.rate}`];
    }
    case 'QUEUE_GET_CONFIG_REQUEST':
      return [`port=${m.port}`];
    case 'QUEUE_GET_CONFIG_REPLY': {
      const p = m.queues[0]!.properties[0]!;
      return [`port=${m.port}`, `queue ${m.queues[0]!.queueId}: min_rate:${'rate' in p ? (p.rate / 10).toFixed(1) : '?'}%`];
    }
    case 'GET_ASYNC_REPLY': case 'SET_ASYNC': {
      // 1.3 masks are [primary, secondary]; 1.4+ properties: odd types are the primary ones.
      const primary = (i: number): number => (v === 4
        ? [m.packetInMask, m.portStatusMask, m.flowRemovedMask][i]![0]
        : (m.properties?.find((p) => p.type === 2 * i + 1 && 'mask' in p) as { mask: number } | undefined)?.mask ?? 0);
      return [`PACKET_IN: ${bits(primary(0), PACKET_IN_REASONS)}`, `PORT_STATUS: ${bits(primary(1), PORT_REASONS)}`,
        `FLOW_REMOVED: ${bits(primary(2), FLOW_REMOVED_REASONS)}`];
    }
    case 'ROLE_STATUS':
      return [`role=${ROLES[m.role]} generation_id=${m.generationId}`];
    case 'REQUESTFORWARD':
      return m.request.type === 'METER_MOD' ? [`reason=meter_mod ADD meter=${m.request.meterId}`] : ['reason=group_mod'];
    case 'STATS_REQUEST': case 'MULTIPART_REQUEST':
      switch (m.stats) {
        case 'FLOW': case 'AGGREGATE': return ['in_port=1'];
        case 'PORT_STATS': return [`port_no=${anyPort(m.portNo!, v)}`];
        case 'QUEUE': return [`port=${anyPort(m.portNo, v)} queue=${allId(m.queueId, 0xffffffff)}`];
        case 'GROUP': return [`group_id=${allId(m.groupId!, 0xfffffffc)}`];
        case 'METER': case 'METER_CONFIG': return [`meter=${m.meterId === 0xffffffff ? 'all' : m.meterId}`];
        default: return [];
      }
    case 'STATS_REPLY': case 'MULTIPART_REPLY':
      switch (m.stats) {
        case 'DESC': return [`Manufacturer: ${m.mfrDesc}`, `Hardware: ${m.hwDesc}`, `Software: ${m.swDesc}`,
          `Serial Num: ${m.serialNum}`, `DP Description: ${m.dpDesc}`];
        case 'FLOW': return m.entries.map((f) => `cookie=0x${f.cookie.toString(16)}, duration=${duration(f.durationSec, f.durationNsec)}, ` +
          `table=${f.tableId}, n_packets=${f.packetCount}, n_bytes=${f.byteCount}, idle_timeout=${f.idleTimeout}, ` +
          `${f.flags ? 'send_flow_rem ' : ''}${f.importance ? `importance=${f.importance}, ` : ''}priority=${f.priority},in_port=1 actions=output:2`);
        case 'AGGREGATE': return [`packet_count=${m.packetCount} byte_count=${m.byteCount} flow_count=${m.flowCount}`];
        case 'TABLE': return m.entries.flatMap((t) => [`table ${t.tableId}${t.name ? ` ("${t.name}")` : ''}:`,
          `active=${t.activeCount}, lookup=${t.lookupCount}, matched=${t.matchedCount}`]);
        case 'PORT_STATS': return m.entries.flatMap((p) => [
          `port  ${p.portNo}: rx pkts=${p.rxPackets}, bytes=${p.rxBytes}, drop=${p.rxDropped}, errs=${p.rxErrors}, ` +
          `frame=${p.rxFrameErr}, over=${p.rxOverErr}, crc=${p.rxCrcErr}`,
          `tx pkts=${p.txPackets}, bytes=${p.txBytes}, drop=${p.txDropped}, errs=${p.txErrors}, coll=${p.collisions}`]);
        case 'QUEUE': return m.entries.map((q) => `port ${q.portNo} queue ${q.queueId}: bytes=${q.txBytes}, pkts=${q.txPackets}, errors=${q.txErrors}`);
        case 'GROUP': return m.entries.map((g) => `group_id=${g.groupId},${g.durationSec !== undefined ? `duration=${g.durationSec}s,` : ''}` +
          `ref_count=${g.refCount},packet_count=${g.packetCount},byte_count=${g.byteCount},` +
          g.buckets.map((b, i) => `bucket${i}:packet_count=${b.packetCount},byte_count=${b.byteCount}`).join(','));
        case 'GROUP_DESC': return m.entries.map((g) => `group_id=${g.groupId},type=${GROUP_TYPES[g.groupType]},${bucketText(g.buckets[0]!, g.groupType, v)}`);
        case 'GROUP_FEATURES': return [`Types:  0x${m.types.toString(16)}`, `Capabilities:  0x${m.capabilities.toString(16)}`];
        case 'METER': return m.entries.flatMap((s) => [`meter:${s.meterId} flow_count:${s.flowCount} packet_in_count:${s.packetInCount} ` +
          `byte_in_count:${s.byteInCount} duration:${s.durationSec}s bands:`,
          ...s.bands.map((b, i) => `${i}: packet_count:${b.packetBandCount} byte_count:${b.byteBandCount}`)]);
        case 'METER_CONFIG': return m.entries.flatMap((c) => [`meter=${c.meterId} kbps bands=`,
          ...c.bands.map((b) => `type=drop rate=${b.rate}`)]);
        case 'METER_FEATURES': return [`max_meter:${m.maxMeter} max_bands:${m.maxBands} max_color:${m.maxColor}`];
        case 'PORT_DESC': return m.entries.flatMap((p) => portLines(p, v));
        case 'TABLE_FEATURES': return m.entries.flatMap((t) => [`table ${t.tableId}:`,
          `metadata: match=0x${t.metadataMatch.toString(16)} write=0x${t.metadataWrite.toString(16)}`, `max_entries=${t.maxEntries}`]);
        default: return [];
      }
    default:
      return [];
  }
}

/** OVS's name for the message in the first line of its printout. */
export function ovsTypeName(m: OfpMessage): string {
  if (m.type === 'STATS_REQUEST' || m.type === 'MULTIPART_REQUEST' || m.type === 'STATS_REPLY' || m.type === 'MULTIPART_REPLY') {
    const kind = m.stats === 'PORT_STATS' ? 'PORT' : m.stats;
    return `OFPST_${kind} ${m.type.endsWith('REQUEST') ? 'request' : 'reply'}`;
  }
  return `OFPT_${m.type}`;
}
