import type { Store, StoredTweet } from './store.ts';

/**
 * The part of X's search syntax the emulator understands:
 * - keywords (`graphql`), matched against the tweet's words, case-insensitively (punctuation and `#`/`@`
 *   sigils split words, as X tokenises); text in Japanese/Chinese script matches as a substring;
 * - `"exact phrase"`, `#hashtag`, `@mention`;
 * - `from:`, `to:` (a username or user id), `lang:`, `conversation_id:`;
 * - `is:reply`, `is:retweet`, `is:quote`, `is:verified`, `has:mentions`, `has:hashtags`, `has:links`,
 *   `has:media`, `has:images` (the seed has no retweets, quotes, links or media);
 * - `-term` to negate; terms side by side must all match; `OR` between groups (AND binds first, as on X).
 * Parentheses and other operators are refused with the position of the term, as X refuses operators it
 * does not offer.
 */
export type SearchQuery = ReadonlyArray<readonly Term[]>;

interface Term {
  negated: boolean;
  matches(tweet: StoredTweet, store: Store): boolean;
}

export class SearchQueryError extends Error {}

export function parseSearchQuery(query: string): SearchQuery {
  const groups: Term[][] = [[]];
  for (const token of tokenize(query)) {
    if (token.text === 'OR' && !token.quoted) {
      if (groups.at(-1)!.length === 0) throw queryError(`Ambiguous use of or as a keyword. Use a space to logically join two clauses, or "or" to find occurrences of or in text`, token.position);
      groups.push([]);
      continue;
    }
    groups.at(-1)!.push(parseTerm(token));
  }
  if (groups.some((group) => group.length === 0)) throw queryError('Rules must contain a non-negation term', query.length);
  for (const group of groups) {
    if (group.every((term) => term.negated)) throw queryError('Rules must contain a non-negation term', 1);
  }
  return groups;
}

export function matchesSearchQuery(query: SearchQuery, tweet: StoredTweet, store: Store): boolean {
  return query.some((group) => group.every((term) => term.matches(tweet, store) !== term.negated));
}

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
  /** 1-based, as X reports positions. */
  position: number;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /(-?)(?:"([^"]*)"|([^\s"]+))/g;
  for (const match of query.matchAll(pattern)) {
    const [, minus = '', phrase, word] = match;
    const position = (match.index ?? 0) + 1;
    if (word !== undefined && /[()]/.test(word)) throw queryError('The emulator does not support grouping with parentheses', position);
    tokens.push({ text: phrase ?? word ?? '', quoted: phrase !== undefined, negated: minus === '-', position });
  }
  if (/"/.test(query.replace(/"[^"]*"/g, ''))) throw queryError('Unbalanced quotes', query.indexOf('"') + 1);
  return tokens;
}

function parseTerm(token: Token): Term {
  const { negated } = token;
  if (token.quoted) return keyword(token.text, negated);
  const operator = /^([a-z_]+):(.+)$/i.exec(token.text);
  if (!operator) {
    if (/^#[\p{L}\p{N}_]+$/u.test(token.text)) return sigilled('#', token.text.slice(1), negated);
    if (/^@[A-Za-z0-9_]{1,15}$/.test(token.text)) return sigilled('@', token.text.slice(1), negated);
    return keyword(token.text, negated);
  }
  const [, name = '', value = ''] = operator;
  switch (name.toLowerCase()) {
    case 'from':
      return { negated, matches: (tweet, store) => isUser(store, tweet.authorId, value) };
    case 'to':
      return { negated, matches: (tweet, store) => tweet.inReplyTo !== undefined && isUser(store, tweet.inReplyTo.userId, value) };
    case 'lang':
      return { negated, matches: (tweet) => tweet.lang === value.toLowerCase() };
    case 'conversation_id':
      return { negated, matches: (tweet) => tweet.conversationId === value };
    case 'is':
      return flag(name, value, token.position, negated, {
        reply: (tweet) => tweet.inReplyTo !== undefined,
        retweet: () => false,
        quote: () => false,
        verified: (tweet, store) => store.user(tweet.authorId)?.verified === true,
      });
    case 'has':
      return flag(name, value, token.position, negated, {
        mentions: (tweet) => /(^|[^\w])@\w/.test(tweet.text),
        hashtags: (tweet) => /(^|[^\w&])#[\p{L}\p{N}_]/u.test(tweet.text),
        links: (tweet) => /https?:\/\//.test(tweet.text),
        media: () => false,
        images: () => false,
      });
    default:
      throw queryError(
        `Reference to invalid operator '${name}'. Operator is not available in current product or product packaging. Please refer to complete available operator list at https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/build-a-query.`,
        token.position,
      );
  }
}

function flag(name: string, value: string, position: number, negated: boolean, tests: Record<string, Term['matches']>): Term {
  const test = tests[value.toLowerCase()];
  if (!test) throw queryError(`Reference to invalid operator '${name}:${value}'.`, position);
  return { negated, matches: test };
}

function isUser(store: Store, userId: string, usernameOrId: string): boolean {
  return userId === usernameOrId || store.userByUsername(usernameOrId)?.id === userId;
}

/** Japanese and Chinese text is not split into words by spaces: match it as a substring. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function keyword(text: string, negated: boolean): Term {
  const lowered = text.toLowerCase();
  if (UNSPACED_SCRIPT.test(lowered)) return { negated, matches: (tweet) => tweet.text.toLowerCase().includes(lowered) };
  const wanted = words(lowered);
  return { negated, matches: (tweet) => wanted.length > 0 && containsSequence(words(tweet.text.toLowerCase()), wanted) };
}

function sigilled(sigil: '#' | '@', name: string, negated: boolean): Term {
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_&])${sigil}${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'iu');
  return { negated, matches: (tweet) => pattern.test(tweet.text) };
}

function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}_]+/u).filter((word) => word !== '');
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    if (needle.every((word, offset) => haystack[start + offset] === word)) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function queryError(reason: string, position: number): SearchQueryError {
  return new SearchQueryError(`There were errors processing your request: ${reason} (at position ${position})`);
}
