/** Pure visitor-tracking rules (SPEC §4 VIS-1, VIS-6; sessions for ATT-1): no I/O, no clock. */
export * from './instant';
export * from './visitor-token';
export * from './page-url';
export * from './session-source';
export * from './session';
export * from './original-source';
