export * from './envelope.ts';
export * from './feedback-given.ts';
export * from './insight-derived.ts';
export * from './knowledge.ts';
export * from './message-received.ts';
export * from './registry.ts';
export * from './session-ended.ts';
export * from './session-started.ts';
