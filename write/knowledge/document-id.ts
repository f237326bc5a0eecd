import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * The document id of a file: the slug of its name without the extension (`Objection Price.md` →
 * `objection-price`). A name with characters a slug cannot keep (製品資料.pdf) gets a short hash
 * of the whole name (punctuation and spaces are simply dropped) after what is left, so that two such files never share an id.
 */
export const documentIdOf = (fileName: string): string => {
  const base = path.basename(fileName).replace(/\.[^.]+$/, '');
  const folded = base.normalize('NFKC').toLowerCase();
  const slug = folded
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '');
  if (slug.length > 0 && !/[^a-z0-9\P{L}]|[^0-9\P{N}]/u.test(folded)) return slug.slice(0, 100);
  const hash = createHash('sha256').update(base.normalize('NFC')).digest('hex').slice(0, 10);
  return slug.length > 0 ? `${slug.slice(0, 80)}-${hash}` : `doc-${hash}`;
};

/** The file name without its extension, as a title of last resort. */
export const titleOfFileName = (fileName: string): string =>
  path
    .basename(fileName)
    .replace(/\.[^.]+$/, '')
    .normalize('NFC')
    .trim();
