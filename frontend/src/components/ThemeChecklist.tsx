import type { components } from '../api/schema';

type Theme = components['schemas']['ThemeResponse'];

interface ThemeChecklistProps {
  /** Prefix of the checkboxes' ids: `${idPrefix}-${code}`. */
  idPrefix: string;
  legend: string;
  themes: Theme[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  error?: string;
}

/** A fieldset of checkboxes, one per training theme. */
export function ThemeChecklist({ idPrefix, legend, themes, chosen, onChange, error }: ThemeChecklistProps) {
  const errorId = `${idPrefix}-errore`;
  return (
    <fieldset className="mb-4" aria-describedby={error ? errorId : undefined}>
      <legend className="h6">{legend}</legend>
      {error && (
        <p id={errorId} className="text-danger">
          {error}
        </p>
      )}
      <div className="row">
        {themes.map((t) => (
          <div className="col-md-6 form-check" key={t.code}>
            <input
              id={`${idPrefix}-${t.code}`}
              type="checkbox"
              checked={chosen.includes(t.code)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, t.code] : chosen.filter((c) => c !== t.code))}
            />
            <label htmlFor={`${idPrefix}-${t.code}`}>{t.name}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
