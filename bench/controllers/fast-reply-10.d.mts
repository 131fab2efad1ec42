// Types for tests that run the P4 controllers in-process.
export declare function startFastReply10(target?: string): Promise<{ port: number; close(): Promise<void> }>;
