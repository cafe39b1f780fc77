import { Lexer, Source, TokenKind, type GraphQLError, type Token } from 'graphql';
import type { GitHubGraphQLError } from './github-errors.ts';

/** graphql-ruby's token names, which GitHub's parse errors quote. */
const PUNCTUATION: Partial<Record<TokenKind, string>> = {
  [TokenKind.BANG]: 'BANG',
  [TokenKind.DOLLAR]: 'VAR_SIGN',
  [TokenKind.AMP]: 'AMP',
  [TokenKind.PAREN_L]: 'LPAREN',
  [TokenKind.PAREN_R]: 'RPAREN',
  [TokenKind.SPREAD]: 'ELLIPSIS',
  [TokenKind.COLON]: 'COLON',
  [TokenKind.EQUALS]: 'EQUALS',
  [TokenKind.AT]: 'DIR_SIGN',
  [TokenKind.BRACKET_L]: 'LBRACKET',
  [TokenKind.BRACKET_R]: 'RBRACKET',
  [TokenKind.BRACE_L]: 'LCURLY',
  [TokenKind.PIPE]: 'PIPE',
  [TokenKind.BRACE_R]: 'RCURLY',
  [TokenKind.INT]: 'INT',
  [TokenKind.FLOAT]: 'FLOAT',
  [TokenKind.STRING]: 'STRING',
  [TokenKind.BLOCK_STRING]: 'STRING',
};

const KEYWORDS = new Set([
  ...['query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null'],
  ...['schema', 'scalar', 'type', 'interface', 'union', 'enum', 'input', 'extend', 'directive', 'implements', 'repeatable'],
]);

/**
 * A syntax error as GitHub reports it: `Parse error on "}" (RCURLY) at [1, 13]` with the location, or
 * `Unexpected end of document` when the query stops short. graphql-js only says where it failed, so the
 * offending token is found again by lexing up to that point.
 */
export function parseErrorLikeGitHub(error: GraphQLError, query: string): GitHubGraphQLError {
  const location = error.locations?.[0];
  const token = location ? offendingToken(query, error.positions?.[0] ?? 0) : undefined;
  if (!location || !token) return { message: 'Unexpected end of document', locations: [] };
  return { message: `Parse error on ${JSON.stringify(token.text)} (${token.name}) at [${location.line}, ${location.column}]`, locations: [location] };
}

/** The token at `position` as graphql-ruby would name it; undefined at the end of the document. */
function offendingToken(query: string, position: number): { text: string; name: string } | undefined {
  const lexer = new Lexer(new Source(query));
  try {
    for (let token = lexer.advance(); ; token = lexer.advance()) {
      if (token.kind === TokenKind.EOF) return undefined;
      if (token.end > position) return { text: tokenText(token, query), name: tokenName(token) };
    }
  } catch {
    // The lexer failed there itself: a character GraphQL does not allow.
    const character = query.slice(position, position + 1);
    return character === '' ? undefined : { text: character, name: 'UNKNOWN_CHAR' };
  }
}

function tokenText(token: Token, query: string): string {
  return token.kind === TokenKind.STRING || token.kind === TokenKind.BLOCK_STRING ? (token.value ?? '') : query.slice(token.start, token.end);
}

function tokenName(token: Token): string {
  if (token.kind === TokenKind.NAME) return KEYWORDS.has(token.value ?? '') ? (token.value ?? '').toUpperCase() : 'IDENTIFIER';
  return PUNCTUATION[token.kind] ?? 'UNKNOWN_CHAR';
}
