import { useState, type FormEvent, type ReactNode } from 'react';
import { Button } from 'design-react-kit';
import { asProblem, explainEmpty, fieldError, type Problem } from '../api/client';
import { fieldLabel } from '../fields';
import { Outcome, type Input } from './ErrorAlert';
import { useForm } from './Page';

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * A form that writes to the API: its text values, the problem the API answered, the message
 * of the last success, and for each input the props that tie it to its API field — the
 * value, the setter, the Italian label (fields.ts, or the screen's own word in `labels`) and
 * the API's message for it.
 */
export function useApiForm<F extends Record<string, string>>(initial: F, idPrefix: string, labels: Record<string, string> = {}) {
  const { form, set, setForm } = useForm(initial);
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<ReactNode>();
  const shown: Record<string, Input> = {};
  // The form's key behind each API field, to tell which were sent empty.
  const keys: Record<string, keyof F & string> = {};

  /** Props for the input of `key`, whose errors the API reports as `field` (the key itself by default). */
  function field(key: keyof F & string, apiField: string = key) {
    const id = `${idPrefix}-${key.replace(/_/g, '-')}`;
    const label = fieldLabel(apiField, labels);
    shown[apiField] = { id, label };
    keys[apiField] = key;
    return { id, label, value: form[key], onChange: set(key), error: fieldError(problem, apiField) };
  }

  /** The API's message for an input the form lays out itself (a checklist): `id` is where the list's link goes. */
  function error(apiField: string, id: string): string | undefined {
    shown[apiField] = { id, label: fieldLabel(apiField, labels) };
    return fieldError(problem, apiField);
  }

  /** Sends a request; on success shows `message(data)`, forgets the problem and returns the data. */
  async function send<T>(request: Promise<Answer<T>>, message: (data: T) => ReactNode): Promise<T | undefined> {
    const { data, error, response } = await request;
    if (data === undefined) {
      const isEmpty = (apiField: string) => {
        const key = keys[apiField] ?? (apiField in form ? apiField : undefined);
        return key !== undefined && form[key].trim() === '';
      };
      setProblem(explainEmpty(asProblem(error, response.status), isEmpty));
      return undefined;
    }
    setProblem(undefined);
    setDone(message(data));
    return data;
  }

  /** What the form's ErrorAlert needs: the problem, and the inputs that show their own messages. */
  const alert = () => ({ problem, inputs: shown, names: labels });

  return { form, set, setForm, problem, setProblem, done, setDone, field, error, send, alert };
}

export type ApiForm = ReturnType<typeof useApiForm>;

interface FormSectionProps {
  form: Pick<ApiForm, 'done' | 'alert'>;
  /** The id of the section's heading. */
  id: string;
  title: ReactNode;
  submitLabel: string;
  onSubmit: () => void;
  children: ReactNode;
}

/** "Nuova sede" and the like: a heading, the outcome of the last submission, the form. */
export function FormSection({ form, id, title, submitLabel, onSubmit, children }: FormSectionProps) {
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <section aria-labelledby={id} className="mt-5">
      <h2 id={id} className="h4">
        {title}
      </h2>
      <Outcome done={form.done} {...form.alert()} />
      <form onSubmit={submit} noValidate className="mt-5">
        {children}
        <Button color="primary" type="submit">
          {submitLabel}
        </Button>
      </form>
    </section>
  );
}
