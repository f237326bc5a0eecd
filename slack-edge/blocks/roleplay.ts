import { type SkillKey, SkillKey as SkillKeySchema } from '../../schemas/skills.ts';
import type { Language } from '../../write/agent/language.ts';
import { textsFor } from '../text/messages.ts';
import { roleplayPersonaAction, roleplayPersonaBlock, viewIds } from './action-ids.ts';
import type { ModalView } from './block-types.ts';

/** A buyer who makes the rep practise a given skill. */
export const practicePersonas: Record<SkillKey, Record<Language, string>> = {
  hearing: {
    ja: '課題をあまり話さない慎重な情報システム部長',
    en: 'a guarded IT director who says little about their problems',
  },
  proposal: { ja: '3社を比較検討している購買担当', en: 'a buyer comparing three vendors' },
  objection_handling: { ja: '価格に厳しい購買担当', en: 'a price-sensitive procurement manager' },
  closing: { ja: '決裁を先延ばしにする部長', en: 'a manager who keeps postponing the decision' },
  relationship: { ja: '初対面で警戒心の強い担当者', en: 'a wary first-time contact' },
};

export const defaultPersona: Record<Language, string> = {
  ja: practicePersonas.objection_handling.ja,
  en: practicePersonas.objection_handling.en,
};

/** The persona to suggest for a skill key carried in a button's value (anything else: the default). */
export const personaFor = (value: string | undefined, language: Language): string => {
  const skill = SkillKeySchema.safeParse(value);
  return skill.success ? practicePersonas[skill.data][language] : defaultPersona[language];
};

/** Asks who the buyer should be; the submission starts the roleplay in a DM thread. */
export const roleplayModal = (persona: string, language: Language): ModalView => {
  const t = textsFor(language);
  return {
    type: 'modal',
    callback_id: viewIds.startRoleplay,
    private_metadata: language,
    title: { type: 'plain_text', text: t.roleplayModalTitle },
    submit: { type: 'plain_text', text: t.roleplayStart },
    close: { type: 'plain_text', text: t.cancel },
    blocks: [
      {
        type: 'input',
        block_id: roleplayPersonaBlock,
        label: { type: 'plain_text', text: t.roleplayPersonaLabel },
        hint: { type: 'plain_text', text: t.roleplayPersonaHint },
        element: {
          type: 'plain_text_input',
          action_id: roleplayPersonaAction,
          initial_value: persona,
          max_length: 200,
        },
      },
    ],
  };
};
