import { forbidden, invalidRequest, type ParameterError } from './problems.ts';

/** What a POST /2/tweets body asks for, once validated. */
export interface NewTweet {
  text: string;
  inReplyToTweetId: string | undefined;
  /** X detects the language; the emulator guesses from the script (see `guessLanguage`). */
  lang: string;
}

/** Body members X accepts that the emulator does not model: refused plainly rather than ignored. */
const UNSUPPORTED_MEMBERS = new Set([
  'card_uri', 'community_id', 'direct_message_deep_link', 'edit_options', 'for_super_followers_only', 'geo', 'made_with_ai',
  'media', 'nullcast', 'paid_partnership', 'poll', 'quote_tweet_id', 'reply_settings', 'share_with_followers',
]);

/** X's limit, in weighted characters (see `weightedLength`). */
const MAX_WEIGHTED_LENGTH = 280;

export function readNewTweet(body: string): NewTweet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidRequest([{ parameters: {}, message: 'Request body is not valid JSON' }]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidRequest([{ parameters: {}, message: '$: expected a JSON object' }]);
  }

  const errors: ParameterError[] = [];
  const members = parsed as Record<string, unknown>;
  for (const [name, value] of Object.entries(members)) {
    if (name === 'text' || name === 'reply') continue;
    const message = UNSUPPORTED_MEMBERS.has(name)
      ? `$.${name}: the emulator does not support this member`
      : `$.${name}: is not defined in the schema and the schema does not allow additional properties`;
    errors.push({ parameters: { [name]: [JSON.stringify(value)] }, message });
  }

  const text = members['text'];
  if (typeof text !== 'string' || text.trim() === '') {
    errors.push({ parameters: { text: [JSON.stringify(text ?? null)] }, message: '$.text: a non-empty string is required' });
  }
  const inReplyToTweetId = readReply(members['reply'], errors);
  if (errors.length > 0) throw invalidRequest(errors);

  const checkedText = text as string;
  if (weightedLength(checkedText) > MAX_WEIGHTED_LENGTH) throw forbidden('Tweet needs to be a bit shorter.');
  return { text: checkedText, inReplyToTweetId, lang: guessLanguage(checkedText) };
}

function readReply(reply: unknown, errors: ParameterError[]): string | undefined {
  if (reply === undefined) return undefined;
  const id = reply !== null && typeof reply === 'object' ? (reply as Record<string, unknown>)['in_reply_to_tweet_id'] : undefined;
  if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
    errors.push({ parameters: { reply: [JSON.stringify(reply)] }, message: '$.reply.in_reply_to_tweet_id: must match ^[0-9]{1,19}$' });
    return undefined;
  }
  return id;
}

/**
 * twitter-text's weighting: Latin, Greek, Cyrillic and common punctuation count 1, everything else
 * (CJK, emoji…) counts 2. URLs are not shortened to 23 here: the emulator does not wrap links.
 */
export function weightedLength(text: string): number {
  let length = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    const light = code <= 4_351 || (code >= 8_192 && code <= 8_205) || (code >= 8_208 && code <= 8_223) || (code >= 8_242 && code <= 8_247);
    length += light ? 1 : 2;
  }
  return length;
}

/** Kana means Japanese, Hangul Korean, other Han Chinese; everything else is taken for English. */
function guessLanguage(text: string): string {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'ja';
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return 'en';
}
