/**
 * The relay wire protocol: one TypeBox schema per HTTP body/reply and WebSocket message,
 * shared by the relay and the extension. Imports only @sinclair/typebox (runs in browsers).
 */
export * from './common';
export * from './accounts';
export * from './sync';
export * from './ws';
export * from './export';
export * from './sandbox';
