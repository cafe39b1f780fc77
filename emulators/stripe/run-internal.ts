import type { ApiContext } from './api-context.ts';
import { unixSeconds } from './clock.ts';
import type { RequestHandlerContext } from './handle-request.ts';
import { eventCollector, type Answer } from './run-handler.ts';
import { StripeApiError } from './stripe-error.ts';

/**
 * Runs a change that no API request made (a customer on a test page, the clock): its events carry
 * `request: { id: null }` as Stripe's automatic events do, and are recorded and delivered at once.
 * A committed Stripe error (a declined card) keeps its events and is rethrown; any other throw keeps none.
 */
export function runInternal<T>(context: RequestHandlerContext, work: (api: ApiContext) => T): T {
  const events: Answer['events'] = [];
  const emit = eventCollector(context, { id: null, idempotency_key: null }, events);
  const publish = (): void => {
    for (const { event, endpoint } of events) {
      context.store.events.insert(event);
      if (endpoint) context.deliver(event, endpoint);
    }
  };
  try {
    const result = work({ store: context.store, ids: context.ids, now: () => unixSeconds(context.clock), emit, baseUrl: context.baseUrl() });
    publish();
    return result;
  } catch (error) {
    if (error instanceof StripeApiError && error.committed) publish();
    throw error;
  }
}

/** Carries out the scheduled work whose time has come on the emulator's clock, oldest first. */
export function runDueWork(context: RequestHandlerContext): void {
  const now = unixSeconds(context.clock);
  const due = context.store.scheduled.filter((work) => work.at <= now).sort((a, b) => a.at - b.at);
  if (due.length === 0) return;
  for (const work of due) context.store.scheduled.splice(context.store.scheduled.indexOf(work), 1);
  for (const work of due) runInternal(context, work.run);
}
