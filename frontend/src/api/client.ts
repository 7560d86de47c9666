// The typed API client: types come from openapi/openapi.json (npm run generate-api).
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];

const TOKEN_KEY = 'cabina.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

const authorization: Middleware = {
  onRequest({ request }) {
    const token = storedToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '/api/v1' });
api.use(authorization);

/** The message for a field named by a problem's JSON pointer (e.g. `#/email`). */
export function fieldError(problem: Problem | undefined, field: string): string | undefined {
  return problem?.errors?.find((e) => e.pointer === `#/${field}` || e.parameter === field)?.detail;
}

/** Turns whatever an API call failed with into a problem to show. */
export function asProblem(error: unknown, status: number): Problem {
  if (error && typeof error === 'object' && 'title' in error && 'detail' in error) return error as Problem;
  return { type: 'about:blank', title: 'Errore', status, detail: 'Il servizio non ha risposto come previsto.' };
}

/** The API's length rule for a required text ("da 1 a 200 caratteri"). */
const REQUIRED_LENGTH = /^da 1 a [\d.]+ caratteri$/;

/**
 * A problem as the person reads it: a required text left empty is "campo obbligatorio",
 * not the length rule it broke ("da 1 a 2000 caratteri"). `isEmpty` says which fields
 * (as the API names them) the form sent empty.
 */
export function explainEmpty(problem: Problem, isEmpty: (field: string) => boolean): Problem {
  if (!problem.errors) return problem;
  const errors = problem.errors.map((e) => {
    const field = e.pointer?.replace(/^#\//, '') ?? e.parameter;
    return field && REQUIRED_LENGTH.test(e.detail) && isEmpty(field) ? { ...e, detail: 'campo obbligatorio' } : e;
  });
  return { ...problem, errors };
}
