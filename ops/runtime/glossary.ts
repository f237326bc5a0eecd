import { loadGlossary, useGlossary } from '../../projections/knowledge/glossary.ts';
import type { Env } from '../../schemas/config.ts';

/**
 * Makes knowledge search use the shipped glossary plus the administrator's (KNOWLEDGE_GLOSSARY),
 * or stops the process with one line naming the variable when that file cannot be used.
 */
export const useConfiguredGlossaryOrExit = async (env: Env): Promise<void> => {
  if (!env.KNOWLEDGE_GLOSSARY) return;
  try {
    useGlossary(await loadGlossary([env.KNOWLEDGE_GLOSSARY]));
  } catch (error) {
    process.stderr.write(`KNOWLEDGE_GLOSSARY: ${(error as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  }
};
