import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { zonedTime } from '../../../projections/targets/calendar.ts';
import { teamOf } from '../../../write/authorization/policy.ts';
import { setTargetModal } from '../../blocks/set-target.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { readAction } from './payload.ts';

/** "Set target" in a manager's Home: a modal listing their team (by display name). */
export const openSetTarget =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    if (!read?.payload.trigger_id) return;
    const members = teamOf(read.payload.user.id, await deps.teams.config());
    if (members.length === 0) return;
    const [language, names] = await Promise.all([
      deps.languageOf(read.payload.user.id),
      deps.displayNames(members).catch(() => new Map<string, string>()),
    ]);
    await deps.client.views.open({
      trigger_id: read.payload.trigger_id,
      view: setTargetModal(
        members.map((userId) => ({ userId, displayName: names.get(userId) ?? userId })),
        language,
        zonedTime(deps.clock(), deps.coachingPlan.timeZone).date,
      ),
    });
  };
