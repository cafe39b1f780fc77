import { ok, type ApiHandler } from '../api-context.ts';
import { expandObject } from '../expand.ts';
import { listResult } from '../list-response.ts';
import { expandField, field, pageFields, parseParams } from '../params.ts';
import { resourceMissing } from '../stripe-error.ts';

export const retrieveEvent: ApiHandler = ({ params, id }, context) => {
  const { expand } = parseParams({ expand: expandField }, params);
  const event = context.store.events.get(id);
  if (!event) throw resourceMissing('event', id);
  return ok(expandObject(event, expand, context.store));
};

/** `type` may end in `*` (`customer.*`), as on Stripe; `types[]` lists exact types. */
export const listEvents: ApiHandler = ({ params }, context) => {
  const input = parseParams({ ...pageFields, type: field.string, types: field.list(field.string) }, params);
  const { type, types } = input;
  const typeMatches = (eventType: string): boolean => {
    if (type !== undefined && !(type.endsWith('*') ? eventType.startsWith(type.slice(0, -1)) : eventType === type)) return false;
    return types === undefined || types.includes(eventType);
  };
  return listResult(context, '/v1/events', context.store.events.ordered(), (event) => typeMatches(event.type), input, 'event');
};
