/** A GET request's GraphQL parameters (GraphQL over HTTP): JSON ones parsed, a malformed one left out. */
export interface GetParameters {
  readonly query: string | undefined;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  /** The persisted document's id (trusted documents). */
  readonly documentId: string | undefined;
}

export function getParameters(url: string): GetParameters {
  const params = new URL(url, 'http://gateway.invalid').searchParams;
  const json = (name: string): Record<string, unknown> | undefined => {
    const value = params.get(name);
    if (value === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // Apollo Server (or the stream) answers a malformed parameter itself
    }
  };
  return {
    query: params.get('query') ?? undefined,
    operationName: params.get('operationName') ?? undefined,
    variables: json('variables'),
    extensions: json('extensions'),
    documentId: params.get('documentId') ?? undefined,
  };
}
