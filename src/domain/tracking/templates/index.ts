export * from './override';
export * from './facebook';
export * from './google';
export * from './linkedin';
