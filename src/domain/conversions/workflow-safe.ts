/**
 * The part of the conversions domain that workflow code may import: no `node:crypto`, no I/O, no
 * clock. Hashing and payload building live in `./hash` and `./payloads` (activities only).
 */
export * from './types';
export * from './stages';
export * from './shared-fields';
export * from './plan-limits';
export * from './definition-problems';
export * from './definition';
export * from './destinations';
export * from './normalise';
export * from './windows';
export * from './event-id';
export * from './match-keys';
export * from './skip-reasons';
export * from './activity';
export * from './batching';
