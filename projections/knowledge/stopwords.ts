/** English function words: they match everywhere and rank nothing. */
export const englishStopwords: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here
  hers him his how i if in into is it its itself just me more most my no nor not of off on once only or
  other our ours out over own same she should so some such than that the their theirs them then there
  these they this those through to too under until up very was we were what when where which while who
  whom why will with would you your yours s t d ll m re ve`.split(/\s+/),
);

/**
 * Hiragana that, at the edge of a kanji run, are particles rather than okurigana: a bigram
 * across them (様に, 格を) joins two words and only adds noise.
 */
export const particles: ReadonlySet<string> = new Set([...'はがをにでとのへやかもよねぞさ']);

/** Hiragana prefixes that belong to the next word (お礼, ご予算). */
export const honorificPrefixes: ReadonlySet<string> = new Set([...'おご']);
