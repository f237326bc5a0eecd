import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { TargetCommand } from '../../schemas/target-commands.ts';
import { type AuthorizationConfig, teamOf } from '../authorization/policy.ts';
import {
  type Decider,
  foldStream,
  type HandleResult,
  type HandlerOptions,
  handleCommand,
} from '../command-handler.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';
import { decideTargets } from './decide.ts';
import { evolveTargets, initialTargetsState, type TargetsState } from './state.ts';

export const targetsDecider: Decider<TargetsState> = {
  initialState: initialTargetsState,
  evolve: evolveTargets,
};

/** One stream per rep: their targets change a few times a quarter, so it stays small. */
export const targetsStreamId = (userId: string): string => `skill-targets-${userId}`;

/**
 * Who may set a rep's targets: their manager (policy.ts: in MANAGER_USER_IDS and with the rep in
 * their team), or ops (an API key, the CLI). A rep cannot set their own.
 */
export const maySetTargets = (
  actor: CommandMetadata['actor'],
  userId: string,
  authorization: AuthorizationConfig,
): boolean =>
  actor.kind === 'ops' ||
  (actor.kind === 'user' && actor.id !== userId && teamOf(actor.id, authorization).includes(userId));

export type TargetWriterDeps = {
  store: EventStore;
  codec: EventCodec;
  authorization: AuthorizationConfig;
};

/** Runs a target command against the rep's stream, after the policy says the actor may. */
export const handleTargetCommand = (
  deps: TargetWriterDeps,
  command: TargetCommand,
  metadata: CommandMetadata,
  options?: HandlerOptions,
): Promise<HandleResult<TargetsState>> => {
  if (!maySetTargets(metadata.actor, command.userId, deps.authorization)) {
    return Promise.reject(
      new AppError('FORBIDDEN', `${metadata.actor.id} may not set targets for ${command.userId}`),
    );
  }
  return handleCommand(
    deps.store,
    deps.codec,
    targetsStreamId(command.userId),
    targetsDecider,
    (state) => decideTargets(command, state, { metadata }),
    metadata,
    options,
  );
};

/** A rep's active targets as the write side knows them (the stream, not a read model). */
export const loadTargets = async (deps: Pick<TargetWriterDeps, 'store' | 'codec'>, userId: string) =>
  (await foldStream(deps.store, deps.codec, targetsStreamId(userId), evolveTargets, initialTargetsState()))
    .state;
