import type pg from 'pg';
import { type DisplayNames, type RankedMember, teamGrowth } from '../../projections/growth/team.ts';
import { currentRubricOf } from '../../projections/rubrics/queries.ts';
import { zonedTime } from '../../projections/targets/calendar.ts';
import type { TargetProgress } from '../../projections/targets/progress.ts';
import { targetProgressOf } from '../../projections/targets/queries.ts';
import type { Language } from '../../write/agent/language.ts';
import { teamOf } from '../../write/authorization/policy.ts';
import type { TeamDirectory } from '../../write/authorization/team-directory.ts';
import { loadDigestPreference } from '../../write/digest/preference.ts';
import type { EventCodec } from '../../write/event-store/codec.ts';
import type { EventStore } from '../../write/event-store/port.ts';
import { coachingPlanActionIds } from '../blocks/action-ids.ts';
import type { KnownBlock } from '../blocks/block-types.ts';
import { targetLines } from '../digest/content.ts';
import { coachingPlanText, signed } from '../text/coaching-plan.ts';
import { escapeMrkdwn } from '../text/mrkdwn.ts';

export type CoachingPlanDeps = {
  store: EventStore;
  codec: EventCodec;
  /** Who manages whom (TEAMS, MANAGER_USER_IDS, Slack user groups). */
  teams: TeamDirectory;
  displayNames: DisplayNames;
  window: number;
  timeZone: string;
};

export type CoachingPlan = {
  targets: TargetProgress[];
  digestEnabled: boolean;
  /** The manager's team ranked by growth; null for a rep. */
  team: RankedMember[] | null;
};

/** What the Home adds for targets, the digest switch and (for a manager) the team's growth. */
export const loadCoachingPlan = async (
  pool: pg.Pool,
  deps: CoachingPlanDeps,
  userId: string,
  now: Date,
): Promise<CoachingPlan> => {
  const config = await deps.teams.config();
  const members = teamOf(userId, config);
  const today = zonedTime(now, deps.timeZone).date;
  const [targets, preference, team] = await Promise.all([
    targetProgressOf(pool, [userId], { window: deps.window, today }),
    loadDigestPreference(deps, userId),
    members.length > 0
      ? teamGrowth(pool, members, {
          window: deps.window,
          displayNames: deps.displayNames,
          // The manager's team's rubric, as the agent scores their reps now.
          rubric: await currentRubricOf(pool, userId, config),
        })
      : Promise.resolve(null),
  ]);
  return { targets, digestEnabled: preference.enabled, team };
};

export const coachingPlanBlocks = (plan: CoachingPlan, language: Language): KnownBlock[] => {
  const t = coachingPlanText[language];
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `*${t.targetsTitle}*`,
          ...(plan.targets.length ? targetLines(plan.targets, language) : [t.noTargets]),
        ].join('\n'),
      },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: plan.digestEnabled ? t.digestOn : t.digestOff }],
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: coachingPlanActionIds.toggleDigest,
          text: { type: 'plain_text', text: plan.digestEnabled ? t.turnDigestOff : t.turnDigestOn },
          value: plan.digestEnabled ? 'off' : 'on',
        },
      ],
    },
  ];
  if (plan.team) {
    // One section holds at most 3,000 characters: the top of the ranking.
    const lines = plan.team
      .slice(0, 30)
      .map((m) =>
        t.growthLine(
          m.rank,
          escapeMrkdwn(m.displayName),
          m.slope === null ? t.tooFewSessions : signed(m.slope),
          m.sessions,
          m.latest === null ? '—' : m.latest.toFixed(1),
        ),
      );
    blocks.push(
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [`*${t.teamGrowthTitle}*`, ...(lines.length ? lines : [t.teamEmpty])].join('\n'),
        },
        accessory: {
          type: 'button',
          action_id: coachingPlanActionIds.openSetTarget,
          text: { type: 'plain_text', text: t.setTarget },
          value: 'team',
        },
      },
    );
  }
  return blocks;
};
