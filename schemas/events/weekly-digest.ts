import { z } from 'zod';
import { IsoWeek } from '../targets.ts';
import { defineEvent } from './envelope.ts';

export const DigestPreferenceChangedData = z.object({
  userId: z.string().min(1),
  /** false: the rep opted out of the weekly digest. */
  enabled: z.boolean(),
  via: z.enum(['home', 'message', 'api', 'cli']),
  changedAt: z.iso.datetime({ offset: true }),
});
export type DigestPreferenceChangedData = z.infer<typeof DigestPreferenceChangedData>;

export const DigestPreferenceChanged = defineEvent({
  type: 'DigestPreferenceChanged',
  version: 1,
  schema: DigestPreferenceChangedData,
  previous: {},
  personalFields: [],
  subjectOf: (d) => d.userId,
});

export const WeeklyDigestSentData = z.object({
  userId: z.string().min(1),
  /** The ISO week (in DIGEST_TIMEZONE) the digest is for. */
  week: IsoWeek,
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
  /** Sessions with scores in the week before the digest. */
  sessions: z.number().int().min(0),
  sentAt: z.iso.datetime({ offset: true }),
});
export type WeeklyDigestSentData = z.infer<typeof WeeklyDigestSentData>;

export const WeeklyDigestSent = defineEvent({
  type: 'WeeklyDigestSent',
  version: 1,
  schema: WeeklyDigestSentData,
  previous: {},
  personalFields: [],
  subjectOf: (d) => d.userId,
});
