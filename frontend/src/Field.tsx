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
  /** One line under the field about what it is for (read with it by screen readers). */
  hint?: string;
  /** Numbers with decimals: the phone offers a keyboard with the comma. */
  decimals?: boolean;
  /** The grid column it takes in a form's row ("col-md-6"). */
  className?: string;
}

/** A labelled input that shows the problem+json message the API gave for its field. */
export function Field({ className, ...props }: FieldProps) {
  return className ? (
    <div className={className}>
      <LabelledInput {...props} />
    </div>
  ) : (
    <LabelledInput {...props} />
  );
}

function LabelledInput({ id, label, type = 'text', value, onChange, error, autoComplete, required, hint, decimals }: Omit<FieldProps, 'className'>) {
  return (
    <Input
      id={id}
      // The kit's number widget adds unlabeled +/- buttons (an axe failure): a text field
      // with a numeric keyboard instead.
      type={type === 'number' ? 'text' : type}
      inputMode={type === 'number' ? (decimals ? 'decimal' : 'numeric') : undefined}
      infoText={hint}
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
