import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { documentBlocks, documentModal } from '../../blocks/document.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { findKnowledgeDocument } from '../../queries/knowledge-document.ts';
import { textsFor } from '../../text/messages.ts';
import { readAction } from './payload.ts';
import { respondOrLog } from './respond-ephemeral.ts';

/** An ephemeral message holds 50 blocks. */
const maxEphemeralBlocks = 50;

/**
 * "全文を表示 / Show full text" (under /ai_knowledge results and under replies' citations): the
 * whole document in a modal; when the modal cannot be opened (the trigger expired), privately
 * in the conversation instead.
 */
export const showDocument =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body, respond }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    const documentId = read?.action.value;
    if (!read || !documentId) return;
    const { payload } = read;
    if (!(await deps.knowledgeAccess(payload.user.id))) {
      const t = textsFor(await deps.languageOf(payload.user.id));
      if (payload.response_url)
        await respondOrLog(
          respond,
          { response_type: 'ephemeral', replace_original: false, text: t.knowledgeMembersOnly },
          deps.logger,
        );
      return;
    }
    const [doc, language] = await Promise.all([
      findKnowledgeDocument(deps.pool, documentId),
      deps.languageOf(payload.user.id),
    ]);
    const t = textsFor(language);
    if (!doc) {
      if (payload.response_url)
        await respondOrLog(
          respond,
          { response_type: 'ephemeral', replace_original: false, text: t.documentMissing },
          deps.logger,
        );
      return;
    }
    if (payload.trigger_id) {
      try {
        await deps.client.views.open({ trigger_id: payload.trigger_id, view: documentModal(doc, language) });
        return;
      } catch (error) {
        deps.logger.info(
          { err: error },
          'slack: could not open the document modal; showing it in the conversation',
        );
      }
    }
    if (payload.response_url) {
      await respondOrLog(
        respond,
        {
          response_type: 'ephemeral',
          replace_original: false,
          text: doc.title,
          blocks: documentBlocks(doc).slice(0, maxEphemeralBlocks),
        },
        deps.logger,
      );
    }
  };
