/**
 * The decoded message types. Every member carries `version` and `xid`; `type` is the OFPT_ name.
 *
 * Representation rules that make encode(decode(b)) byte-exact: buffers alias the decoded input (no
 * copies); optional `padding` holds pad bytes only when they are not all zero; optional `trailing`
 * holds bytes after a fixed-size structure. Builders leave both out, and the encoder writes zeros.
 */

import type { OfpProperty } from './struct.js';
import type { PortModMessage, PortStatusMessage, TableModMessage } from './port-msgs.js';
import type { AsyncConfigMessage, RoleStatusMessage, SwitchConfigMessage } from './config-msgs.js';
import type { QueueGetConfigReplyMessage, QueueGetConfigRequestMessage } from './queue-config.js';
import type { GroupModMessage, MeterModMessage } from './group-meter.js';
import type { RequestForwardMessage } from './request-forward.js';
import type { StatsReplyMessage, StatsRequestMessage } from './multipart/types.js';
import type {
  FlowMod10Message, FlowMod13Message, FlowRemoved10Message, FlowRemoved13Message, FlowRemoved15Message,
  PacketIn10Message, PacketIn11Message, PacketIn13Message, PacketOut10Message, PacketOut15Message,
} from './flow-types.js';

export type * from './flow-types.js';

interface Base {
  version: number;
  xid: number;
}

export type HelloElement =
  | { type: 'VERSIONBITMAP'; bitmaps: number[]; padding?: Buffer }
  /** Any other element, or a VERSIONBITMAP whose length is not a whole number of words. */
  | { type: number; data: Buffer; padding?: Buffer };

export interface HelloMessage extends Base {
  type: 'HELLO';
  elements: HelloElement[];
  /** Bytes that do not form a well-formed element (e.g. an OpenFlow 1.0 peer's arbitrary body). */
  trailing?: Buffer;
}

export interface ErrorMessage extends Base {
  type: 'ERROR';
  errorType: number;
  /** The code; for an EXPERIMENTER error (type 0xffff, 1.2+) the exp_type. */
  code: number;
  /** Only for EXPERIMENTER errors in 1.2+. */
  experimenter?: number;
  data: Buffer;
  errorTypeName: string;
  codeName: string;
}

export interface EchoMessage<T extends 'ECHO_REQUEST' | 'ECHO_REPLY' = 'ECHO_REQUEST' | 'ECHO_REPLY'> extends Base {
  type: T;
  data: Buffer;
}

/** VENDOR in 1.0, EXPERIMENTER in 1.1+. */
export interface ExperimenterMessage<T extends 'VENDOR' | 'EXPERIMENTER' = 'VENDOR' | 'EXPERIMENTER'> extends Base {
  type: T;
  experimenter: number;
  /** 1.1+ only (in 1.1 the same four bytes are padding). */
  expType?: number;
  data: Buffer;
}

export type EmptyTypeName = 'FEATURES_REQUEST' | 'BARRIER_REQUEST' | 'BARRIER_REPLY' | 'GET_CONFIG_REQUEST' | 'GET_ASYNC_REQUEST';

export interface EmptyMessage<T extends EmptyTypeName = EmptyTypeName> extends Base {
  type: T;
  trailing?: Buffer;
}

export interface OfpPort {
  /** u16 in 1.0, u32 in 1.1+. */
  portNo: number;
  /** 'aa:bb:cc:dd:ee:ff'. */
  hwAddr: string;
  name: string;
  config: number;
  state: number;
  curr: number;
  advertised: number;
  supported: number;
  peer: number;
  /** 1.1+ (kbps). */
  currSpeed?: number;
  maxSpeed?: number;
  /** The 16 name bytes, kept only when `name` does not re-encode to them exactly. */
  nameBytes?: Buffer;
  /**
   * 1.4+: the port's first property is not the ETHERNET one that curr ... maxSpeed come from (they
   * are then 0, and every property is in `properties`).
   */
  noEthernet?: true;
  /** 1.4+: properties other than the leading ETHERNET one (optical, experimenter), as bytes. */
  properties?: OfpProperty[];
  /** 1.1-1.3: the 6 pad bytes of ofp_port; 1.4+: its 4, then the ETHERNET property's 4. */
  padding?: Buffer;
}

export interface FeaturesReplyMessage extends Base {
  type: 'FEATURES_REPLY';
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  /** 1.3+. */
  auxiliaryId?: number;
  capabilities: number;
  /** 1.0: supported action bitmap. */
  actions?: number;
  /** 1.1+: the reserved word. */
  reserved?: number;
  /** 1.0-1.2. */
  ports?: OfpPort[];
  padding?: Buffer;
  trailing?: Buffer;
}

export interface RoleMessage<T extends 'ROLE_REQUEST' | 'ROLE_REPLY' = 'ROLE_REQUEST' | 'ROLE_REPLY'> extends Base {
  type: T;
  role: number;
  generationId: bigint;
  padding?: Buffer;
  trailing?: Buffer;
}

/** Type names that decode() always decodes to typed fields, whatever the version. */
export type FullyDecodedTypeName =
  | 'HELLO' | 'ERROR' | 'ECHO_REQUEST' | 'ECHO_REPLY' | 'VENDOR' | 'EXPERIMENTER' | 'FEATURES_REQUEST'
  | 'FEATURES_REPLY' | 'BARRIER_REQUEST' | 'BARRIER_REPLY' | 'ROLE_REQUEST' | 'ROLE_REPLY' | 'PACKET_IN'
  | 'PACKET_OUT' | 'FLOW_MOD' | 'FLOW_REMOVED'
  | 'GET_CONFIG_REQUEST' | 'GET_CONFIG_REPLY' | 'SET_CONFIG' | 'PORT_STATUS' | 'PORT_MOD' | 'TABLE_MOD'
  | 'GROUP_MOD' | 'METER_MOD' | 'ROLE_STATUS' | 'GET_ASYNC_REQUEST' | 'GET_ASYNC_REPLY' | 'SET_ASYNC'
  | 'QUEUE_GET_CONFIG_REQUEST' | 'QUEUE_GET_CONFIG_REPLY' | 'REQUESTFORWARD'
  | 'STATS_REQUEST' | 'STATS_REPLY' | 'MULTIPART_REQUEST' | 'MULTIPART_REPLY';

/** Types decode() keeps as body bytes in some or all versions. */
export type RawTypeName =
  | 'TABLE_STATUS' | 'BUNDLE_CONTROL' | 'BUNDLE_ADD_MESSAGE' | 'CONTROLLER_STATUS';

/** A message kept as its body bytes. */
export interface RawMessage<T extends RawTypeName = RawTypeName> extends Base {
  type: T;
  body: Buffer;
}

/**
 * Any type in the raw form, which encode() also accepts for the typed ones (its body is written as
 * given): for tests and tools that need exact or deliberately odd bytes.
 */
export interface RawFormMessage extends Base {
  type: Exclude<OfpMessageType, 'UNKNOWN'>;
  body: Buffer;
}

/** A type number the version does not define. */
export interface UnknownMessage extends Base {
  type: 'UNKNOWN';
  typeCode: number;
  body: Buffer;
}

// Written out one member per type name so that Extract<OfpMessage, { type: 'ECHO_REPLY' }> works.
export type OfpMessage =
  | HelloMessage | ErrorMessage | EchoMessage<'ECHO_REQUEST'> | EchoMessage<'ECHO_REPLY'>
  | ExperimenterMessage<'VENDOR'> | ExperimenterMessage<'EXPERIMENTER'> | EmptyMessage<'FEATURES_REQUEST'>
  | EmptyMessage<'BARRIER_REQUEST'> | EmptyMessage<'BARRIER_REPLY'> | FeaturesReplyMessage
  | RoleMessage<'ROLE_REQUEST'> | RoleMessage<'ROLE_REPLY'> | PacketIn10Message | PacketIn11Message
  | PacketIn13Message | PacketOut10Message | PacketOut15Message | FlowMod10Message | FlowMod13Message
  | FlowRemoved10Message | FlowRemoved13Message | FlowRemoved15Message
  | SwitchConfigMessage<'GET_CONFIG_REPLY'> | SwitchConfigMessage<'SET_CONFIG'> | EmptyMessage<'GET_CONFIG_REQUEST'>
  | EmptyMessage<'GET_ASYNC_REQUEST'> | PortStatusMessage | PortModMessage | TableModMessage | GroupModMessage
  | MeterModMessage | RoleStatusMessage | AsyncConfigMessage<'GET_ASYNC_REPLY'> | AsyncConfigMessage<'SET_ASYNC'>
  | QueueGetConfigRequestMessage | QueueGetConfigReplyMessage | RequestForwardMessage
  | StatsRequestMessage<'STATS_REQUEST'> | StatsRequestMessage<'MULTIPART_REQUEST'>
  | StatsReplyMessage<'STATS_REPLY'> | StatsReplyMessage<'MULTIPART_REPLY'>
  | { [K in RawTypeName]: RawMessage<K> }[RawTypeName] | UnknownMessage;

export type OfpMessageType = OfpMessage['type'];
