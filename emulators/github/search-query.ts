/** One `name:value` of a search query, such as `user:octocat` or `-language:go`. */
export interface SearchQualifier {
  readonly name: string;
  readonly value: string;
  readonly negated: boolean;
}

export interface ParsedSearch {
  /** Free-text words (quoted phrases kept whole), lower-cased. */
  readonly terms: readonly string[];
  readonly qualifiers: readonly SearchQualifier[];
}

/** Splits GitHub search syntax into words and qualifiers; `"two words"` stays one term. */
export function parseSearchQuery(query: string): ParsedSearch {
  const terms: string[] = [];
  const qualifiers: SearchQualifier[] = [];
  for (const [, quoted, word = ''] of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (quoted !== undefined) {
      if (quoted.trim()) terms.push(quoted.trim().toLowerCase());
      continue;
    }
    const qualifier = /^(-?)([a-z_]+):(.+)$/i.exec(word);
    if (qualifier) {
      const [, negation, name = '', value = ''] = qualifier;
      qualifiers.push({ name: name.toLowerCase(), value: value.replace(/^"|"$/g, ''), negated: negation === '-' });
    } else {
      terms.push(word.toLowerCase());
    }
  }
  return { terms, qualifiers };
}

/** The values given for qualifier `name`, split into wanted and excluded (`-name:`). */
export function qualifierValues(search: ParsedSearch, ...names: string[]): { wanted: string[]; excluded: string[] } {
  const matching = search.qualifiers.filter((qualifier) => names.includes(qualifier.name));
  return {
    wanted: matching.filter((qualifier) => !qualifier.negated).map((qualifier) => qualifier.value.toLowerCase()),
    excluded: matching.filter((qualifier) => qualifier.negated).map((qualifier) => qualifier.value.toLowerCase()),
  };
}

/** GitHub's numeric ranges: `10`, `>10`, `>=10`, `<10`, `<=10`, `10..50`, `10..*`, `*..50`. */
export function matchesRange(value: number, range: string): boolean {
  const between = /^(\*|\d+)\.\.(\*|\d+)$/.exec(range);
  if (between) {
    const [, low = '*', high = '*'] = between;
    return (low === '*' || value >= Number(low)) && (high === '*' || value <= Number(high));
  }
  const compare = /^(>=|<=|>|<)?(\d+)$/.exec(range);
  if (!compare) return false;
  const [, operator, number = '0'] = compare;
  const bound = Number(number);
  switch (operator) {
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    default:
      return value === bound;
  }
}
