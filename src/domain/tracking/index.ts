/** Pure auto-tracking rules (SPEC §2 TRK, ACC-4/ACC-5): no I/O, no clock. */
export * from './types';
export * from './query-string';
export * from './ids';
export * from './reasons';
export * from './url-rules';
export * from './ad-types';
export * from './templates';
export { planFacebook, planGoogle, planLinkedIn, writeKeys } from './planners';
export type { NetworkOutcome } from './planners';
export * from './plan';
export * from './fold';
export * from './click-params';
export * from './auto-tracking-window';
export * from './campaign-keys';
export * from './reason-advice';
export * from './engagement-cap-sweep';
