import type { types } from '@slack/bolt';

/** Block Kit types, through Bolt (which re-exports @slack/types; the project does not depend on it directly). */
export type KnownBlock = types.KnownBlock;
export type ActionsBlockElement = types.ActionsBlockElement;
export type View = types.View;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
/** Chunks of a streamed message (chat.startStream / appendStream / stopStream). */
export type AnyChunk = types.AnyChunk;
export type TaskUpdateChunk = types.TaskUpdateChunk;
