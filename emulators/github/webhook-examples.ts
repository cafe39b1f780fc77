import { readFileSync } from 'node:fs';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The part of `@octokit/webhooks-examples` used here: real payloads, grouped by event name. */
interface WebhookDefinition {
  name: string;
  examples: JsonObject[];
}

let definitions: WebhookDefinition[] | undefined;

/** Loaded on the first delivery, once per process: the file is 4 MB and most runs never send a webhook. */
function webhookDefinitions(): WebhookDefinition[] {
  // The package's entry point is the JSON itself (api.github.com/index.json): payloads GitHub sent.
  definitions ??= JSON.parse(readFileSync(new URL(import.meta.resolve('@octokit/webhooks-examples')), 'utf8')) as WebhookDefinition[];
  return definitions;
}

/**
 * A real payload of `event` with `action`, to shape ours after: the one whose repository has the most
 * fields (the most recent API shape), leaving out examples that describe something else too (`changes`).
 */
export function webhookExample(event: string, action: string): JsonObject {
  const candidates = (webhookDefinitions().find((definition) => definition.name === event)?.examples ?? []).filter(
    (example) => example['action'] === action && !('changes' in example),
  );
  const best = candidates.sort((a, b) => fieldCount(b['repository']) - fieldCount(a['repository']))[0];
  if (!best) throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example`);
  return best;
}

/** An organization as webhook payloads carry it, from any example that has one. */
export function organizationExample(): JsonObject {
  for (const definition of webhookDefinitions()) {
    for (const example of definition.examples) {
      const organization = example['organization'];
      if (isObject(organization)) return organization;
    }
  }
  throw new Error('@octokit/webhooks-examples has no payload with an organization');
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldCount(value: JsonValue | undefined): number {
  return isObject(value) ? Object.keys(value).length : 0;
}
