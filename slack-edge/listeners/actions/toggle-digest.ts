import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { handleDigestPreference } from '../../../write/digest/preference.ts';
import type { SlackEdgeDeps } from '../../deps.ts';
import { clickKey, readAction } from './payload.ts';

/** The digest switch on the Home tab: the rep turns their own weekly digest off or on. */
export const toggleDigest =
  (deps: SlackEdgeDeps) =>
  async ({ ack, body }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const read = readAction(body);
    if (!read) return;
    const userId = read.payload.user.id;
    const key = clickKey(read.payload, read.action);
    await handleDigestPreference(
      deps,
      { type: 'SetDigestPreference', userId, enabled: read.action.value === 'on', via: 'home' },
      {
        idempotencyKey: key,
        correlationId: key,
        causationId: null,
        now: deps.clock().toISOString(),
        actor: { kind: 'user', id: userId },
      },
    );
    await deps.publishHome(userId);
  };
