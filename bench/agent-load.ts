import { dmEvent, eventCallback } from '../test/slack/helpers/payloads.ts';
import { jsonInit } from '../test/slack/helpers/signed.ts';

/**
 * The load of `npm run bench agent`, in a process of its own: every rep sends one signed DM to
 * the Events API at the same moment. Input (argv[2], JSON): the events URL and the DMs. Output
 * (stdout, JSON): when the burst started and was acknowledged, and the refusals.
 */
type Input = { url: string; dms: { user: string; channel: string; text: string }[] };

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
const bodies = input.dms.map((dm) => jsonInit(eventCallback(dmEvent(dm))));
const startedAt = Date.now();
const results = await Promise.all(
  bodies.map(async (init) => {
    try {
      const res = await fetch(input.url, init);
      await res.arrayBuffer();
      return { status: res.status, at: Date.now() };
    } catch (error) {
      return { status: 0, at: Date.now(), error: (error as Error).message };
    }
  }),
);
process.stdout.write(
  `${JSON.stringify({
    startedAt,
    acknowledgedAt: Math.max(...results.map((r) => r.at)),
    refused: results.filter((r) => r.status !== 200).length,
  })}\n`,
);
