/** Pure conversion-event rules (SPEC §7 CONV): definitions, send/skip decisions, hashing, payloads, batching. */
export * from './workflow-safe';
export * from './hash';
export * from './test-vectors';
export * from './payloads';
export * from './facebook-click';
export * from './source-url';
