import { Badge } from 'design-react-kit';
import { api } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { FormSection, useApiForm } from '../../components/ApiForm';
import { RecordTable } from '../../components/DataTable';
import { ReferenceSelect, SelectField } from '../../components/SelectField';
import { Field } from '../../Field';
import { when } from '../../format';
import { ROLE, optionsOf, type Role } from '../../labels';

/** Accounts and their roles. Admin. */
export function Users() {
  const users = usePagedList('/users');
  const f = useApiForm({ email: '', full_name: '', password: '', role: 'referente', comune_istat_code: '', provider_id: '' }, 'utente', {
    password: 'Password iniziale',
  });
  const { form } = f;
  const role = form.role as Role;
  const needsComune = role === 'referente' || role === 'employee';

  async function submit() {
    const body = {
      email: form.email,
      full_name: form.full_name,
      password: form.password,
      role,
      ...(needsComune ? { comune_istat_code: form.comune_istat_code } : {}),
      ...(role === 'provider' ? { provider_id: Number(form.provider_id) } : {}),
    };
    if (await f.send(api.POST('/users', { body }), (u) => `Utente ${u.email} creato.`)) users.reload();
  }

  return (
    <>
      <h1 className="mb-4">Utenti</h1>
      <RecordTable
        list={users}
        noun={['utente', 'utenti']}
        caption="Utenti"
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
      <FormSection form={f} id="nuovo-utente" title="Nuovo utente" submitLabel="Crea l'utente" onSubmit={submit}>
        <div className="row">
          <Field {...f.field('full_name')} required className="col-md-6" />
          <Field {...f.field('email')} type="email" required className="col-md-6" />
          <Field {...f.field('password')} type="password" autoComplete="new-password" required className="col-md-6" />
          <SelectField {...f.field('role')} className="col-md-6 mb-4" options={optionsOf(ROLE)} required />
          {needsComune && <ReferenceSelect source="comuni" {...f.field('comune_istat_code')} className="col-md-6 mb-4" required />}
          {role === 'provider' && <ReferenceSelect source="providers" {...f.field('provider_id')} className="col-md-6 mb-4" required />}
        </div>
      </FormSection>
    </>
  );
}
