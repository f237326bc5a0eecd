import { skillKeys, skillLabels } from '../../schemas/skills.ts';
import type { Language } from '../../write/agent/language.ts';
import { coachingPlanText } from '../text/coaching-plan.ts';
import { setTargetView as ids } from './action-ids.ts';
import type { ModalView } from './block-types.ts';

const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 75) });

/** The manager's "Set target" modal: which rep of their team, which skill, what level, by when. */
export const setTargetModal = (
  members: readonly { userId: string; displayName: string }[],
  language: Language,
  today: string,
): ModalView => {
  const t = coachingPlanText[language];
  return {
    type: 'modal',
    callback_id: ids.callbackId,
    private_metadata: language,
    title: plain(t.setTargetTitle),
    submit: plain(t.save),
    close: plain(t.cancel),
    blocks: [
      {
        type: 'input',
        block_id: ids.repBlock,
        label: plain(t.rep),
        element: {
          type: 'static_select',
          action_id: ids.repAction,
          options: members.slice(0, 100).map((m) => ({ text: plain(m.displayName), value: m.userId })),
        },
      },
      {
        type: 'input',
        block_id: ids.skillBlock,
        label: plain(t.skill),
        element: {
          type: 'static_select',
          action_id: ids.skillAction,
          options: skillKeys.map((k) => ({ text: plain(skillLabels[k][language]), value: k })),
        },
      },
      {
        type: 'input',
        block_id: ids.levelBlock,
        label: plain(t.level),
        element: {
          type: 'number_input',
          action_id: ids.levelAction,
          is_decimal_allowed: true,
          min_value: '1',
          max_value: '5',
        },
      },
      {
        type: 'input',
        block_id: ids.dueBlock,
        label: plain(t.dueDate),
        element: { type: 'datepicker', action_id: ids.dueAction, initial_date: today },
      },
    ],
  };
};
