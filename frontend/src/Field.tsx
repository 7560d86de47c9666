import type { ChangeEvent } from 'react';
import { Input } from 'design-react-kit';

interface FieldProps {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'search' | 'number' | 'date';
  value: string;
  onChange: (value: string) => void;
  /** The API's message for this field, shown under it and announced to screen readers. */
  error?: string;
  autoComplete?: string;
  required?: boolean;
}

/** A labelled input that shows the problem+json message the API gave for its field. */
export function Field({ id, label, type = 'text', value, onChange, error, autoComplete, required }: FieldProps) {
  return (
    <Input
      id={id}
      // The kit's number widget adds unlabeled +/- buttons (an axe failure): a text field
      // with a numeric keyboard instead.
      type={type === 'number' ? 'text' : type}
      inputMode={type === 'number' ? 'numeric' : undefined}
      label={label}
      value={value}
      autoComplete={autoComplete}
      required={required}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      valid={error ? false : undefined}
      validationText={error}
      aria-invalid={error ? true : undefined}
    />
  );
}
