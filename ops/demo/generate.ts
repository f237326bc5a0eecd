import { addDays } from '../../dashboard/time.ts';
import type { DialogueCommand } from '../../schemas/commands.ts';
import type { Citation, Conversation } from '../../schemas/events/index.ts';
import { type SkillKey, type SkillScores, skillKeys } from '../../schemas/skills.ts';
import { closingReplyTo, conversationId } from '../../write/dialogue/stream.ts';
import { downComments, improvementOf, roleplays, scorecardText, strengthOf } from './phrases.ts';
import { type Random, seeded } from './random.ts';
import { type DemoRep, demoReps } from './reps.ts';
import { type DemoTopic, demoTopics } from './topics.ts';

export const demoTeamId = 'T0DEMO';
export const demoRoleplayChannel = 'C0DEMOROLE';
/** The demo's days are Japanese working days. */
export const demoTimeZone = 'Asia/Tokyo';
const zoneOffset = '+09:00';
export const demoWeeks = 8;
/** The model named in the demo's insights: they are made up, and say so. */
export const demoModel = 'demo-data';

export type DemoOptions = {
  /** The day the demo was first seeded (`YYYY-MM-DD`, Tokyo): the sessions fill the weeks before it. */
  end: string;
  /** Knowledge document titles by id; citations of documents not there are left out. */
  titles: ReadonlyMap<string, string>;
  weeks?: number;
};

/**
 * One command of the demo, sent at `at` as `actorId` with the idempotency key `key`. Commands
 * about a session get its id, which the command path chose for the message that opened it.
 */
export type DemoStep = {
  key: string;
  at: string;
  actorId: string;
  command: (sessionId: string) => DialogueCommand;
};

/** A conversation of the demo: its commands in the order they happen, and how many sessions they make. */
export type DemoConversation = { conversationId: string; sessions: number; steps: DemoStep[] };

const dmChannel = (rep: DemoRep) => `D${rep.userId.slice(1)}`;

/** The conversation whose first session tells a later run which days the demo was made for. */
export const demoAnchorConversationId = (): string =>
  conversationId(demoTeamId, dmChannel(demoReps[0]!), null);

/** The first rep's first session is always on the first day at 09:30 (Tokyo): the anchor. */
const anchorTime = '09:30';

export const demoEndFromAnchor = (firstSessionStartedAt: string, weeks = demoWeeks): string => {
  const tokyoDay = new Date(Date.parse(firstSessionStartedAt) + 9 * 3600_000).toISOString().slice(0, 10);
  return addDays(tokyoDay, weeks * 7);
};

const at = (day: string, time: string) => new Date(`${day}T${time}:00${zoneOffset}`);
const plus = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A rep's level of each skill at a fraction of their time with the coach, plus noise, as a 1–5 score. */
const scoresAt = (rep: DemoRep, progress: number, random: Random): SkillScores =>
  Object.fromEntries(
    skillKeys.map((k) => {
      const [from, to] = rep.trajectory[k];
      const level = from + (to - from) * progress + (random.next() - 0.5) * 1.1;
      return [k, Math.max(1, Math.min(5, Math.round(level)))];
    }),
  ) as SkillScores;

const levelAt = (rep: DemoRep, progress: number, skill: SkillKey) => {
  const [from, to] = rep.trajectory[skill];
  return from + (to - from) * progress;
};

/** Reps ask most about what they are weakest at. */
const topicFor = (rep: DemoRep, progress: number, random: Random, avoid?: string): DemoTopic => {
  const candidates = demoTopics.filter((t) => t.id !== avoid);
  if (random.chance(0.4)) return random.pick(candidates);
  const weakest = [...skillKeys].sort((a, b) => levelAt(rep, progress, a) - levelAt(rep, progress, b))[0]!;
  const matching = candidates.filter((t) => t.skill === weakest);
  return random.pick(matching.length ? matching : candidates);
};

/** Citations of the documents that exist, with the reply's `[n]` markers renumbered to match. */
const cite = (text: string, documents: readonly string[], titles: ReadonlyMap<string, string>) => {
  const citations: Citation[] = [];
  let out = text;
  documents.forEach((documentId, i) => {
    const title = titles.get(documentId);
    const marker = `[${i + 1}]`;
    if (title === undefined) {
      out = out.split(` ${marker}`).join('').split(marker).join('');
      return;
    }
    citations.push({ documentId, title });
    out = out.split(marker).join(`[#${citations.length}]`);
  });
  return { text: out.replace(/\[#(\d+)\]/g, '[$1]'), citations };
};

const best = (scores: SkillScores) => [...skillKeys].sort((a, b) => scores[b] - scores[a])[0]!;
const worst = (scores: SkillScores) => [...skillKeys].sort((a, b) => scores[a] - scores[b])[0]!;

/** Collects a conversation's commands, each keyed under the conversation's prefix. */
const conversationSteps = (rep: DemoRep, keyPrefix: string) => {
  const steps: DemoStep[] = [];
  const add = (command: DemoStep['command'], at: Date, key: string) =>
    steps.push({ key: `${keyPrefix}:${key}`, at: at.toISOString(), actorId: rep.userId, command });
  return { add, steps };
};

type Day = { offset: number; minutes: number };

/** How far along a rep is, from their first week (a newcomer starts at their own beginning). */
const progressOf = (rep: DemoRep, day: Day, totalDays: number) =>
  (day.offset - rep.fromWeek * 7 + day.minutes / 1440) / (totalDays - rep.fromWeek * 7);

/** Which days (and when) a rep talks to the coach: a few working days a week. */
const schedule = (
  rep: DemoRep,
  options: Required<Omit<DemoOptions, 'titles'>>,
  start: string,
  random: Random,
) => {
  const coaching: Day[] = [];
  const roleplay: Day[] = [];
  for (let week = rep.fromWeek; week < options.weeks; week++) {
    const workdays = [0, 1, 2, 3, 4, 5, 6].filter((k) => {
      const weekday = new Date(`${addDays(start, week * 7 + k)}T00:00:00Z`).getUTCDay();
      return weekday !== 0 && weekday !== 6;
    });
    const count = Math.max(1, Math.min(workdays.length, rep.perWeek + random.int(-1, 1)));
    const chosen = new Set<number>();
    if (rep === demoReps[0] && week === 0) chosen.add(0);
    while (chosen.size < count) chosen.add(random.pick(workdays));
    for (const k of [...chosen].sort((a, b) => a - b)) {
      coaching.push({ offset: week * 7 + k, minutes: random.int(9 * 60, 17 * 60) });
    }
    if (week % 2 === 1) {
      roleplay.push({ offset: week * 7 + random.pick(workdays), minutes: random.int(13 * 60, 17 * 60) });
    }
  }
  return { coaching, roleplay };
};

/**
 * The demo's conversations: per rep, a DM conversation with a few coaching sessions a week
 * (questions, cited answers, an insight per exchange, feedback) and a roleplay in a thread every
 * other week, as the commands Slack and the agent would send. Keys depend only on the options:
 * the same options give the same commands, and the command path records each once. Pure.
 */
export const generateDemo = (options: DemoOptions): DemoConversation[] => {
  const weeks = options.weeks ?? demoWeeks;
  const start = addDays(options.end, -weeks * 7);
  const totalDays = weeks * 7;
  const conversations: DemoConversation[] = [];
  for (const [repIndex, rep] of demoReps.entries()) {
    const random = seeded(`demo:${options.end}:${rep.userId}`);
    const lang = rep.language;
    const plan = schedule(rep, { end: options.end, weeks }, start, random);
    const dm: Conversation = {
      id: conversationId(demoTeamId, dmChannel(rep), null),
      teamId: demoTeamId,
      channelId: dmChannel(rep),
      channelKind: 'im',
      threadTs: null,
    };
    const chat = conversationSteps(rep, `demo:${options.end}:${dm.id}`);
    let serial = 0;
    const messageId = (when: Date) =>
      `${Math.floor(when.getTime() / 1000)}.${String(++serial).padStart(6, '0')}`;

    plan.coaching.forEach((day, index) => {
      const first = rep === demoReps[0] && index === 0;
      let when = at(addDays(start, day.offset), first ? anchorTime : clock(day.minutes));
      const progress = progressOf(rep, day, totalDays);
      const exchanges = random.pick([1, 2, 2, 2, 3]);
      let topic = topicFor(rep, progress, random);
      for (let x = 0; x < exchanges; x++) {
        if (x === 2) topic = topicFor(rep, progress, random, topic.id);
        const lines = topic[lang];
        const id = messageId(when);
        const text = x === 1 ? lines.followUp : random.pick(lines.questions);
        const key = `s${index}x${x}`;
        const sentAt = when.toISOString();
        chat.add(
          () => ({
            type: 'ReceiveUserMessage',
            conversation: dm,
            userId: rep.userId,
            messageId: id,
            text,
            sentAt,
          }),
          when,
          `${key}:message`,
        );
        const replyAt = plus(when, random.int(8, 40));
        const reply = cite(x === 1 ? lines.followUpReply : lines.reply, topic.documents, options.titles);
        chat.add(
          (sessionId) => ({
            type: 'RecordAssistantReply',
            conversationId: dm.id,
            sessionId,
            replyTo: id,
            ...reply,
          }),
          replyAt,
          `${key}:reply`,
        );
        const scores = scoresAt(rep, progress, random);
        const nextAction = topic.nextAction[lang];
        chat.add(
          (sessionId) => ({
            type: 'RecordInsight',
            conversationId: dm.id,
            insight: {
              sessionId,
              userId: rep.userId,
              basedOnMessageId: id,
              scores,
              strengths: [strengthOf[best(scores)][lang]],
              improvements: [improvementOf[worst(scores)][lang]],
              nextActions: [nextAction],
              summary: lines.summary,
              model: demoModel,
              rubric: { id: 'core', version: 1 },
              provider: 'mock',
              promptHash: null,
              origin: 'live',
            },
            skillKeys: [...skillKeys],
          }),
          plus(replyAt, 3),
          `${key}:insight`,
        );
        if (x === 0) {
          const up = random.chance(0.8);
          const comment = up ? null : random.pick(downComments)[lang];
          chat.add(
            (sessionId) => ({
              type: 'GiveFeedback',
              conversationId: dm.id,
              sessionId,
              messageId: `reply:${id}`,
              userId: rep.userId,
              rating: up ? 'up' : 'down',
              comment,
            }),
            plus(replyAt, 60),
            `${key}:feedback`,
          );
        }
        when = plus(replyAt, random.int(90, 300));
      }
    });
    conversations.push({ conversationId: dm.id, sessions: plan.coaching.length, steps: chat.steps });

    plan.roleplay.forEach((day, index) => {
      const when = at(addDays(start, day.offset), clock(day.minutes));
      // The channel is shared: the rep's index keeps two reps' threads apart even at the same second.
      const threadTs = `${Math.floor(when.getTime() / 1000)}.${String(100_000 + repIndex * 1000 + index).padStart(6, '0')}`;
      const thread: Conversation = {
        id: conversationId(demoTeamId, demoRoleplayChannel, threadTs),
        teamId: demoTeamId,
        channelId: demoRoleplayChannel,
        channelKind: 'channel',
        threadTs,
      };
      const rp = conversationSteps(rep, `demo:${options.end}:${thread.id}`);
      const roleplay = random.pick(roleplays);
      const persona = roleplay.persona[lang];
      const progress = progressOf(rep, day, totalDays);
      let t = when;
      roleplay.script[lang].forEach(([line, answer], turn) => {
        const id =
          turn === 0 ? threadTs : `${Math.floor(t.getTime() / 1000)}.${String(800 + turn).padStart(6, '0')}`;
        const sentAt = t.toISOString();
        rp.add(
          () => ({
            type: 'ReceiveUserMessage',
            conversation: thread,
            userId: rep.userId,
            messageId: id,
            text: line,
            sentAt,
            ...(turn === 0 ? { startMode: 'roleplay' as const, persona } : {}),
          }),
          t,
          `t${turn}:message`,
        );
        const replyAt = plus(t, random.int(5, 20));
        rp.add(
          (sessionId) => ({
            type: 'RecordAssistantReply',
            conversationId: thread.id,
            sessionId,
            replyTo: id,
            text: answer,
            citations: [],
          }),
          replyAt,
          `t${turn}:reply`,
        );
        t = plus(replyAt, random.int(40, 120));
      });
      rp.add(
        (sessionId) => ({
          type: 'EndSession',
          conversationId: thread.id,
          sessionId,
          reason: 'roleplay_finished',
        }),
        t,
        'end',
      );
      const scores = scoresAt(rep, progress, random);
      const strong = strengthOf[best(scores)][lang];
      const weak = improvementOf[worst(scores)][lang];
      const scorecard = cite(
        `${scorecardText(lang, persona, strong, weak)} [1]`,
        ['objection-handling-basics'],
        options.titles,
      );
      rp.add(
        (sessionId) => ({
          type: 'RecordAssistantReply',
          conversationId: thread.id,
          sessionId,
          replyTo: closingReplyTo(sessionId),
          ...scorecard,
        }),
        plus(t, 5),
        'scorecard',
      );
      rp.add(
        (sessionId) => ({
          type: 'RecordInsight',
          conversationId: thread.id,
          insight: {
            sessionId,
            userId: rep.userId,
            basedOnMessageId: null,
            scores,
            strengths: [strong],
            improvements: [weak],
            nextActions: [
              lang === 'ja' ? '同じ相手役でもう一度練習する' : 'Practise again with the same buyer',
            ],
            summary: lang === 'ja' ? `ロールプレイ（${persona}）` : `Roleplay with ${persona}`,
            model: demoModel,
            rubric: { id: 'core', version: 1 },
            provider: 'mock',
            promptHash: null,
            origin: 'live',
          },
          skillKeys: [...skillKeys],
        }),
        plus(t, 8),
        'insight',
      );
      conversations.push({ conversationId: thread.id, sessions: 1, steps: rp.steps });
    });
  }
  return conversations;
};
