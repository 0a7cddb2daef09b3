import { describe, expect, it } from 'vitest';
import { LexicalIndex, type LexicalDocument } from './lexical-index.js';
import { analyse } from './lexical-terms.js';

const PASSAGES: LexicalDocument[] = [
  { id: 'refunds:0', text: 'Annual plans can be refunded within 14 days. Monthly plans are not refunded.' },
  { id: 'plans:0', text: 'Plans and pricing: the Plus plan and the Business plan, billed monthly or yearly.' },
  { id: 'sso:0', text: 'Single sign-on with SAML: Okta, Entra ID and Google Workspace.' },
  { id: 'limits:0', text: 'The API answers 429 when a workspace sends more than 100 requests per minute.' },
  { id: 'tokens:0', text: 'Create an API token under Settings. The API token is shown once.' },
  { id: 'café:0', text: 'Café menus are out of scope for this help center.' },
];

describe('analyse', () => {
  it('lowercases, folds accents, splits on punctuation and drops stop words', () => {
    expect(analyse('The Café’s API-token is NOT shown, e.g. twice!')).toEqual(['cafe', 'api', 'token', 'shown', 'e', 'g', 'twice']);
  });
});

describe('LexicalIndex', () => {
  const index = LexicalIndex.build(PASSAGES);

  it('ranks the passage that matches the rare terms first', () => {
    const hits = index.search('Can I log in with Okta?', { limit: 3 });
    expect(hits.map((hit) => hit.id)).toEqual(['sso:0']);
    expect(index.search('what does status 429 mean for my API calls', { limit: 2 })[0]!.id).toBe('limits:0');
  });

  it('rewards term frequency, saturated', () => {
    const hits = index.search('api token', { limit: 10 });
    expect(hits[0]!.id).toBe('tokens:0');
    expect(hits.map((hit) => hit.id)).toContain('limits:0');
  });

  it('returns nothing for a query of unknown or stop words', () => {
    expect(index.search('zebra', { limit: 5 })).toEqual([]);
    expect(index.search('what is the', { limit: 5 })).toEqual([]);
    expect(index.scoreBound('what is the zebra')).toBe(0);
    expect(index.search('api', { limit: 0 })).toEqual([]);
  });

  it('matches accented and unaccented spellings alike', () => {
    expect(index.search('cafe', { limit: 1 })[0]!.id).toBe('café:0');
  });

  it('applies the filter before the limit', () => {
    const hits = index.search('plans refunded monthly', { limit: 1, filter: (id) => id.startsWith('plans:') });
    expect(hits.map((hit) => hit.id)).toEqual(['plans:0']);
  });

  it('bounds every score by scoreBound', () => {
    for (const query of ['api token', 'plans monthly yearly', 'refunded 14 days', 'okta saml sign']) {
      const bound = index.scoreBound(query);
      for (const hit of index.search(query, { limit: 10 })) {
        expect(hit.score).toBeGreaterThan(0);
        expect(hit.score / bound).toBeLessThan(1);
      }
    }
  });

  it('gives identical results whatever the insertion order', () => {
    const reversed = LexicalIndex.build([...PASSAGES].reverse());
    for (const query of ['api token', 'plans monthly', 'refunded within days', 'okta']) {
      expect(reversed.search(query, { limit: 10 })).toEqual(index.search(query, { limit: 10 }));
      expect(reversed.scoreBound(query)).toBe(index.scoreBound(query));
    }
  });

  it('after removals and replacements answers like an index built from scratch', () => {
    const changed = LexicalIndex.build(PASSAGES);
    changed.remove(['plans:0', 'unknown']);
    changed.add([{ id: 'tokens:0', text: 'Tokens are revoked after a year unused.' }]);
    const fresh = LexicalIndex.build([
      ...PASSAGES.filter((passage) => passage.id !== 'plans:0' && passage.id !== 'tokens:0'),
      { id: 'tokens:0', text: 'Tokens are revoked after a year unused.' },
    ]);
    expect(changed.size).toBe(PASSAGES.length - 1);
    expect(changed.has('plans:0')).toBe(false);
    for (const query of ['api token', 'tokens revoked', 'plans monthly', 'okta']) {
      expect(changed.search(query, { limit: 10 })).toEqual(fresh.search(query, { limit: 10 }));
    }
  });

  it('breaks ties by id', () => {
    const twins = LexicalIndex.build([
      { id: 'b', text: 'identical words' },
      { id: 'a', text: 'identical words' },
      { id: 'c', text: 'something else' },
    ]);
    expect(twins.search('identical', { limit: 5 }).map((hit) => hit.id)).toEqual(['a', 'b']);
  });
});
