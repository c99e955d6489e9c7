/** Pure attribution and campaign rules (SPEC §5 ATT, §8 CMP, REP-2, ACC-5): no I/O, no clock. */
export * from './reasons';
export * from './known-ads';
export * from './ad-attribution';
export * from './campaign-assets';
export * from './tracking-url';
export * from './campaign-touch';
export * from './campaign-report';
export * from './ads-report';
