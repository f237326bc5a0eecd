import { en } from './en.ts';
import { ja, type Messages } from './ja.ts';
import type { Lang } from './lang.ts';

export type { Messages };

export const messages: Record<Lang, Messages> = { ja, en };
