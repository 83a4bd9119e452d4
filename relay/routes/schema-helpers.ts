/** Response-schema helpers: every route declares its success body and the error body. */
import type { TSchema } from '@sinclair/typebox';
import { ErrorBody } from '../../shared/protocol';

/** `{ [status]: schema, 4xx: ErrorBody, 5xx: ErrorBody }` */
export function responses<T extends Record<number, TSchema>>(ok: T) {
  return { ...ok, '4xx': ErrorBody, '5xx': ErrorBody };
}

/** Marks a route as needing a bearer token in the OpenAPI document. */
export const bearer = [{ bearer: [] as string[] }];
