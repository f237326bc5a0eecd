import type { RubricSkill } from '../../../../schemas/rubrics.ts';

/**
 * The mock's signal groups for the skills of the built-in methodology rubrics (MEDDICC, SPIN,
 * BANT): each group the rep's words show adds a point to a base of 1. Skills of a team's own
 * rubric get groups made from their own label and description (see `signalsFor`).
 */
const known: Record<string, readonly RegExp[]> = {
  metrics: [
    /[0-9０-９]+|何時間|何件|いくら|how (many|much)/i,
    /削減|効果|ROI|回収|\bsav(e|ing)|impact|metric/i,
    /%|％|割|倍|percent/i,
    /KPI|指標|目標|\btarget|\bkpi/i,
  ],
  economic_buyer: [
    /決裁者|役員|社長|部長|予算を持|economic buyer|\bcfo\b|\bceo\b|\bvp\b/i,
    /予算|budget/i,
    /会って|同席|面談|meet (with )?(the|your)/i,
    /承認|approv|sign[- ]?off/i,
  ],
  decision_criteria: [
    /基準|条件|重視|criteria|requirement/i,
    /比較|選定|評価|compare|evaluat/i,
    /何で選|決め手|優先|what matters|priorit/i,
    /機能|セキュリティ|価格|feature|security|price/i,
  ],
  decision_process: [
    /決め方|流れ|プロセス|process|steps?/i,
    /誰が|関係者|stakeholder|who (decides|else)/i,
    /いつまでに|時期|期限|timeline|\bby when|deadline/i,
    /稟議|会議|committee|board/i,
  ],
  paper_process: [
    /契約|contract|\bmsa\b|\bnda\b/i,
    /法務|legal|procurement|購買/i,
    /稟議|発注|purchase order|\bpo\b/i,
    /期間|何日|日程|how long|lead time/i,
  ],
  identify_pain: [
    /課題|困って|悩み|pain|problem|challenge/i,
    /影響|損失|コスト|impact|cost|losing/i,
    /なぜ|理由|\bwhy\b|reason/i,
    /[?？]/,
  ],
  champion: [
    /推進|味方|担当者が|champion|advocate|sponsor/i,
    /社内|internal|inside/i,
    /資料を渡|説明してもら|share (it|this) with|present (it|this) to/i,
    /信頼|関係|trust|relationship/i,
  ],
  competition: [
    /競合|他社|competitor|alternative/i,
    /比較|違い|差別化|compare|different|differentiat/i,
    /現行|既存|内製|status quo|in-house|current (tool|vendor)/i,
    /強み|優位|advantage|strength/i,
  ],
  situation: [
    /[?？]/,
    /現状|体制|現在|今は|current(ly)?|today/i,
    /何人|何件|規模|how many|size/i,
    /使って|ツール|システム|using|tool|system/i,
  ],
  problem: [
    /課題|困って|悩み|不満|problem|difficult|challenge|frustrat/i,
    /[?？]/,
    /うまくいかない|時間がかか|ミス|not working|takes (too )?long|error/i,
    /ニーズ|need/i,
  ],
  implication: [
    /影響|波及|放置|そのままだと|impact|affect|consequence|if nothing changes/i,
    /コスト|損失|機会|cost|loss|missed/i,
    /[0-9０-９]+|how (much|many)/i,
    /[?？]/,
  ],
  need_payoff: [
    /解決したら|できたら|もし.*なら|if (you|we) could|what would it mean/i,
    /価値|効果|メリット|value|benefit/i,
    /役立|助か|help|useful/i,
    /[?？]/,
  ],
  budget: [/予算|budget/i, /費用|価格|いくら|cost|price|how much/i, /[0-9０-９]+/, /投資|invest|roi/i],
  authority: [
    /決裁|承認|decision|approv/i,
    /誰が|who (decides|approves|signs)/i,
    /役員|部長|上司|manager|director|executive/i,
    /稟議|process/i,
  ],
  need: [/課題|必要|ニーズ|need|problem/i, /[?？]/, /なぜ|理由|\bwhy\b/i, /目的|goal|objective/i],
  timeline: [
    /いつ|時期|when|timeline/i,
    /期限|までに|deadline|\bby\b/i,
    /来月|来週|今期|[0-9０-９]+月|next (month|quarter|week)|q[1-4]/i,
    /導入|開始|rollout|go[- ]live|start/i,
  ],
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words of four or more letters of an English text, and the label in Japanese as it stands. */
const wordsOf = (skill: RubricSkill): string[] => {
  const english = `${skill.label.en} ${skill.description.en}`
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 4);
  return [...new Set([skill.label.ja, ...english])];
};

/**
 * Signal groups of a skill: the built-in table when it has the key, otherwise a question mark
 * plus its own words split into three groups, so any rubric gets scores that follow the rep's words.
 */
export const signalsFor = (skill: RubricSkill): readonly RegExp[] => {
  const table = known[skill.key];
  if (table) return table;
  const words = wordsOf(skill);
  const groups = [0, 1, 2]
    .map((g) => words.filter((_, i) => i % 3 === g))
    .filter((g) => g.length > 0)
    .map((g) => new RegExp(g.map(escapeRegExp).join('|'), 'i'));
  return [/[?？]/, ...groups];
};
