import { Alert } from 'design-react-kit';
import type { FieldError, Problem } from '../api/client';

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

/** Where an error is: "riga 3, campo nome", "campo pec", "parametro q". */
export function errorPlace(error: FieldError, names: Record<string, string> = {}): string | undefined {
  if (error.parameter) return `parametro «${names[error.parameter] ?? error.parameter}»`;
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
      parts.push(`campo «${names[segment] ?? segment}»`);
    }
  }
  return parts.join(', ');
}

/** Whether an error is about one of these fields (a JSON pointer or a query parameter). */
export function isAbout(error: FieldError, field: string): boolean {
  return error.pointer === `#/${field}` || error.parameter === field;
}

interface ErrorAlertProps {
  problem?: Problem;
  /** Fields whose messages the form shows next to them: not repeated in the list. */
  fields?: readonly string[];
  /** Italian names of fields, for the list. */
  names?: Record<string, string>;
  /** What failed, where the screen knows better than the status ("Accesso non riuscito"). */
  title?: string;
  className?: string;
}

/**
 * An API problem (RFC 9457) in Italian: what went wrong and, for each invalid field or
 * row, where and why. Announced to screen readers as an alert.
 */
export function ErrorAlert({ problem, fields = [], names, title, className }: ErrorAlertProps) {
  if (!problem) return null;
  const listed = (problem.errors ?? []).filter((e) => !fields.some((f) => isAbout(e, f)));
  return (
    // No fade-in: an alert is there, whole, the moment it is announced.
    <Alert color="danger" role="alert" className={className} fade={false}>
      <strong className="d-block">{title ?? TITLES[problem.status] ?? problem.title}</strong>
      {problem.detail}
      {listed.length > 0 && (
        <ul className="mb-0 mt-2">
          {listed.map((e, i) => {
            const place = errorPlace(e, names);
            return <li key={`${e.pointer ?? e.parameter ?? ''}-${i}`}>{place ? `${place}: ${e.detail}` : e.detail}</li>;
          })}
        </ul>
      )}
    </Alert>
  );
}
