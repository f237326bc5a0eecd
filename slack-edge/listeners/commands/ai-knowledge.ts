import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { searchKnowledge } from '../../../projections/knowledge/search.ts';
import { isAppError } from '../../../schemas/errors.ts';
import type { Language } from '../../../write/agent/language.ts';
import { knowledgeResultBlocks } from '../../blocks/knowledge.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { textsFor } from '../../text/messages.ts';
import { answerCommand } from './answer.ts';

const japanese = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/u;
const resultLimit = 5;

/**
 * `/ai_knowledge [keywords]`: the best documents for the keywords, each with its title, a snippet
 * with the hits in bold, and a button that shows the whole document. Japanese keywords get a
 * Japanese answer; otherwise the rep's Slack locale decides.
 */
export const aiKnowledge =
  (deps: SlackEdgeDeps) =>
  async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const query = command.text.trim();
    const language: Language = japanese.test(query) ? 'ja' : await deps.languageOf(command.user_id);
    const t = textsFor(language);
    if (query === '') {
      await ack({ response_type: 'ephemeral', text: t.knowledgeUsage });
      return;
    }
    await answerCommand({
      ack,
      respond,
      interim: t.searching(query),
      failure: t.somethingWrong,
      inlineMs: deps.inlineAnswerMs,
      logger: deps.logger,
      work: async () => {
        if (!(await deps.knowledgeAccess(command.user_id))) return { text: t.knowledgeMembersOnly };
        try {
          const hits = await searchKnowledge(deps.pool, query, { limit: resultLimit });
          return knowledgeResultBlocks(query, hits, language);
        } catch (error) {
          // Too long a query, or the read model not built yet: nothing found, said plainly.
          if (isAppError(error, 'VALIDATION') || (error as { code?: string }).code === '42P01') {
            return knowledgeResultBlocks(query, [], language);
          }
          throw error;
        }
      },
    });
  };
