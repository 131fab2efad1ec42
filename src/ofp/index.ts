/**
 * OpenFlow 1.0-1.5 wire protocol (docs/DESIGN.md, "Layers"): versions, per-version type and error tables,
 * the header, message codecs and the stream framer.
 *
 * - `Framer` turns a byte stream into whole messages (zero-copy views when a message lies inside
 *   one chunk). `decode(buf)` turns one message into an `OfpMessage`, a discriminated union on the
 *   OFPT_ name in `type`; `encode(msg)` is its exact inverse: encode(decode(b)) equals b byte for
 *   byte, for every valid b (non-zero padding, unknown HELLO elements and trailing bytes are kept).
 * - Fully decoded: every type of 1.0-1.5 but TABLE_STATUS, BUNDLE_* and CONTROLLER_STATUS, which are
 *   `{ type, version, xid, body }`; STATS/MULTIPART bodies by kind (`stats`), experimenter or
 *   unknown kinds as `stats: 'RAW'`; an undefined type number is `{ type: 'UNKNOWN', typeCode, ... }`:
 *   nothing is rejected for being unfamiliar.
 * - Matches, actions and instructions are version-neutral values (`Match`, `Action`,
 *   `Instruction`); PACKET_IN / PACKET_OUT / FLOW_MOD / FLOW_REMOVED decode them lazily, on first
 *   read (docs/DESIGN.md, "Matches, actions and lazy fields").
 * - Decoded Buffers (and lazily decoded fields) alias the input; copy them if the input buffer will
 *   be reused.
 * - Every failure is an `OfpError` with a stable `code` (BAD_LENGTH, BAD_VERSION, TRUNCATED,
 *   UNENCODABLE, BAD_VERSION_NAME, ...) and, for decode failures, `ofpError`: the OpenFlow error
 *   to send back, which `errorReplyFor(err, raw)` turns into an ERROR message.
 * - Speed: framing, the header, HELLO, ECHO and ERROR are hand-written on Buffer; FEATURES_REPLY and
 *   port descriptions use binary-parser, compiled once at load.
 */
export { OFP10, OFP11, OFP12, OFP13, OFP14, OFP15, ALL_VERSIONS, isKnownVersion, versionName, parseVersion,
  parseVersionList } from './versions.js';
export { typeName, typeCode, ALL_TYPE_NAMES } from './type-tables.js';
export { errorTypeName, errorCodeName, errorTypeCode, errorCodeCode, EXPERIMENTER_ERROR_TYPE } from './error-codes.js';
export { OFP_HEADER_LEN, OFP_MAX_MESSAGE_LEN, messageLengthAt, readHeader, writeHeader, type OfpHeader } from './header.js';
export { OfpError, type OfpErrorPair } from './ofp-error.js';
export { Framer, Runs } from './framer.js';
export { decode, decodeAt, encode, encodeInto, echoRequest, echoReply } from './codec.js';
export { makeHello, helloVersions } from './hello.js';
export { makeError, errorReplyFor, errorText, hexDump, ERROR_DATA_MAX } from './error-msg.js';
export { formatDatapathId } from './features.js';
export { formatMac, parseMac } from './mac.js';
export { decodeMatch, encodeMatch, matchWireLength } from './match.js';
export { OXM_FIELDS, oxmField, type OxmField } from './oxm.js';
export type { Match, MatchField, MaskedNumber, MaskedBigint, OxmTlv } from './match-types.js';
export { decodeActions, encodeActions, hasAction, type Action, type ActionType } from './actions.js';
export { decodeInstructions, encodeInstructions, type Instruction, type InstructionType } from './instructions.js';
export { OFPP } from './ports.js';
export type {
  OfpMessage, OfpMessageType, HelloMessage, HelloElement, ErrorMessage, EchoMessage, ExperimenterMessage,
  EmptyMessage, EmptyTypeName, FeaturesReplyMessage, OfpPort, RoleMessage, PacketIn10Message, PacketIn11Message,
  PacketIn13Message, PacketOut10Message, PacketOut13Message, PacketOut15Message, FlowMod10Message, FlowMod13Message,
  FlowRemoved10Message, FlowRemoved13Message, FlowRemoved15Message, PacketInMessage, PacketOutMessage,
  FlowModMessage, FlowRemovedMessage, RawMessage, RawTypeName,
  UnknownMessage, FullyDecodedTypeName, RawFormMessage,
} from './messages.js';
export {
  CONTROLLER_ROLES, ROLE_STATUS_REASONS, GENERATION_ID_UNDEFINED, ONF_EXPERIMENTER_ID, ONF_ET_ROLE_STATUS, roleNumber,
  roleName, isControllerRole, isStaleGeneration, roleStatusOf, makeRoleStatus, type ControllerRole,
  type RoleStatus,
} from './role.js';
export type { OfpProperty } from './struct.js';
export type { PortStatusMessage, PortModMessage, TableModMessage } from './port-msgs.js';
export { asyncConfig, type AsyncConfigMessage, type AsyncMasks, type AsyncProperty, type RoleStatusMessage,
  type SwitchConfigMessage } from './config-msgs.js';
export type { QueueGetConfigRequestMessage, QueueGetConfigReplyMessage, PacketQueue, QueueProperty } from './queue-config.js';
export type { GroupModMessage, MeterModMessage, Bucket, MeterBand } from './group-meter.js';
export type { RequestForwardMessage } from './request-forward.js';
export { statsTypeCode, statsTypeName } from './multipart/codec.js';
export {
  anyPort, flowStatsRequest, portStatsEntry, portStatsRequest, statsReplies, statsReply, statsRequest, type FlowStatsFilter,
} from './multipart/builders.js';
export type * from './multipart/types.js';
