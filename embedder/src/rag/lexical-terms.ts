/*
 * Turning text into index terms for BM25: lowercase, accents folded, split on anything that is not a
 * letter or digit, minus a short English stop-word list. Documents and queries go through the same
 * function, so changing it changes every index at once (it is derived state, rebuilt from the chunks).
 *
 * No stemming: a light suffix stemmer (plurals, -ing, -ed, -ly, final -e) and a plural-only one both
 * lowered recall on the first 32 dev questions (BM25 alone, 800-token chunks: recall@1 0.72
 * unstemmed, 0.59 light, 0.56 plural-only; fused with the dense score, equal or lower). Folding
 * `plans` into `plan` or `credited` into `credit` lets the many passages that use the common form
 * outscore the one that answers; the dense score already covers morphology and paraphrase.
 */

// Function words that match almost every passage: scoring them only adds noise to short queries.
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not of off on once only or other our ' +
    'ours ourselves out over own same she should so some such than that the their theirs them themselves then there these ' +
    'they this those through to too under until up very was we were what when where which while who whom why will with ' +
    'would you your yours yourself yourselves s t d ll m re ve'
  ).split(' '),
);

/** The index terms of a text, in order, repeats kept (term frequency counts them). */
export function analyse(text: string): string[] {
  const terms: string[] = [];
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  for (const token of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (token === '' || STOP_WORDS.has(token)) continue;
    terms.push(token);
  }
  return terms;
}
