import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { PagedTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/Page';
import { ReferenceSelect, SelectField } from '../../components/SelectField';
import { Field } from '../../Field';
import { count, when } from '../../format';
import { ROLE, optionsOf, type Role } from '../../labels';

/** Accounts and their roles. Admin. */
export function Users() {
  const users = usePagedList('/users');
  const { form, set } = useForm({ email: '', full_name: '', password: '', role: 'referente', comune: '', provider: '' });
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<string>();
  const role = form.role as Role;
  const needsComune = role === 'referente' || role === 'employee';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data, error, response } = await api.POST('/users', {
      body: {
        email: form.email,
        full_name: form.full_name,
        password: form.password,
        role,
        ...(needsComune ? { comune_istat_code: form.comune } : {}),
        ...(role === 'provider' ? { provider_id: Number(form.provider) } : {}),
      },
    });
    if (data) {
      setCreated(`Utente ${data.email} creato.`);
      setProblem(undefined);
      users.reload();
    } else setProblem(asProblem(error, response.status));
  }

  return (
    <>
      <h1 className="mb-4">Utenti</h1>
      <PagedTable
        list={users}
        count={(n) => count(n, 'utente', 'utenti')}
        caption="Utenti"
        captionHidden
        size="sm"
        rowKey={(u) => u.id}
        columns={[
          { header: 'Nome', rowHeader: true, cell: (u) => u.full_name },
          { header: 'E-mail', cell: (u) => u.email },
          {
            header: 'Ruolo',
            cell: (u) => (
              <>
                {ROLE[u.role]} {!u.active && <Badge color="secondary">disattivato</Badge>}
              </>
            ),
          },
          { header: 'Ultimo accesso', cell: (u) => when(u.last_login_at) },
        ]}
      />
      <section aria-labelledby="nuovo-utente" className="mt-5">
        <h2 id="nuovo-utente" className="h4">
          Nuovo utente
        </h2>
        {created && <Alert color="success">{created}</Alert>}
        <ErrorAlert problem={problem} fields={['email', 'full_name', 'password', 'role', 'comune_istat_code', 'provider_id']} />
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
            <SelectField
              id="utente-ruolo"
              label="Ruolo"
              className="col-md-6 mb-4"
              value={form.role}
              onChange={set('role')}
              options={optionsOf(ROLE)}
              error={fieldError(problem, 'role')}
              required
            />
            {needsComune && (
              <ReferenceSelect
                source="comuni"
                id="utente-comune"
                label="Comune"
                className="col-md-6 mb-4"
                value={form.comune}
                onChange={set('comune')}
                error={fieldError(problem, 'comune_istat_code')}
                required
              />
            )}
            {role === 'provider' && (
              <ReferenceSelect
                source="providers"
                id="utente-ente"
                label="Ente formatore"
                className="col-md-6 mb-4"
                value={form.provider}
                onChange={set('provider')}
                error={fieldError(problem, 'provider_id')}
                required
              />
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
