import type { SkillKey } from '../../schemas/skills.ts';

/** A skill's level at the start and at the end of the demo period (linear in between). */
export type Trajectory = Record<SkillKey, readonly [start: number, end: number]>;

export type DemoRep = {
  userId: string;
  /** The rep writes in this language (the coach answers in it). */
  language: 'ja' | 'en';
  /** Coaching sessions per week, roughly. */
  perWeek: number;
  /** The first week (0-based) the rep used the coach: someone who joined later. */
  fromWeek: number;
  trajectory: Trajectory;
};

/**
 * Six reps whose stories show on the dashboard: one improving fast, a steady veteran, one
 * slipping on objections and closing, one struggling, a newcomer, and an English speaker.
 */
export const demoReps: readonly DemoRep[] = [
  {
    userId: 'U0DEMO001',
    language: 'ja',
    perWeek: 3,
    fromWeek: 0,
    trajectory: {
      hearing: [2.0, 4.3],
      proposal: [2.2, 4.0],
      objection_handling: [1.8, 3.8],
      closing: [2.0, 3.9],
      relationship: [2.5, 4.2],
    },
  },
  {
    userId: 'U0DEMO002',
    language: 'ja',
    perWeek: 2,
    fromWeek: 0,
    trajectory: {
      hearing: [4.3, 4.4],
      proposal: [4.0, 4.2],
      objection_handling: [4.1, 4.2],
      closing: [3.5, 4.4],
      relationship: [4.5, 4.5],
    },
  },
  {
    userId: 'U0DEMO003',
    language: 'ja',
    perWeek: 3,
    fromWeek: 0,
    trajectory: {
      hearing: [3.6, 3.1],
      proposal: [3.4, 3.2],
      objection_handling: [3.9, 1.9],
      closing: [3.6, 2.1],
      relationship: [3.5, 3.3],
    },
  },
  {
    userId: 'U0DEMO004',
    language: 'ja',
    perWeek: 2,
    fromWeek: 0,
    trajectory: {
      hearing: [1.6, 2.6],
      proposal: [1.9, 2.1],
      objection_handling: [1.7, 1.9],
      closing: [1.8, 2.0],
      relationship: [2.4, 2.6],
    },
  },
  {
    userId: 'U0DEMO005',
    language: 'ja',
    perWeek: 3,
    fromWeek: 3,
    trajectory: {
      hearing: [3.8, 3.9],
      proposal: [1.8, 3.6],
      objection_handling: [2.0, 3.0],
      closing: [2.2, 2.9],
      relationship: [3.2, 3.6],
    },
  },
  {
    userId: 'U0DEMO006',
    language: 'en',
    perWeek: 2,
    fromWeek: 0,
    trajectory: {
      hearing: [3.0, 3.4],
      proposal: [3.1, 3.3],
      objection_handling: [2.8, 3.3],
      closing: [2.9, 3.2],
      relationship: [2.4, 4.0],
    },
  },
];
