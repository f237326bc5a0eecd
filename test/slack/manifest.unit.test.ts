import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { slackPaths } from '../../slack-edge/http/routes.ts';
import { textsFor } from '../../slack-edge/text/messages.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Manifest = {
  features: { slash_commands: { command: string; url: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
};

describe('ops/slack-manifest.yml', () => {
  it('asks for what the edge uses, at the paths it serves', async () => {
    const manifest = parse(await readFile(path.join(root, 'ops/slack-manifest.yml'), 'utf8')) as Manifest;
    const { bot } = manifest.oauth_config.scopes;
    for (const scope of [
      'app_mentions:read',
      'assistant:write',
      'chat:write',
      'commands',
      'im:history',
      'channels:history',
      'users:read',
      'im:write',
    ]) {
      expect(bot).toContain(scope);
    }
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining([
        'app_mention',
        'message.im',
        'message.channels',
        'app_home_opened',
        'assistant_thread_started',
      ]),
    );
    expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe(slackPaths.events);
    expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe(slackPaths.interactive);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([
      '/ai_help',
      '/ai_knowledge',
      '/ai_history',
    ]);
    for (const command of manifest.features.slash_commands)
      expect(new URL(command.url).pathname).toBe(slackPaths.commands);
  });

  it('enables the assistant view with the coach’s suggested prompts, and its events and scope', async () => {
    const manifest = parse(await readFile(path.join(root, 'ops/slack-manifest.yml'), 'utf8')) as Manifest & {
      features: { assistant_view: { assistant_description: string; suggested_prompts: unknown[] } };
    };
    const view = manifest.features.assistant_view;
    expect(view.assistant_description.length).toBeGreaterThan(0);
    // The same starting points the app sets in Japanese (at most four, as Slack allows).
    expect(view.suggested_prompts).toEqual(textsFor('ja').suggestedPrompts);
    expect(view.suggested_prompts.length).toBeLessThanOrEqual(4);
    expect(manifest.oauth_config.scopes.bot).toContain('assistant:write');
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['assistant_thread_started', 'assistant_thread_context_changed', 'message.im']),
    );
  });
});

describe('ops/slack-manifest.yml: the manager in the loop (issue 16)', () => {
  it('asks for Sign in with Slack’s user scopes, its redirect URL, and user groups', async () => {
    const manifest = parse(await readFile(path.join(root, 'ops/slack-manifest.yml'), 'utf8')) as {
      oauth_config: { scopes: { bot: string[]; user: string[] }; redirect_urls: string[] };
    };
    expect(manifest.oauth_config.scopes.user).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(manifest.oauth_config.scopes.bot).toContain('usergroups:read');
    expect(manifest.oauth_config.redirect_urls.map((u) => new URL(u).pathname)).toContain(
      '/dashboard/sign-in/slack/callback',
    );
  });
});
