export { Vconn, type VconnOptions } from './vconn.js';
export { Pvconn, type PvconnOptions } from './pvconn.js';
export { negotiate, peerVersionsOf, describeVersions, normalizeVersions, type Negotiation } from './negotiate.js';
export type { VconnLike, VconnSink, Connector } from './types.js';
