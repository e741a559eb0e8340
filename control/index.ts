// Public API of the control service: pure controllers, the safety envelope, and the loop.
export * from './envelope/index.ts';
