import { type EventMetadata, makeEvent, type SalesEvent } from '../../schemas/events/index.ts';
import type { SkillScores } from '../../schemas/skills.ts';
import { deterministicId } from '../../write/ids.ts';

const metadata = (key: string, now: string): EventMetadata => ({
  eventId: deterministicId('event', key),
  correlationId: key,
  causationId: null,
  occurredAt: now,
  actor: { kind: 'system', id: 'test' },
});

const flat = (level: number): SkillScores => ({
  hearing: level,
  proposal: level,
  objection_handling: level,
  closing: level,
  relationship: level,
});

/** One scored session of a rep: an insight with the same score for every skill unless given. */
export const scoredSession = (
  userId: string,
  n: number,
  derivedAt: string,
  scores: number | Partial<SkillScores>,
): SalesEvent =>
  makeEvent(
    'InsightDerived',
    {
      insightId: deterministicId('insight', `${userId}#${n}`),
      sessionId: deterministicId('session', `${userId}#${n}`),
      userId,
      basedOnMessageId: null,
      scores: typeof scores === 'number' ? flat(scores) : { ...flat(3), ...scores },
      strengths: [],
      improvements: [],
      nextActions: [],
      summary: 'test',
      model: 'mock-coach-1',
      rubric: { id: 'core', version: 1 },
      provider: 'mock',
      promptHash: null,
      origin: 'live',
      derivedAt,
    },
    metadata(`insight:${userId}#${n}`, derivedAt),
  );

/** A target set (or cleared) as its event. */
export const targetSet = (
  userId: string,
  skill: string,
  level: number,
  dueDate: string,
  targetKey = `${userId}:${skill}:${level}:${dueDate}`,
) =>
  makeEvent(
    'SkillTargetSet',
    {
      targetId: deterministicId('skill-target', targetKey),
      userId,
      rubric: { id: 'core', version: 1 },
      skill,
      level,
      dueDate,
      setBy: 'UMGR',
      setAt: '2026-12-01T00:00:00.000Z',
    },
    metadata(`target:${targetKey}`, '2026-12-01T00:00:00.000Z'),
  );

export const targetCleared = (userId: string, skill: string, targetKey: string) =>
  makeEvent(
    'SkillTargetCleared',
    {
      targetId: deterministicId('skill-target', targetKey),
      userId,
      rubric: { id: 'core', version: 1 },
      skill,
      clearedBy: 'UMGR',
      clearedAt: '2026-12-02T00:00:00.000Z',
    },
    metadata(`cleared:${targetKey}`, '2026-12-02T00:00:00.000Z'),
  );
