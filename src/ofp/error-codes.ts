/**
 * ofp_error_type and per-type codes for OpenFlow 1.0-1.5, from the specifications' enums
 * (cross-checked against Open vSwitch include/openvswitch/ofp-errors.h). Index = code number.
 * Later versions mostly append, so each version is written as the previous one plus its changes.
 */

type Codes = readonly (string | undefined)[];
type Table = ReadonlyMap<number, { name: string; codes: Codes }>;

export const EXPERIMENTER_ERROR_TYPE = 0xffff;

const HELLO_FAILED = ['INCOMPATIBLE', 'EPERM'];
const BAD_REQUEST_10 = ['BAD_VERSION', 'BAD_TYPE', 'BAD_STAT', 'BAD_VENDOR', 'BAD_SUBTYPE', 'EPERM', 'BAD_LEN',
  'BUFFER_EMPTY', 'BUFFER_UNKNOWN'];
const BAD_ACTION_10 = ['BAD_TYPE', 'BAD_LEN', 'BAD_VENDOR', 'BAD_VENDOR_TYPE', 'BAD_OUT_PORT', 'BAD_ARGUMENT',
  'EPERM', 'TOO_MANY', 'BAD_QUEUE'];
const QUEUE_OP_FAILED = ['BAD_PORT', 'BAD_QUEUE', 'EPERM'];

const V10: [number, string, Codes][] = [
  [0, 'HELLO_FAILED', HELLO_FAILED],
  [1, 'BAD_REQUEST', BAD_REQUEST_10],
  [2, 'BAD_ACTION', BAD_ACTION_10],
  [3, 'FLOW_MOD_FAILED', ['ALL_TABLES_FULL', 'OVERLAP', 'EPERM', 'BAD_EMERG_TIMEOUT', 'BAD_COMMAND', 'UNSUPPORTED']],
  [4, 'PORT_MOD_FAILED', ['BAD_PORT', 'BAD_HW_ADDR']],
  [5, 'QUEUE_OP_FAILED', QUEUE_OP_FAILED],
];

// 1.1 renamed VENDOR to EXPERIMENTER and renumbered every type after BAD_ACTION.
const BAD_REQUEST_11 = ['BAD_VERSION', 'BAD_TYPE', 'BAD_STAT', 'BAD_EXPERIMENTER', 'BAD_SUBTYPE', 'EPERM',
  'BAD_LEN', 'BUFFER_EMPTY', 'BUFFER_UNKNOWN', 'BAD_TABLE_ID'];
const BAD_ACTION_11 = ['BAD_TYPE', 'BAD_LEN', 'BAD_EXPERIMENTER', 'BAD_EXPERIMENTER_TYPE', 'BAD_OUT_PORT',
  'BAD_ARGUMENT', 'EPERM', 'TOO_MANY', 'BAD_QUEUE', 'BAD_OUT_GROUP', 'MATCH_INCONSISTENT', 'UNSUPPORTED_ORDER',
  'BAD_TAG'];
const BAD_MATCH_11 = ['BAD_TYPE', 'BAD_LEN', 'BAD_TAG', 'BAD_DL_ADDR_MASK', 'BAD_NW_ADDR_MASK', 'BAD_WILDCARDS',
  'BAD_FIELD', 'BAD_VALUE'];
const FLOW_MOD_FAILED_11 = ['UNKNOWN', 'TABLE_FULL', 'BAD_TABLE_ID', 'OVERLAP', 'EPERM', 'BAD_TIMEOUT', 'BAD_COMMAND'];
const GROUP_MOD_FAILED_11 = ['GROUP_EXISTS', 'INVALID_GROUP', 'WEIGHT_UNSUPPORTED', 'OUT_OF_GROUPS',
  'OUT_OF_BUCKETS', 'CHAINING_UNSUPPORTED', 'WATCH_UNSUPPORTED', 'LOOP', 'UNKNOWN_GROUP'];

const V11: [number, string, Codes][] = [
  [0, 'HELLO_FAILED', HELLO_FAILED],
  [1, 'BAD_REQUEST', BAD_REQUEST_11],
  [2, 'BAD_ACTION', BAD_ACTION_11],
  [3, 'BAD_INSTRUCTION', ['UNKNOWN_INST', 'UNSUP_INST', 'BAD_TABLE_ID', 'UNSUP_METADATA', 'UNSUP_METADATA_MASK',
    'UNSUP_EXP_INST']],
  [4, 'BAD_MATCH', BAD_MATCH_11],
  [5, 'FLOW_MOD_FAILED', FLOW_MOD_FAILED_11],
  [6, 'GROUP_MOD_FAILED', GROUP_MOD_FAILED_11],
  [7, 'PORT_MOD_FAILED', ['BAD_PORT', 'BAD_HW_ADDR', 'BAD_CONFIG', 'BAD_ADVERTISE']],
  [8, 'TABLE_MOD_FAILED', ['BAD_TABLE', 'BAD_CONFIG']],
  [9, 'QUEUE_OP_FAILED', QUEUE_OP_FAILED],
  [10, 'SWITCH_CONFIG_FAILED', ['BAD_FLAGS', 'BAD_LEN']],
];

const BAD_INSTRUCTION_12 = ['UNKNOWN_INST', 'UNSUP_INST', 'BAD_TABLE_ID', 'UNSUP_METADATA', 'UNSUP_METADATA_MASK',
  'BAD_EXPERIMENTER', 'BAD_EXP_TYPE', 'BAD_LEN', 'EPERM'];
const V12: [number, string, Codes][] = [
  [0, 'HELLO_FAILED', HELLO_FAILED],
  [1, 'BAD_REQUEST', [...BAD_REQUEST_11, 'IS_SLAVE', 'BAD_PORT', 'BAD_PACKET']],
  [2, 'BAD_ACTION', [...BAD_ACTION_11, 'BAD_SET_TYPE', 'BAD_SET_LEN', 'BAD_SET_ARGUMENT']],
  [3, 'BAD_INSTRUCTION', BAD_INSTRUCTION_12],
  [4, 'BAD_MATCH', [...BAD_MATCH_11, 'BAD_MASK', 'BAD_PREREQ', 'DUP_FIELD', 'EPERM']],
  [5, 'FLOW_MOD_FAILED', [...FLOW_MOD_FAILED_11, 'BAD_FLAGS']],
  [6, 'GROUP_MOD_FAILED', [...GROUP_MOD_FAILED_11, 'CHAINED_GROUP', 'BAD_TYPE', 'BAD_COMMAND', 'BAD_BUCKET',
    'BAD_WATCH', 'EPERM']],
  [7, 'PORT_MOD_FAILED', ['BAD_PORT', 'BAD_HW_ADDR', 'BAD_CONFIG', 'BAD_ADVERTISE', 'EPERM']],
  [8, 'TABLE_MOD_FAILED', ['BAD_TABLE', 'BAD_CONFIG', 'EPERM']],
  [9, 'QUEUE_OP_FAILED', QUEUE_OP_FAILED],
  [10, 'SWITCH_CONFIG_FAILED', ['BAD_FLAGS', 'BAD_LEN', 'EPERM']],
  [11, 'ROLE_REQUEST_FAILED', ['STALE', 'UNSUP', 'BAD_ROLE']],
  [EXPERIMENTER_ERROR_TYPE, 'EXPERIMENTER', []],
];

const METER_MOD_FAILED = ['UNKNOWN', 'METER_EXISTS', 'INVALID_METER', 'UNKNOWN_METER', 'BAD_COMMAND', 'BAD_FLAGS',
  'BAD_RATE', 'BAD_BURST', 'BAD_BAND', 'BAD_BAND_VALUE', 'OUT_OF_METERS', 'OUT_OF_BANDS'];
const V13 = replace(V12, [
  [1, 'BAD_REQUEST', [...BAD_REQUEST_11.slice(0, 2), 'BAD_MULTIPART', ...BAD_REQUEST_11.slice(3),
    'IS_SLAVE', 'BAD_PORT', 'BAD_PACKET', 'MULTIPART_BUFFER_OVERFLOW']],
  [12, 'METER_MOD_FAILED', METER_MOD_FAILED],
  [13, 'TABLE_FEATURES_FAILED', ['BAD_TABLE', 'BAD_METADATA', 'BAD_TYPE', 'BAD_LEN', 'BAD_ARGUMENT', 'EPERM']],
]);

const V14 = replace(V13, [
  [3, 'BAD_INSTRUCTION', [...BAD_INSTRUCTION_12, 'DUP_INST']],
  [5, 'FLOW_MOD_FAILED', [...FLOW_MOD_FAILED_11, 'BAD_FLAGS', 'CANT_SYNC', 'BAD_PRIORITY']],
  // 1.4 moved the property codes of TABLE_FEATURES_FAILED into the new BAD_PROPERTY type.
  [13, 'TABLE_FEATURES_FAILED', ['BAD_TABLE', 'BAD_METADATA', undefined, undefined, undefined, 'EPERM']],
  [14, 'BAD_PROPERTY', ['BAD_TYPE', 'BAD_LEN', 'BAD_VALUE', 'TOO_MANY', 'DUP_TYPE', 'BAD_EXPERIMENTER',
    'BAD_EXP_TYPE', 'BAD_EXP_VALUE', 'EPERM']],
  [15, 'ASYNC_CONFIG_FAILED', ['INVALID', 'UNSUPPORTED', 'EPERM']],
  [16, 'FLOW_MONITOR_FAILED', ['UNKNOWN', 'MONITOR_EXISTS', 'INVALID_MONITOR', 'UNKNOWN_MONITOR', 'BAD_COMMAND',
    'BAD_FLAGS', 'BAD_TABLE_ID', 'BAD_OUT']],
  [17, 'BUNDLE_FAILED', ['UNKNOWN', 'EPERM', 'BAD_ID', 'BUNDLE_EXIST', 'BUNDLE_CLOSED', 'OUT_OF_BUNDLES',
    'BAD_TYPE', 'BAD_FLAGS', 'MSG_BAD_LEN', 'MSG_BAD_XID', 'MSG_UNSUP', 'MSG_CONFLICT', 'MSG_TOO_MANY',
    'MSG_FAILED', 'TIMEOUT', 'BUNDLE_IN_PROGRESS']],
]);

const V15 = replace(V14, [
  [1, 'BAD_REQUEST', [...codesOf(V14, 1), 'MULTIPART_REQUEST_TIMEOUT', 'MULTIPART_REPLY_TIMEOUT',
    'MULTIPART_BAD_SCHED', 'PIPELINE_FIELDS_ONLY', 'UNKNOWN']],
  [2, 'BAD_ACTION', [...codesOf(V14, 2), 'BAD_SET_MASK', 'BAD_METER']],
  [5, 'FLOW_MOD_FAILED', [...codesOf(V14, 5), 'IS_SYNC']],
  [6, 'GROUP_MOD_FAILED', [...codesOf(V14, 6), 'UNKNOWN_BUCKET', 'BUCKET_EXISTS']],
  [17, 'BUNDLE_FAILED', [...codesOf(V14, 17), 'SCHED_NOT_SUPPORTED', 'SCHED_FUTURE', 'SCHED_PAST']],
]);

function codesOf(rows: [number, string, Codes][], type: number): Codes {
  return rows.find((r) => r[0] === type)![2];
}

function replace(base: [number, string, Codes][], changes: [number, string, Codes][]): [number, string, Codes][] {
  const m = new Map(base.map((r) => [r[0], r]));
  for (const c of changes) m.set(c[0], c);
  return [...m.values()].sort((a, b) => a[0] - b[0]);
}

const TABLES: readonly Table[] = [[], V10, V11, V12, V13, V14, V15].map(
  (rows) => new Map(rows.map(([t, name, codes]) => [t, { name, codes }])),
);

/** Symbolic name of an error type in `version` ('BAD_REQUEST'), or 'UNKNOWN_<n>'. */
export function errorTypeName(version: number, type: number): string {
  return TABLES[version]?.get(type)?.name ?? `UNKNOWN_${type}`;
}

/** Symbolic name of an error code of `type` in `version` ('BAD_LEN'), or 'UNKNOWN_<n>'. */
export function errorCodeName(version: number, type: number, code: number): string {
  return TABLES[version]?.get(type)?.codes[code] ?? `UNKNOWN_${code}`;
}

/** Number of an error type by name in `version`; accepts 'UNKNOWN_<n>' and plain numbers too. */
export function errorTypeCode(version: number, name: string | number): number | undefined {
  if (typeof name === 'number') return name;
  for (const [t, def] of TABLES[version] ?? []) if (def.name === name) return t;
  return unknownNumber(name);
}

/** Number of an error code by name within error type `type` in `version`. */
export function errorCodeCode(version: number, type: number, name: string | number): number | undefined {
  if (typeof name === 'number') return name;
  const i = TABLES[version]?.get(type)?.codes.indexOf(name) ?? -1;
  return i >= 0 ? i : unknownNumber(name);
}

function unknownNumber(name: string): number | undefined {
  const m = /^UNKNOWN_(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
