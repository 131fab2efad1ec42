/**
 * OFPT_* message type numbers per version, from the OpenFlow 1.0-1.5 specifications (enum ofp_type).
 * They differ between versions (BARRIER_REQUEST is 18 in 1.0 and 20 in 1.1+; STATS_* became
 * MULTIPART_* in 1.3; QUEUE_GET_CONFIG_* left in 1.4), so every lookup takes the version.
 */

const COMMON = ['HELLO', 'ERROR', 'ECHO_REQUEST', 'ECHO_REPLY'];
const V10 = [
  ...COMMON, 'VENDOR', 'FEATURES_REQUEST', 'FEATURES_REPLY', 'GET_CONFIG_REQUEST', 'GET_CONFIG_REPLY',
  'SET_CONFIG', 'PACKET_IN', 'FLOW_REMOVED', 'PORT_STATUS', 'PACKET_OUT', 'FLOW_MOD', 'PORT_MOD',
  'STATS_REQUEST', 'STATS_REPLY', 'BARRIER_REQUEST', 'BARRIER_REPLY', 'QUEUE_GET_CONFIG_REQUEST',
  'QUEUE_GET_CONFIG_REPLY',
];
const V11 = [
  ...COMMON, 'EXPERIMENTER', 'FEATURES_REQUEST', 'FEATURES_REPLY', 'GET_CONFIG_REQUEST', 'GET_CONFIG_REPLY',
  'SET_CONFIG', 'PACKET_IN', 'FLOW_REMOVED', 'PORT_STATUS', 'PACKET_OUT', 'FLOW_MOD', 'GROUP_MOD',
  'PORT_MOD', 'TABLE_MOD', 'STATS_REQUEST', 'STATS_REPLY', 'BARRIER_REQUEST', 'BARRIER_REPLY',
  'QUEUE_GET_CONFIG_REQUEST', 'QUEUE_GET_CONFIG_REPLY',
];
const V12 = [...V11, 'ROLE_REQUEST', 'ROLE_REPLY'];
const V13 = [
  ...V12.slice(0, 18), 'MULTIPART_REQUEST', 'MULTIPART_REPLY', ...V12.slice(20),
  'GET_ASYNC_REQUEST', 'GET_ASYNC_REPLY', 'SET_ASYNC', 'METER_MOD',
];
// 1.4 moved queue configuration into multipart (OFPMP_QUEUE_DESC): codes 22 and 23 are unassigned.
const V14: (string | undefined)[] = [
  ...V13.slice(0, 22), undefined, undefined, ...V13.slice(24),
  'ROLE_STATUS', 'TABLE_STATUS', 'REQUESTFORWARD', 'BUNDLE_CONTROL', 'BUNDLE_ADD_MESSAGE',
];
const V15 = [...V14, 'CONTROLLER_STATUS'];

const BY_VERSION: readonly (readonly (string | undefined)[])[] = [[], V10, V11, V12, V13, V14, V15];
const CODES: readonly ReadonlyMap<string, number>[] = BY_VERSION.map(
  (names) => new Map(names.flatMap((n, i) => (n === undefined ? [] : [[n, i] as [string, number]]))),
);

/** Every message type name that exists in some version (without the OFPT_ prefix). */
export const ALL_TYPE_NAMES: readonly string[] = [...new Set(BY_VERSION.flat().filter((n): n is string => !!n))];

/** The name of type `code` in `version`, or undefined when that version has no such type. */
export function typeName(version: number, code: number): string | undefined {
  return BY_VERSION[version]?.[code];
}

/** The number of type `name` in `version`, or undefined when that version has no such type. */
export function typeCode(version: number, name: string): number | undefined {
  return CODES[version]?.get(name);
}
