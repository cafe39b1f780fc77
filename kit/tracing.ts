import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { Environment } from './provider.ts';

/**
 * OpenTelemetry traces: spans for each operation, its planning, each subgraph fetch and each provider call,
 * with W3C `traceparent` carried from clients to the gateway and from the gateway to its subgraphs.
 *
 * Library boundary: OpenTelemetry's API is process-wide by design (instrumentation asks `trace` for the
 * tracer an application registered). Until something registers a tracer provider (startTracing, when the
 * standard OTEL_* variables ask for an exporter) every span here is a no-op costing a few allocations.
 */
const TRACER = 'federation-gateway';

export { SpanKind };

/**
 * Runs `fn` in a new active span (a child of the active one, or of `parent` when given), recording a
 * throw as the span's error.
 */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL, parent: Context = context.active()): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** `inSpan` for synchronous work (planning). */
export function inSpanSync<T>(name: string, attributes: Attributes, fn: (span: Span) => T): T {
  return trace.getTracer(TRACER).startActiveSpan(name, { attributes }, (span) => {
    try {
      return fn(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records a thrown error by its name and message only: a stack trace or an error's other fields may carry what must not leave the process. */
function failed(span: Span, error: unknown): void {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  span.recordException({ name, message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** Marks a span failed with a stable error code (a GraphQL answer with errors is not a thrown error). */
export function markFailed(span: Span, code: string): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/** The active span's context as W3C `traceparent`/`tracestate` headers, added to `headers`. */
export function injectTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Runs `fn` in a server span joined to the caller's trace from its `traceparent` headers: a subgraph's
 * in-process entrance, where no HTTP request carries them (kit/in-process-call.ts).
 */
export function inServerSpan<T>(name: string, attributes: Attributes, headers: Readonly<Record<string, string>>, fn: (span: Span) => Promise<T>): Promise<T> {
  return inSpan(name, attributes, fn, SpanKind.SERVER, propagation.extract(ROOT_CONTEXT, headers));
}

/**
 * Express middleware: the rest of the request runs in the caller's trace (its `traceparent`), inside a
 * server span named after the method and `route`, ended when the response is.
 */
export function traceRequests(route: string, attributes: Attributes = {}): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = trace.getTracer(TRACER).startSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, attributes: { ...attributes, 'http.request.method': req.method, 'http.route': route } }, parent);
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Whether the standard OTEL_* variables ask for traces to be exported over OTLP. */
export function tracingRequested(env: Environment): boolean {
  if (env['OTEL_SDK_DISABLED'] === 'true') return false;
  const exporter = env['OTEL_TRACES_EXPORTER'];
  if (exporter !== undefined && exporter !== '' && exporter !== 'otlp') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

export interface Tracing {
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider exporting over OTLP/HTTP when the standard OTEL_* variables ask for it
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_SERVICE_NAME, headers,
 * batching and sampling as the OpenTelemetry SDK reads them); nothing otherwise. Loaded lazily, so a
 * process without tracing never loads the SDK.
 */
export async function startTracing(env: Environment, serviceName: string): Promise<Tracing | undefined> {
  if (!tracingRequested(env)) return undefined;
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global tracer provider, AsyncLocalStorage context and W3C trace-context propagator.
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
