/** Batching limits shared by the browser and server tRPC clients. */
export const BATCH_LIMITS = {
  // The gateway refuses batches above 20 calls; long GET URLs are split before proxies reject them.
  maxItems: 10,
  maxURLLength: 4000,
} as const;
