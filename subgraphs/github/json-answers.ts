/**
 * Octokit's request hook that parses GitHub's answers with `JSON.parse`. Octokit itself parses every JSON
 * answer with json-with-bigint, which runs a reviver over each value so that REST ids beyond 2^53 survive:
 * ~1.3 ms for 25 users with their repositories, on the one thread that also serves the other subgraphs
 * (`npm start`), where it delayed X's calls of the same query. GitHub's GraphQL answers carry no such
 * numbers (GraphQL's Int is 32-bit; GitHub's BigInt scalar is sent as a string), so nothing is lost.
 * Only successful answers go through here; Octokit still reads error answers itself.
 */

/** Octokit's request as a hook receives it: the options it was given, with a body left unread on request. */
type OctokitRequest = (options: OctokitRequestOptions) => Promise<OctokitResponse>;
interface OctokitRequestOptions {
  readonly request?: Readonly<Record<string, unknown>>;
  readonly [option: string]: unknown;
}
interface OctokitResponse {
  readonly data: unknown;
  readonly [field: string]: unknown;
}

export async function parseAnswersWithJSON(request: OctokitRequest, options: OctokitRequestOptions): Promise<OctokitResponse> {
  const response = await request({ ...options, request: { ...options.request, parseSuccessResponseBody: false } });
  const body = response.data as ReadableStream<Uint8Array> | null | undefined;
  if (!body) return response;
  const text = await new Response(body).text();
  // As Octokit does with an answer that is not JSON: the text itself.
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // left as text
  }
  return { ...response, data };
}
