import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { zonedTime } from '../../../projections/targets/calendar.ts';
import { isAppError } from '../../../schemas/errors.ts';
import { skillLabels } from '../../../schemas/skills.ts';
import { CalendarDate, defaultTargetRubric, TargetLevel } from '../../../schemas/targets.ts';
import { handleTargetCommand, maySetTargets } from '../../../write/targets/handle.ts';
import { setTargetView as ids } from '../../blocks/action-ids.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { coachingPlanText } from '../../text/coaching-plan.ts';

const Value = z.looseObject({
  value: z.string().nullable().optional(),
  selected_option: z.looseObject({ value: z.string() }).nullable().optional(),
  selected_date: z.string().nullable().optional(),
});

const Submission = z.looseObject({
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({
    id: z.string().min(1),
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), Value)) }),
  }),
});

/**
 * The manager saved a target: checked against the policy and the decider's rules before the
 * modal closes (errors show on the fields), then SkillTargetSet is appended (idempotent by the
 * view's id) and both Home tabs are published again.
 */
export const setTargetSubmitted =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = Submission.safeParse(body);
    if (!parsed.success) {
      await ack();
      return;
    }
    const { user, view } = parsed.data;
    const language = view.private_metadata === 'en' ? 'en' : 'ja';
    const t = coachingPlanText[language];
    const v = view.state.values;
    const rep = v[ids.repBlock]?.[ids.repAction]?.selected_option?.value ?? '';
    const skill = v[ids.skillBlock]?.[ids.skillAction]?.selected_option?.value ?? '';
    const level = TargetLevel.safeParse(Number(v[ids.levelBlock]?.[ids.levelAction]?.value ?? ''));
    const due = CalendarDate.safeParse(v[ids.dueBlock]?.[ids.dueAction]?.selected_date ?? '');
    const today = zonedTime(deps.clock(), deps.coachingPlan.timeZone).date;
    const errors: Record<string, string> = {};
    const authorization = await deps.teams.config();
    if (!maySetTargets({ kind: 'user', id: user.id }, rep, authorization))
      errors[ids.repBlock] = t.notYourTeam;
    if (!level.success) errors[ids.levelBlock] = t.level;
    if (!due.success || due.data < today) errors[ids.dueBlock] = t.dueDate;
    if (Object.keys(errors).length > 0 || !level.success || !due.success) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const key = `slack-view:${view.id}`;
    try {
      await handleTargetCommand(
        { store: deps.store, codec: deps.codec, authorization },
        {
          type: 'SetSkillTarget',
          userId: rep,
          rubric: defaultTargetRubric,
          skill,
          level: level.data,
          dueDate: due.data,
          setBy: user.id,
        },
        {
          idempotencyKey: key,
          correlationId: key,
          causationId: null,
          now: deps.clock().toISOString(),
          actor: { kind: 'user', id: user.id },
        },
      );
    } catch (error) {
      if (!isAppError(error, 'VALIDATION') && !isAppError(error, 'FORBIDDEN')) throw error;
      deps.logger.info({ err: error, manager: user.id, rep }, 'slack: target refused');
      return;
    }
    const dm = await deps.client.conversations.open({ users: user.id });
    if (dm.channel?.id) {
      const name = (skillLabels as Record<string, { ja: string; en: string }>)[skill]?.[language] ?? skill;
      await deps.client.chat.postMessage({
        channel: dm.channel.id,
        text: t.targetSaved(rep, name, level.data, due.data),
      });
    }
    for (const who of [rep, user.id]) {
      await deps
        .publishHome(who)
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, userId: who }, 'slack: could not publish the Home tab'),
        );
    }
  };
