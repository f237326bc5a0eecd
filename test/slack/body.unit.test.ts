import { describe, expect, it } from 'vitest';
import { parseSlackBody } from '../../slack-edge/http/body.ts';

describe('reading Slack request bodies', () => {
  it('answers url_verification with the challenge', () => {
    expect(
      parseSlackBody('events', JSON.stringify({ type: 'url_verification', challenge: 'abc', token: 't' })),
    ).toEqual({
      kind: 'answer',
      status: 200,
      json: { challenge: 'abc' },
    });
  });

  it('dispatches an event callback, ignores other envelopes, refuses what Slack never sends', () => {
    const callback = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev1',
      event: { type: 'app_mention' },
    };
    expect(parseSlackBody('events', JSON.stringify(callback)).kind).toBe('dispatch');
    expect(parseSlackBody('events', JSON.stringify({ type: 'app_rate_limited' })).kind).toBe('ignore');
    expect(parseSlackBody('events', JSON.stringify({ type: 'something_new' })).kind).toBe('ignore');
    expect(parseSlackBody('events', '{not json').kind).toBe('invalid');
    expect(parseSlackBody('events', JSON.stringify({ type: 'event_callback', team_id: 'T1' })).kind).toBe(
      'invalid',
    );
    expect(parseSlackBody('events', 'null').kind).toBe('invalid');
    expect(parseSlackBody('events', '[]').kind).toBe('invalid');
  });

  it('reads slash commands as forms, and answers ssl_check', () => {
    const form = new URLSearchParams({
      command: '/ai_help',
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      text: '',
      response_url: 'https://hooks.slack.com/commands/T1/1/x',
      trigger_id: '1.2.3',
    }).toString();
    const parsed = parseSlackBody('commands', form);
    expect(parsed).toMatchObject({ kind: 'dispatch', body: { command: '/ai_help', user_id: 'U1' } });
    expect(parseSlackBody('commands', 'ssl_check=1&token=x').kind).toBe('answer');
    expect(parseSlackBody('commands', 'command=ai_help').kind).toBe('invalid');
    expect(parseSlackBody('commands', '%%%').kind).toBe('invalid');
  });

  it('reads interactive payloads from the form field, and refuses a missing or broken one', () => {
    const payload = { type: 'block_actions', user: { id: 'U1' }, actions: [] };
    expect(parseSlackBody('interactive', `payload=${encodeURIComponent(JSON.stringify(payload))}`).kind).toBe(
      'dispatch',
    );
    expect(parseSlackBody('interactive', 'nothing=here')).toMatchObject({
      kind: 'invalid',
      message: 'payload: missing',
    });
    expect(parseSlackBody('interactive', 'payload=%7Bbroken')).toMatchObject({ kind: 'invalid' });
    expect(
      parseSlackBody('interactive', `payload=${encodeURIComponent('{"type":"block_actions"}')}`).kind,
    ).toBe('invalid');
  });

  it('refuses what the listeners or Bolt would choke on: a bad ts, odd actions, a NUL, event fields in a command', () => {
    const callback = (event: Record<string, unknown>) =>
      JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event });
    const message = { type: 'message', channel: 'D1', user: 'U1', text: 'hi', ts: '1531420618.000200' };
    expect(parseSlackBody('events', callback(message)).kind).toBe('dispatch');
    for (const ts of ['\u0000', '__proto__', '1531420618.2360null', 'NaN', ''])
      expect(parseSlackBody('events', callback({ ...message, ts })).kind, ts).toBe('invalid');
    expect(parseSlackBody('events', callback({ ...message, text: 'a\u0000b' })).kind).toBe('invalid');
    expect(parseSlackBody('events', callback({ ...message, channel: ['D1'] })).kind).toBe('invalid');
    const at = (eventTime: unknown) =>
      parseSlackBody(
        'events',
        JSON.stringify({
          type: 'event_callback',
          team_id: 'T1',
          event_id: 'Ev1',
          event_time: eventTime,
          event: message,
        }),
      ).kind;
    expect(at(1_531_420_618)).toBe('dispatch');
    for (const eventTime of [1e308, -1, 1.5]) expect(at(eventTime), String(eventTime)).toBe('invalid');
    for (const eventId of [' ', '', 'Ev 1', 'x'.repeat(65)])
      expect(
        parseSlackBody(
          'events',
          JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: eventId, event: message }),
        ).kind,
        eventId,
      ).toBe('invalid');
    // Other events carry objects there: still read.
    expect(parseSlackBody('events', callback({ type: 'channel_created', channel: { id: 'C1' } })).kind).toBe(
      'dispatch',
    );

    const interactive = (payload: unknown) =>
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const action = { type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'x', value: 'v' }] };
    expect(parseSlackBody('interactive', interactive(action)).kind).toBe('dispatch');
    for (const actions of [0, ['['], [{ action_id: 1 }], 'x'])
      expect(parseSlackBody('interactive', interactive({ ...action, actions })).kind).toBe('invalid');
    expect(
      parseSlackBody(
        'interactive',
        interactive({ ...action, actions: [{ action_id: 'x', value: '\u0000' }] }),
      ).kind,
    ).toBe('invalid');

    const command = {
      command: '/ai_help',
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      text: '',
      response_url: 'https://hooks.slack.com/commands/T1/1/x',
      trigger_id: '1.2.3',
    };
    const parsed = parseSlackBody('commands', new URLSearchParams({ ...command, event: '価格' }).toString());
    expect(parsed.kind).toBe('dispatch');
    expect(parsed.kind === 'dispatch' && 'event' in parsed.body).toBe(false);
  });
});
