/** Pure contact rules (SPEC §4 VIS-2…VIS-5, VIS-7; §6 LEAD-2, LEAD-3): no I/O, no clock. */
export * from './email';
export * from './lifecycle';
export * from './cookie-identity';
export * from './identify';
export * from './lead-fields';
export * from './lead-contact';
