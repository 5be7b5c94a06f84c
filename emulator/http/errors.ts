import { randomUUID } from 'node:crypto';
import { json, type Reply, type ServiceName } from './router.js';

/**
 * Error bodies exactly as each Microsoft service shapes them, so SDKs parse them into their usual errors:
 * - login (Entra): { error, error_description: "AADSTSnnn: ...", error_codes: [nnn], timestamp, trace_id, correlation_id, error_uri }
 * - ARM: { error: { code, message } }
 * - Graph: { error: { code, message, innerError: { date, request-id, client-request-id } } }
 * - Partner Center: { code, description, data: [], source: "PartnerFD" }
 */
export function aadError(status: number, error: string, aadsts: number, message: string, extra: Record<string, unknown> = {}): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const ts = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${aadsts}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
    error_codes: [aadsts],
    timestamp: ts,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    ...extra,
  });
}

export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error: { code, message } }, { 'x-ms-request-id': randomUUID(), 'x-ms-correlation-request-id': randomUUID(), ...headers });
}

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}, clientRequestId?: string): Reply {
  const requestId = randomUUID();
  return json(
    status,
    { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId } } },
    { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId, ...headers },
  );
}

export function partnerCenterError(status: number, code: number, description: string, headers: Record<string, string> = {}): Reply {
  return json(status, { code, description, data: [], source: 'PartnerFD' }, { 'MS-CorrelationId': randomUUID(), 'MS-RequestId': randomUUID(), ...headers });
}

/** The generic errors the infrastructure needs for any service: not found, method not allowed, throttled, unavailable. */
export function serviceError(service: ServiceName, kind: 'notFound' | 'methodNotAllowed' | 'throttled' | 'unavailable' | 'badRequest', message: string, headers: Record<string, string> = {}): Reply {
  const status = { notFound: 404, methodNotAllowed: 405, throttled: 429, unavailable: 503, badRequest: 400 }[kind];
  switch (service) {
    case 'arm': {
      const code = { notFound: 'NotFound', methodNotAllowed: 'MethodNotAllowed', throttled: 'TooManyRequests', unavailable: 'ServiceUnavailable', badRequest: 'BadRequest' }[kind];
      return armError(status, code, message, headers);
    }
    case 'graph': {
      const code = { notFound: 'Request_ResourceNotFound', methodNotAllowed: 'Request_BadRequest', throttled: 'TooManyRequests', unavailable: 'serviceNotAvailable', badRequest: 'BadRequest' }[kind];
      return graphError(status, code, message, headers);
    }
    case 'partnerCenter':
      return partnerCenterError(status, { notFound: 600008, methodNotAllowed: 405, throttled: 429, unavailable: 503, badRequest: 400 }[kind], message, headers);
    case 'login': {
      const aad = { notFound: 900561, methodNotAllowed: 900561, throttled: 50196, unavailable: 90033, badRequest: 900144 }[kind];
      return aadError(status, kind === 'badRequest' ? 'invalid_request' : 'temporarily_unavailable', aad, message, {});
    }
    default:
      return json(status, { error: kind, message }, headers);
  }
}
