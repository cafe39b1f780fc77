import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultAnswers, FaultInjector, FaultPlan } from '../shared/faults.ts';
import { classifyS3Operation } from './classify-operation.ts';
import { deleteObjectsRecords } from './delete-objects-events.ts';
import { CONTROL_PREFIX, handleControlRequest } from './emulator-control.ts';
import { forwardToBackend, type Backend, type ForwardOptions } from './forward-to-backend.ts';
import { v1ListingRequestFor, v2ListingFromV1 } from './list-objects-v2.ts';
import type { RecordingRequestCounter } from '../shared/request-counter.ts';
import type { S3rverRecord } from './s3-event-record.ts';
import { sendS3Error, type S3ErrorReply } from './s3-error.ts';
import { s3FaultAnswers } from './fault-answers.ts';
import type { SnsTopic } from './sns-topic.ts';
import { checkContentSha256, declaredContentSha256, readBody } from './verify-content-sha256.ts';
import { verifyRequestSignature, type ExpectedIdentity } from './verify-signature.ts';

export interface RequestHandlerContext {
  readonly backend: Backend;
  readonly counter: RecordingRequestCounter;
  readonly identity: ExpectedIdentity;
  /** Event notifications: its endpoints live under the control prefix. */
  readonly sns: SnsTopic;
  /** Object events s3rver does not raise itself (DeleteObjects). */
  readonly objectEvent: (record: S3rverRecord) => void;
  readonly faults: FaultInjector;
}

/** PUT (PutObject, CopyObject, CreateBucket), POST (DeleteObjects) and DELETE change state. */
const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE']);

/**
 * The proxy's request listener: emulator endpoints first; every S3 request is counted (refused ones
 * too, as S3 bills and logs them), its signature checked, its body checked against a declared
 * `x-amz-content-sha256` (see verify-content-sha256.ts), then handed to s3rver.
 */
export function createRequestHandler(context: RequestHandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res, context).catch(() => {
      if (!res.headersSent) {
        sendS3Error(res, { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' });
      } else {
        res.destroy();
      }
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, { backend, counter, identity, sns, objectEvent, faults }: RequestHandlerContext): Promise<void> {
  if (req.url?.startsWith(CONTROL_PREFIX)) {
    await handleControlRequest(req, res, { counter, sns, faults });
    return;
  }

  const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headersDistinct };
  const operation = classifyS3Operation({ ...request, headers: req.headers });
  counter.record(operation);

  const plan = faults.plan(operation, { write: WRITE_METHODS.has(request.method.toUpperCase()) });
  const answers = s3FaultAnswers();
  if (!(await faults.intercept(req, res, plan, answers))) return;
  const refusal = await verifyRequestSignature(request, identity);
  if (refusal) {
    refuse(req, res, refusal, { faults, plan, answers });
    return;
  }

  // After the signature, as S3 does: a body that does not hash to the signed header is never stored.
  const declaredSha256 = declaredContentSha256(req.headers);
  const body = declaredSha256 === undefined ? undefined : await readBody(req);
  if (declaredSha256 !== undefined && body !== undefined) {
    const mismatch = checkContentSha256(declaredSha256, body);
    if (mismatch) {
      refuse(req, res, mismatch, { faults, plan, answers });
      return;
    }
  }

  // Under fail-after-commit, s3rver carries the request out; its answer is replaced.
  const forward = (options: ForwardOptions = {}): void => {
    const withBody = body === undefined ? options : { ...options, body };
    forwardToBackend(req, res, backend, plan.afterCommit === 'none' ? withBody : { ...withBody, replaceAnswer: () => faults.commit(req, res, plan, answers, () => {}) });
  };

  if (operation === 'DeleteObjects') {
    forward({
      rewriteOkBody: (resultXml) => {
        for (const record of deleteObjectsRecords(request.url, resultXml)) objectEvent(record);
        return resultXml;
      },
    });
    return;
  }
  if (operation !== 'ListObjectsV2') {
    forward();
    return;
  }
  const listing = v1ListingRequestFor(request.url);
  if ('status' in listing) {
    refuse(req, res, listing, { faults, plan, answers });
    return;
  }
  forward({
    target: listing.target,
    rewriteOkBody: (v1Xml) => v2ListingFromV1(v1Xml, listing),
  });
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  error: S3ErrorReply,
  { faults, plan, answers }: { faults: FaultInjector; plan: FaultPlan; answers: FaultAnswers },
): void {
  req.resume(); // drain an unread upload so the connection stays usable
  faults.commit(req, res, plan, answers, () => sendS3Error(res, error));
}
