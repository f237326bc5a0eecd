import type { CommandMetadata } from '../../schemas/commands.ts';
import type { WeeklyDigestSentData } from '../../schemas/events/index.ts';
import { type HandleResult, handleCommand } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import type { EventCodec } from '../event-store/codec.ts';
import type { EventStore } from '../event-store/port.ts';

/** One stream per rep and week: it holds at most one WeeklyDigestSent, so it never grows. */
export const weeklyDigestStreamId = (userId: string, week: string) => `weekly-digest-${userId}-${week}`;

export type WeeklyDigestState = { readonly sent: boolean };

/** Recording the digest of a week a second time appends nothing. */
export const decideWeeklyDigestSent = (
  data: Omit<WeeklyDigestSentData, 'sentAt'>,
  state: WeeklyDigestState,
  metadata: CommandMetadata,
): EventDraft[] =>
  state.sent ? [] : [{ type: 'WeeklyDigestSent', data: { ...data, sentAt: metadata.now } }];

export const recordWeeklyDigestSent = (
  deps: { store: EventStore; codec: EventCodec },
  data: Omit<WeeklyDigestSentData, 'sentAt'>,
  metadata: CommandMetadata,
): Promise<HandleResult<WeeklyDigestState>> =>
  handleCommand(
    deps.store,
    deps.codec,
    weeklyDigestStreamId(data.userId, data.week),
    {
      initialState: (): WeeklyDigestState => ({ sent: false }),
      evolve: (state: WeeklyDigestState, event): WeeklyDigestState =>
        event.type === 'WeeklyDigestSent' ? { sent: true } : state,
    },
    (state) => decideWeeklyDigestSent(data, state, metadata),
    metadata,
  );
