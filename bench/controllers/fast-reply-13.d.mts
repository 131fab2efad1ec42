// Types for tests that run the P4b library controller in-process.
export declare function startFastReply13(target?: string): Promise<{ port: number; close(): Promise<void> }>;
