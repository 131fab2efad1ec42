// Types for tests that run the P4b baseline controller in-process.
export declare function startBare13(options?: { batched?: boolean }): Promise<{ port: number; close(): Promise<void> }>;
