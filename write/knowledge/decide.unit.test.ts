import { describe, expect, it } from 'vitest';
import type { CommandMetadata } from '../../schemas/commands.ts';
import { AppError } from '../../schemas/errors.ts';
import type { KnowledgeCommand } from '../../schemas/knowledge-commands.ts';
import { stampEvents } from '../command-handler.ts';
import type { EventDraft } from '../event-draft.ts';
import { knowledgeContentHash } from './content-hash.ts';
import { decideKnowledge } from './decide.ts';
import { knowledgeDecider, knowledgeStreamId } from './decider.ts';
import { initialKnowledgeState, type KnowledgeState } from './state.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();
const meta = (now: string, key = `k-${now}`): CommandMetadata => ({
  idempotencyKey: key,
  correlationId: 'corr',
  causationId: null,
  now,
  actor: { kind: 'ops', id: 'cli' },
});

const publish = (body = '本文', extra: Partial<KnowledgeCommand> = {}): KnowledgeCommand =>
  ({
    type: 'PublishKnowledgeDocument',
    documentId: 'objection-price',
    title: '価格反論',
    body,
    tags: ['価格'],
    language: 'ja',
    contentHash: knowledgeContentHash('価格反論', body),
    sourcePath: 'knowledge/objection-price.md',
    ...extra,
  }) as KnowledgeCommand;

const retract: KnowledgeCommand = {
  type: 'RetractKnowledgeDocument',
  documentId: 'objection-price',
  reason: 'outdated',
};

/** given (earlier commands, applied through the decider) / when (a command) / then (drafts or an error). */
const spec = (given: KnowledgeCommand[]) => {
  let state: KnowledgeState = knowledgeDecider.initialState();
  given.forEach((command, minute) => {
    const metadata = meta(at(minute), `${command.type}-${minute}`);
    for (const event of stampEvents(decideKnowledge(command, state, { metadata }), metadata)) {
      state = knowledgeDecider.evolve(state, event);
    }
  });
  return {
    when: (command: KnowledgeCommand, now = at(30)) => {
      const run = () => decideKnowledge(command, state, { metadata: meta(now) });
      return {
        thenEmits: (check: (drafts: EventDraft[]) => void) => check(run()),
        thenThrows: (code: string) => {
          expect(run).toThrow(AppError);
          try {
            run();
          } catch (error) {
            expect((error as AppError).code).toBe(code);
          }
        },
      };
    },
  };
};

describe('knowledge decider', () => {
  it('publishes a new document as version 1, at the command clock', () => {
    spec([])
      .when(publish(), at(7))
      .thenEmits((drafts) =>
        expect(drafts).toEqual([
          {
            type: 'KnowledgeDocumentPublished',
            data: {
              documentId: 'objection-price',
              documentVersion: 1,
              title: '価格反論',
              body: '本文',
              tags: ['価格'],
              language: 'ja',
              contentHash: knowledgeContentHash('価格反論', '本文'),
              sourcePath: 'knowledge/objection-price.md',
              publishedAt: at(7),
            },
          },
        ]),
      );
  });

  it('publishes the same content once', () => {
    spec([publish()])
      .when(publish())
      .thenEmits((drafts) => expect(drafts).toEqual([]));
    spec([publish()])
      .when(publish('本文', { sourcePath: 'moved/objection-price.md' } as Partial<KnowledgeCommand>))
      .thenEmits((drafts) => expect(drafts).toEqual([]));
  });

  it('publishes changed content as the next version', () => {
    spec([publish('v1'), publish('v2')])
      .when(publish('v3'))
      .thenEmits((drafts) => expect(drafts[0]).toMatchObject({ data: { documentVersion: 3, body: 'v3' } }));
  });

  it('publishes changed tags or language as the next version, though the hash covers title and body only', () => {
    spec([publish()])
      .when(publish('本文', { tags: ['価格', '値段'] } as Partial<KnowledgeCommand>))
      .thenEmits((drafts) => expect(drafts[0]).toMatchObject({ data: { documentVersion: 2 } }));
    spec([publish()])
      .when(publish('本文', { language: 'en' } as Partial<KnowledgeCommand>))
      .thenEmits((drafts) => expect(drafts[0]).toMatchObject({ data: { documentVersion: 2 } }));
  });

  it('refuses a content hash that does not match the title and body', () => {
    spec([])
      .when(
        publish('本文', { contentHash: knowledgeContentHash('other', '本文') } as Partial<KnowledgeCommand>),
      )
      .thenThrows('VALIDATION');
  });

  it('retracts a published document once', () => {
    spec([publish()])
      .when(retract, at(9))
      .thenEmits((drafts) =>
        expect(drafts).toEqual([
          {
            type: 'KnowledgeDocumentRetracted',
            data: { documentId: 'objection-price', reason: 'outdated', retractedAt: at(9) },
          },
        ]),
      );
    spec([publish(), retract])
      .when(retract)
      .thenEmits((drafts) => expect(drafts).toEqual([]));
  });

  it('refuses to retract a document that was never published', () => {
    spec([]).when(retract).thenThrows('NOT_FOUND');
  });

  it('republishes a retracted document as the next version, even unchanged', () => {
    spec([publish('v1'), publish('v2'), retract])
      .when(publish('v2'))
      .thenEmits((drafts) => expect(drafts[0]).toMatchObject({ data: { documentVersion: 3, body: 'v2' } }));
  });

  it('keeps one stream per document', () => {
    expect(knowledgeStreamId('objection-price')).toBe('knowledge-objection-price');
    expect(initialKnowledgeState()).toEqual({ status: 'missing' });
  });
});
