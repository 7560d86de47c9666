import { useEffect } from 'react';
import { useReference, type ReferenceSource } from '../api/reference';

export interface Option {
  value: string | number;
  label: string;
}

export interface SelectFieldProps {
  id: string;
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  options: Option[];
  /** A first option with the empty value ("Tutti i temi"); without it the first option is chosen. */
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  /** The API's message for this field: the select is marked invalid and described by it. */
  error?: string;
  /** A small select whose label is read but not shown (in a table's cell). */
  compact?: boolean;
  /** Classes of the wrapper (grid columns, margins). */
  className?: string;
}

/** A labelled select in Bootstrap Italia's markup, with required and invalid states. */
export function SelectField({ id, label, value, onChange, options, placeholder, required, disabled, error, compact, className }: SelectFieldProps) {
  // Without a placeholder what the select shows is what the form holds: the first option.
  const first = options[0]?.value;
  useEffect(() => {
    if (placeholder === undefined && value === '' && first !== undefined) onChange(String(first));
  }, [placeholder, value, first, onChange]);

  const errorId = `${id}-errore`;
  const select = (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required={required}
      disabled={disabled}
      className={[compact && 'form-select form-select-sm', error && 'is-invalid'].filter(Boolean).join(' ') || undefined}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  return (
    <div className={[compact ? undefined : 'select-wrapper', className].filter(Boolean).join(' ') || undefined}>
      <label htmlFor={id} className={compact ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {select}
      {error && (
        <div id={errorId} className="invalid-feedback d-block">
          {error}
        </div>
      )}
    </div>
  );
}

export interface ReferenceSelectProps extends Omit<SelectFieldProps, 'options'> {
  /** The reference data offered: themes, office areas, comuni, providers, venues. */
  source: ReferenceSource;
}

/** A select of reference data, loaded (every page of it) from the API. */
export function ReferenceSelect({ source, ...props }: ReferenceSelectProps) {
  const { options } = useReference(source);
  return <SelectField {...props} options={options} />;
}
