import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { Field } from '../../Field';
import { day } from '../../download';

type Provider = components['schemas']['ProviderResponse'];
type Theme = components['schemas']['ThemeResponse'];

/** Training providers: the network, their qualification and themes. Admin. */
export function Providers() {
  const [providers, setProviders] = useState<Provider[]>([]);
  const [themes, setThemes] = useState<Theme[]>([]);
  const [form, setForm] = useState({ name: '', tax_code: '', email: '', qualified_until: '' });
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<string>();

  const load = useCallback(() => {
    api.GET('/providers', { params: { query: { limit: 200 } } }).then(({ data }) => data && setProviders(data.items));
  }, []);
  useEffect(() => {
    load();
    api.GET('/themes').then(({ data }) => data && setThemes(data.items));
  }, [load]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/providers', {
      body: {
        name: form.name,
        tax_code: form.tax_code,
        themes: chosen,
        qualification_status: 'qualified',
        ...(form.email ? { email: form.email } : {}),
        ...(form.qualified_until ? { qualified_until: form.qualified_until } : {}),
      },
    });
    if (data) {
      setCreated(`Ente «${data.name}» registrato.`);
      setProblem(undefined);
      setForm({ name: '', tax_code: '', email: '', qualified_until: '' });
      setChosen([]);
      load();
    } else setProblem(asProblem(error, response.status));
  }

  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <>
      <h1 className="mb-4">Enti formatori</h1>
      <Table responsive size="sm">
        <caption>{providers.length} enti</caption>
        <thead>
          <tr>
            <th scope="col">Ente</th>
            <th scope="col">Codice fiscale</th>
            <th scope="col">Qualificazione</th>
            <th scope="col">Temi</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>{p.tax_code}</td>
              <td>
                <Badge color={p.qualified ? 'success' : 'secondary'}>{p.qualified ? 'Qualificato' : p.qualification_status}</Badge>
                {p.qualified_until && ` fino al ${day(p.qualified_until)}`}
              </td>
              <td>{p.themes.length}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <section aria-labelledby="nuovo-ente" className="mt-5">
        <h2 id="nuovo-ente" className="h4">
          Nuovo ente
        </h2>
        {created && <Alert color="success">{created}</Alert>}
        {problem && <Alert color="danger">{problem.detail}</Alert>}
        <form onSubmit={submit} noValidate className="mt-5">
          <div className="row">
            <div className="col-md-6">
              <Field id="ente-nome" label="Denominazione" value={form.name} onChange={set('name')} error={fieldError(problem, 'name')} required />
            </div>
            <div className="col-md-6">
              <Field id="ente-cf" label="Codice fiscale o partita IVA" value={form.tax_code} onChange={set('tax_code')} error={fieldError(problem, 'tax_code')} required />
            </div>
            <div className="col-md-6">
              <Field id="ente-email" label="E-mail" type="email" value={form.email} onChange={set('email')} error={fieldError(problem, 'email')} />
            </div>
            <div className="col-md-6">
              <Field id="ente-scadenza" label="Qualificato fino al" type="date" value={form.qualified_until} onChange={set('qualified_until')} error={fieldError(problem, 'qualified_until')} />
            </div>
          </div>
          <fieldset className="mb-4">
            <legend className="h6">Temi per cui è qualificato</legend>
            <div className="row">
              {themes.map((t) => (
                <div className="col-md-6 form-check" key={t.code}>
                  <input
                    id={`ente-tema-${t.code}`}
                    type="checkbox"
                    checked={chosen.includes(t.code)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, t.code] : chosen.filter((c) => c !== t.code))}
                  />
                  <label htmlFor={`ente-tema-${t.code}`}>{t.name}</label>
                </div>
              ))}
            </div>
          </fieldset>
          <Button color="primary" type="submit">
            Registra l'ente
          </Button>
        </form>
      </section>
    </>
  );
}
