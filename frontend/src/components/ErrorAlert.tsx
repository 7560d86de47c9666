import { Alert } from 'design-react-kit';
import type { ReactNode } from 'react';
import type { FieldError, Problem } from '../api/client';
import { fieldLabel } from '../fields';

/** Italian titles for the statuses a problem comes with (the API's titles are HTTP's English). */
const TITLES: Record<number, string> = {
  0: 'Servizio non raggiungibile',
  400: 'Richiesta non valida',
  401: 'Accesso necessario',
  403: 'Operazione non consentita',
  404: 'Non trovato',
  409: 'Operazione in conflitto',
  412: 'Dati modificati nel frattempo',
  413: 'Contenuto troppo grande',
  415: 'Formato non accettato',
  422: 'Dati da correggere',
  428: 'Versione dei dati mancante',
  429: 'Troppe richieste',
  500: 'Errore del servizio',
  503: 'Servizio non disponibile',
};

/**
 * Where an error is, in Italian: "riga 3, campo «Nome»", "campo «Tema»", "parametro
 * «Risultati per pagina»". `names` are the screen's own words, before the shared ones.
 */
export function errorPlace(error: FieldError, names: Record<string, string> = {}): string | undefined {
  if (error.parameter) return `parametro «${fieldLabel(error.parameter, names)}»`;
  const path = error.pointer?.replace(/^#\/?/, '');
  if (!path) return undefined;
  const parts: string[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const next = segments[i + 1];
    if (segment === 'rows' && next !== undefined && /^\d+$/.test(next)) {
      parts.push(`riga ${next}`);
      i++;
    } else if (/^\d+$/.test(segment)) {
      parts.push(`n. ${Number(segment) + 1}`);
    } else {
      parts.push(`campo «${fieldLabel(segment, names)}»`);
    }
  }
  return parts.join(', ');
}

/** Whether an error is about one of these fields (a JSON pointer or a query parameter). */
export function isAbout(error: FieldError, field: string): boolean {
  return error.pointer === `#/${field}` || error.parameter === field;
}

/** An input of the form: where a link in the list takes the focus, and what it is called. */
export interface Input {
  id: string;
  label: string;
}

interface ErrorAlertProps {
  problem?: Problem;
  /**
   * The inputs that show their own message, by API field: the list names each by its label
   * and links to it (an error summary), so nobody has to hunt for what to correct.
   */
  inputs?: Record<string, Input>;
  /** Fields whose messages the screen shows elsewhere: not repeated in the list. */
  fields?: readonly string[];
  /** The screen's Italian names of fields, where they differ from the shared ones (fields.ts). */
  names?: Record<string, string>;
  /** What failed, where the screen knows better than the status ("Accesso non riuscito"). */
  title?: string;
  className?: string;
}

/**
 * An API problem (RFC 9457) in Italian: what went wrong and, for each invalid field or
 * row, where and why. Announced to screen readers as an alert.
 */
export function ErrorAlert({ problem, inputs = {}, fields = [], names, title, className }: ErrorAlertProps) {
  if (!problem) return null;
  const listed = (problem.errors ?? []).filter((e) => !fields.some((f) => isAbout(e, f)));
  const inputOf = (e: FieldError) => Object.entries(inputs).find(([field]) => isAbout(e, field))?.[1];
  return (
    // No fade-in: an alert is there, whole, the moment it is announced.
    <Alert color="danger" role="alert" className={className} fade={false}>
      <strong className="d-block">{title ?? TITLES[problem.status] ?? problem.title}</strong>
      {problem.detail}
      {listed.length > 0 && (
        <ul className="mb-0 mt-2">
          {listed.map((e, i) => {
            const input = inputOf(e);
            const place = errorPlace(e, names);
            return (
              <li key={`${e.pointer ?? e.parameter ?? ''}-${i}`}>
                {input ? (
                  <>
                    <a
                      href={`#${input.id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(input.id)?.focus();
                      }}
                    >
                      {input.label}
                    </a>
                    : {e.detail}
                  </>
                ) : place ? (
                  `${place}: ${e.detail}`
                ) : (
                  e.detail
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Alert>
  );
}

/**
 * A success or a notice, announced politely: a live region that is always there (so that
 * what appears in it is read), shown as an alert box of `color` while it has something to
 * say. (The kit's Alert always says `role="alert"`, whatever it is given.)
 */
export function StatusAlert({ color = 'success', className, children }: { color?: string; className?: string; children?: ReactNode }) {
  return (
    <div role="status">
      {children && <div className={['alert', `alert-${color}`, className].filter(Boolean).join(' ')}>{children}</div>}
    </div>
  );
}

/**
 * What the last action came to: the success in words (announced politely), or the API's
 * problem (announced as an alert).
 */
export function Outcome({ done, problem, ...alert }: { done?: ReactNode } & ErrorAlertProps) {
  return (
    <>
      <StatusAlert>{done}</StatusAlert>
      <ErrorAlert problem={problem} {...alert} />
    </>
  );
}
