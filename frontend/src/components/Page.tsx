import { useCallback, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';

/** "Per … occorre accedere.": what an anonymous visitor sees of a reserved screen. */
export function SignInPrompt({ purpose }: { purpose?: string }) {
  return (
    <p>
      {purpose ? `${purpose} occorre` : 'Occorre'} <Link to="/accesso">accedere</Link>.
    </p>
  );
}

export interface Crumb {
  to: string;
  label: ReactNode;
}

/** The way back up: the parent screens, outermost first, then this one. */
export function Breadcrumbs({ parent, current }: { parent: Crumb | Crumb[]; current: ReactNode }) {
  const parents = Array.isArray(parent) ? parent : [parent];
  return (
    <nav aria-label="Percorso" className="breadcrumb-container">
      <ol className="breadcrumb flex-wrap">
        {parents.map((p) => (
          <li className="breadcrumb-item" key={p.to}>
            <Link to={p.to}>{p.label}</Link>
            <span className="separator" aria-hidden="true">
              /
            </span>
          </li>
        ))}
        <li className="breadcrumb-item active" aria-current="page">
          {current}
        </li>
      </ol>
    </nav>
  );
}

/** A form's text values, and a setter per field that never writes over another field. */
export function useForm<F extends Record<string, string>>(initial: F) {
  const [form, setForm] = useState(initial);
  const set = useCallback((key: keyof F) => (value: string) => setForm((f) => ({ ...f, [key]: value }) as F), []);
  return { form, set, setForm };
}
