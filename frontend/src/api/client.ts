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

/**
 * A problem as the person reads it: a field left empty that needed a value is "campo
 * obbligatorio", not the rule the empty value broke ("da 1 a 2000 caratteri", "il codice
 * ISTAT è composto da 6 cifre"). `isEmpty` says which fields (as the API names them) the
 * form sent empty; fields it does not know are left as they are.
 */
export function explainEmpty(problem: Problem, isEmpty: (field: string) => boolean): Problem {
  if (!problem.errors) return problem;
  const errors = problem.errors.map((e) => {
    const field = e.pointer?.replace(/^#\//, '') ?? e.parameter;
    return field && isEmpty(field) ? { ...e, detail: 'campo obbligatorio' } : e;
  });
  return { ...problem, errors };
}
