/**
 * Reserved port numbers as OpenFlow 1.1+ writes them (32 bits). They work in 1.0 too: where 1.0
 * has 16-bit ports (matches, output/enqueue actions) the encoder maps 0xffffff00-0xffffffff to
 * 1.0's 0xff00-0xffff, so `{ type: 'OUTPUT', port: OFPP.FLOOD }` encodes in every version.
 */
export const OFPP = Object.freeze({
  MAX: 0xffffff00,
  IN_PORT: 0xfffffff8,
  TABLE: 0xfffffff9,
  NORMAL: 0xfffffffa,
  FLOOD: 0xfffffffb,
  ALL: 0xfffffffc,
  CONTROLLER: 0xfffffffd,
  LOCAL: 0xfffffffe,
  /** OFPP_NONE in 1.0. */
  ANY: 0xffffffff,
});
