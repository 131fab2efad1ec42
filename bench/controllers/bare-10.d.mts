// Types for tests that run the P4 baseline controller in-process.
export declare function startBare10(options?: { batched?: boolean }): Promise<{ port: number; close(): Promise<void> }>;
