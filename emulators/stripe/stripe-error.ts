import type Stripe from 'stripe';

/** The `error` object of Stripe's error envelope (`{ "error": { … } }`). */
export interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: Stripe.PaymentIntent;
  setup_intent?: Stripe.SetupIntent;
  payment_method?: Stripe.PaymentMethod;
  request_log_url?: string;
}

/**
 * An API error answered in Stripe's envelope. `committed` marks errors raised after the request changed
 * state (a declined card leaves a failed charge behind): their response is kept for idempotent replay,
 * whereas a refused request (bad parameters, missing object) is not, as on Stripe.
 */
export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  readonly committed: boolean;
  constructor(status: number, body: StripeErrorBody, committed = false) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.committed = committed;
  }
}

export function invalidRequest(message: string, details: { code?: string; param?: string; status?: number } = {}): StripeApiError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (details.code !== undefined) body.code = details.code;
  if (details.param !== undefined) body.param = details.param;
  return new StripeApiError(details.status ?? 400, body);
}

export function parameterMissing(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function parameterUnknown(param: string): StripeApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

/**
 * "No such customer: 'cus_x'". A missing object named in the path is a 404; one named by a parameter
 * (`customer` on a payment intent) is a 400 pointing at that parameter.
 */
export function resourceMissing(resource: string, id: string, param?: string): StripeApiError {
  return invalidRequest(`No such ${resource}: '${id}'`, {
    code: 'resource_missing',
    param: param ?? 'id',
    status: param === undefined ? 404 : 400,
  });
}

/** Stripe links every coded error to its documentation page. */
export function docUrlFor(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}
