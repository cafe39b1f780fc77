import { invalidRequest, type ParameterError } from './problems.ts';

const ID_PATTERN = /^[0-9]{1,19}$/;
const USERNAME_PATTERN = /^[A-Za-z0-9_]{1,15}$/;

/**
 * Reads and validates one request's query string the way X does: every problem is collected (unknown
 * parameters, malformed values, out-of-range numbers), then `assertValid()` answers them all in one
 * Invalid Request. Readers return a usable value even for bad input, so handlers read everything first.
 */
export class QueryReader {
  readonly #query: URLSearchParams;
  readonly #errors: ParameterError[] = [];

  /** `allowed`: the endpoint's parameters; any other one is an error, as on X. */
  constructor(query: URLSearchParams, allowed: readonly string[]) {
    this.#query = query;
    for (const name of new Set(query.keys())) {
      if (!allowed.includes(name)) {
        this.#fail(name, query.getAll(name), `The query parameter [${name}] is not one of [${allowed.join(',')}]`);
      }
    }
  }

  /** The raw value, or undefined when absent. */
  string(name: string): string | undefined {
    return this.#query.get(name) ?? undefined;
  }

  /** A required non-empty value. */
  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') this.#fail(name, [], `The \`${name}\` query parameter can not be empty`);
    return value ?? '';
  }

  /** A comma-separated list of ids (1–`max` of them), e.g. `ids=12,34`. */
  ids(name: string, max: number): string[] {
    return this.#requiredList(name, max).filter((value) => this.#matches(name, value, ID_PATTERN));
  }

  /** A comma-separated list of usernames (1–`max`). */
  usernames(name: string, max: number): string[] {
    return this.#requiredList(name, max).filter((value) => this.#matches(name, value, USERNAME_PATTERN));
  }

  /** An optional id such as `since_id`. */
  optionalId(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return this.#matches(name, value, ID_PATTERN) ? value : undefined;
  }

  /** An id or username in the path: X reports those as query parameters too. */
  pathId(name: string, value: string): string {
    this.#matches(name, value, ID_PATTERN);
    return value;
  }

  pathUsername(name: string, value: string): string {
    this.#matches(name, value, USERNAME_PATTERN);
    return value;
  }

  /** An integer within [min, max], or `fallback` when absent. */
  integer(name: string, range: { min: number; max: number; fallback: number }): number {
    const value = this.string(name);
    if (value === undefined) return range.fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed)) {
      this.#fail(name, [value], `The \`${name}\` query parameter value [${value}] is not a valid integer`);
      return range.fallback;
    }
    if (parsed < range.min || parsed > range.max) {
      this.#fail(name, [value], `The \`${name}\` query parameter value [${value}] is not between ${range.min} and ${range.max}`);
      return range.fallback;
    }
    return parsed;
  }

  /** A comma-separated subset of `allowed` (fields, expansions, `exclude`); empty when absent. */
  subset<T extends string>(name: string, allowed: readonly T[]): Set<T> {
    const chosen = new Set<T>();
    const value = this.string(name);
    if (value === undefined) return chosen;
    for (const item of splitList(value)) {
      if ((allowed as readonly string[]).includes(item)) chosen.add(item as T);
      else this.#fail(name, [item], `The \`${name}\` query parameter value [${item}] is not one of [${allowed.join(',')}]`);
    }
    return chosen;
  }

  /** An RFC 3339 time such as `2025-12-01T00:00:00Z`, in epoch milliseconds. */
  time(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) {
      this.#fail(name, [value], `The \`${name}\` query parameter value [${value}] is not a valid RFC 3339 date-time`);
      return undefined;
    }
    return ms;
  }

  /** Records an error found by the caller (a bad pagination token, a malformed query). */
  reject(name: string, value: string, message: string): void {
    this.#fail(name, [value], message);
  }

  /** Throws the Invalid Request that lists every problem found, if any. */
  assertValid(): void {
    if (this.#errors.length > 0) throw invalidRequest(this.#errors);
  }

  #requiredList(name: string, max: number): string[] {
    const value = this.string(name);
    if (value === undefined || value === '') {
      this.#fail(name, [], `The \`${name}\` query parameter can not be empty`);
      return [];
    }
    const items = splitList(value);
    if (items.length < 1 || items.length > max) {
      this.#fail(name, [value], `The number of values in the \`${name}\` query parameter list [${items.length}] is not between 1 and ${max}`);
      return [];
    }
    return items;
  }

  #matches(name: string, value: string, pattern: RegExp): boolean {
    if (pattern.test(value)) return true;
    this.#fail(name, [value], `The \`${name}\` query parameter value [${value}] does not match ${pattern.source}`);
    return false;
  }

  #fail(name: string, values: string[], message: string): void {
    this.#errors.push({ parameters: { [name]: values }, message });
  }
}

/** X splits list parameters on commas; repeated values count once. */
function splitList(value: string): string[] {
  return [...new Set(value.split(',').map((item) => item.trim()))];
}
