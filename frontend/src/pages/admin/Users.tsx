import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Table } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ROLE_LABELS } from '../../auth';
import { Field } from '../../Field';
import { when } from '../../download';

type User = components['schemas']['UserResponse'];
type Comune = components['schemas']['ComuneResponse'];
type Provider = components['schemas']['ProviderResponse'];
type Role = User['role'];

/** Accounts and their roles. Admin. */
export function Users() {
  const [users, setUsers] = useState<User[]>([]);
  const [comuni, setComuni] = useState<Comune[]>([]);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [form, setForm] = useState({ email: '', full_name: '', password: '', role: 'referente' as Role, comune: '', provider: '' });
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<string>();

  const load = useCallback(() => {
    api.GET('/users', { params: { query: { limit: 200 } } }).then(({ data }) => data && setUsers(data.items));
  }, []);
  useEffect(() => {
    load();
    api.GET('/comuni', { params: { query: { limit: 200 } } }).then(({ data }) => data && setComuni(data.items));
    api.GET('/providers', { params: { query: { limit: 200 } } }).then(({ data }) => data && setProviders(data.items));
  }, [load]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const needsComune = form.role === 'referente' || form.role === 'employee';
    const { data, error, response } = await api.POST('/users', {
      body: {
        email: form.email,
        full_name: form.full_name,
        password: form.password,
        role: form.role,
        ...(needsComune ? { comune_istat_code: form.comune || comuni[0]?.istat_code } : {}),
        ...(form.role === 'provider' ? { provider_id: Number(form.provider || providers[0]?.id) } : {}),
      },
    });
    if (data) {
      setCreated(`Utente ${data.email} creato.`);
      setProblem(undefined);
      load();
    } else setProblem(asProblem(error, response.status));
  }

  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <>
      <h1 className="mb-4">Utenti</h1>
      <Table responsive size="sm">
        <caption>{users.length} utenti</caption>
        <thead>
          <tr>
            <th scope="col">Nome</th>
            <th scope="col">E-mail</th>
            <th scope="col">Ruolo</th>
            <th scope="col">Ultimo accesso</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.full_name}</th>
              <td>{u.email}</td>
              <td>
                {ROLE_LABELS[u.role]} {!u.active && <Badge color="secondary">disattivato</Badge>}
              </td>
              <td>{when(u.last_login_at)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <section aria-labelledby="nuovo-utente" className="mt-5">
        <h2 id="nuovo-utente" className="h4">
          Nuovo utente
        </h2>
        {created && <Alert color="success">{created}</Alert>}
        {problem && <Alert color="danger">{problem.detail}</Alert>}
        <form onSubmit={submit} noValidate className="mt-5">
          <div className="row">
            <div className="col-md-6">
              <Field id="utente-nome" label="Nome e cognome" value={form.full_name} onChange={set('full_name')} error={fieldError(problem, 'full_name')} required />
            </div>
            <div className="col-md-6">
              <Field id="utente-email" label="E-mail" type="email" value={form.email} onChange={set('email')} error={fieldError(problem, 'email')} required />
            </div>
            <div className="col-md-6">
              <Field id="utente-password" label="Password iniziale" type="password" value={form.password} onChange={set('password')} error={fieldError(problem, 'password')} autoComplete="new-password" required />
            </div>
            <div className="col-md-6 select-wrapper mb-4">
              <label htmlFor="utente-ruolo">Ruolo</label>
              <select id="utente-ruolo" value={form.role} onChange={(e) => set('role')(e.target.value)}>
                {(Object.keys(ROLE_LABELS) as Role[]).map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            {(form.role === 'referente' || form.role === 'employee') && (
              <div className="col-md-6 select-wrapper mb-4">
                <label htmlFor="utente-comune">Comune</label>
                <select id="utente-comune" value={form.comune} onChange={(e) => set('comune')(e.target.value)}>
                  {comuni.map((c) => (
                    <option key={c.istat_code} value={c.istat_code}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {form.role === 'provider' && (
              <div className="col-md-6 select-wrapper mb-4">
                <label htmlFor="utente-ente">Ente formatore</label>
                <select id="utente-ente" value={form.provider} onChange={(e) => set('provider')(e.target.value)}>
                  {providers.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          <Button color="primary" type="submit">
            Crea l'utente
          </Button>
        </form>
      </section>
    </>
  );
}
