import type { CommandMetadata } from '../../schemas/commands.ts';
import type { SalesEvent } from '../../schemas/events/index.ts';
import type { SetDigestPreference } from '../../schemas/target-commands.ts';
import { foldStream, type HandleResult, handleCommand } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';

/** Whether a rep gets the weekly digest: on until they turn it off. */
export type DigestPreferenceState = { readonly enabled: boolean };

export const initialDigestPreference = (): DigestPreferenceState => ({ enabled: true });

export const evolveDigestPreference = (
  state: DigestPreferenceState,
  event: SalesEvent,
): DigestPreferenceState =>
  event.type === 'DigestPreferenceChanged' ? { enabled: event.data.enabled } : state;

/** Asking for what is already so is a no-op. */
export const decideDigestPreference = (
  command: SetDigestPreference,
  state: DigestPreferenceState,
  metadata: CommandMetadata,
): EventDraft[] =>
  state.enabled === command.enabled
    ? []
    : [
        {
          type: 'DigestPreferenceChanged',
          data: {
            userId: command.userId,
            enabled: command.enabled,
            via: command.via,
            changedAt: metadata.now,
          },
        },
      ];

export const digestPreferenceStreamId = (userId: string) => `digest-preference-${userId}`;

type Deps = { store: EventStore; codec: EventCodec };

/** A rep changes their own preference only (the edge passes the signed-in user as userId). */
export const handleDigestPreference = (
  deps: Deps,
  command: SetDigestPreference,
  metadata: CommandMetadata,
): Promise<HandleResult<DigestPreferenceState>> =>
  handleCommand(
    deps.store,
    deps.codec,
    digestPreferenceStreamId(command.userId),
    { initialState: initialDigestPreference, evolve: evolveDigestPreference },
    (state) => decideDigestPreference(command, state, metadata),
    metadata,
  );

export const loadDigestPreference = async (deps: Deps, userId: string): Promise<DigestPreferenceState> =>
  (
    await foldStream(
      deps.store,
      deps.codec,
      digestPreferenceStreamId(userId),
      evolveDigestPreference,
      initialDigestPreference(),
    )
  ).state;
