// Types for tests that drive the cbench-style switch in-process.
export declare const T: Readonly<Record<'HELLO' | 'ECHO_REQUEST' | 'ECHO_REPLY' | 'FEATURES_REQUEST' | 'FEATURES_REPLY' | 'PACKET_IN' | 'PACKET_OUT' | 'FLOW_MOD' | 'MULTIPART_REQUEST' | 'MULTIPART_REPLY', number>>;
export declare class FakeSwitch {
  /** `options.version`: 1 (OpenFlow 1.0, default) or 4 (1.3); `options.flood`: keep the socket full, as stock cbench does. */
  constructor(port: number, index: number, window: number, readyMs?: number, options?: { version?: 1 | 4; flood?: boolean });
  readonly index: number;
  readonly window: number;
  readonly version: number;
  readonly flood: boolean;
  /** PACKET_OUTs and FLOW_MODs received. */
  answered: number;
  /** in_port of the last PACKET_OUT received (every PACKET_IN says port 1); null before one. */
  lastInPort: number | null;
  /** Type numbers of the first messages the controller sent. */
  received: number[];
  /** Resolves once the controller sent FEATURES_REQUEST. */
  readonly ready: Promise<void>;
  start(): void;
  close(): void;
}
