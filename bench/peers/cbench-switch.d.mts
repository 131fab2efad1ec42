// Types for tests that drive the cbench-style switch in-process.
export declare const T: Readonly<Record<'HELLO' | 'ECHO_REQUEST' | 'ECHO_REPLY' | 'FEATURES_REQUEST' | 'FEATURES_REPLY' | 'PACKET_IN' | 'PACKET_OUT' | 'FLOW_MOD', number>>;
export declare class FakeSwitch {
  constructor(port: number, index: number, window: number, readyMs?: number);
  readonly index: number;
  readonly window: number;
  /** PACKET_OUTs and FLOW_MODs received. */
  answered: number;
  /** Type numbers of the first messages the controller sent. */
  received: number[];
  /** Resolves once the controller sent FEATURES_REQUEST. */
  readonly ready: Promise<void>;
  start(): void;
  close(): void;
}
