import { useState, type ChangeEvent } from 'react';
import { Alert, Button, Input } from 'design-react-kit';
import { uploadCsv, usePagedList, type ImportReportOf, type ItemOf } from '../api/collections';
import { api, asProblem, type Problem } from '../api/client';
import { useReference } from '../api/reference';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable, PagedTable } from '../components/DataTable';
import { ErrorAlert, StatusAlert } from '../components/ErrorAlert';
import { SignInPrompt } from '../components/Page';
import { SelectField } from '../components/SelectField';
import { download } from '../download';
import { count } from '../format';
import { JOB_PROFILE } from '../labels';

type ImportReport = ImportReportOf<'/employee-imports'>;
type Employee = ItemOf<'/employees'>;
type InvitationReport = components['schemas']['InvitationResponse'];
/** Whom an invitation goes to: one employee, or every active one of the comune. */
type Invitation = { comune: string; employee?: Employee };

/** Sends the chosen CSV to the import endpoint, as a dry run or for real. */
const sendImport = (file: File, dryRun: boolean) => uploadCsv('/employee-imports', { query: { dry_run: dryRun } }, file);

export function Employees() {
  const { user } = useAuth();
  const [q, setQ] = useState('');
  // The admin looks at one comune or all of them; a referente always at their own.
  const [chosenComune, setChosenComune] = useState('');
  const comune = user?.role === 'referente' ? (user.comune_istat_code ?? '') : chosenComune;
  const employees = usePagedList(
    '/employees',
    { ...(q.trim() ? { q: q.trim() } : {}), ...(chosenComune && user?.role === 'admin' ? { comune_istat_code: chosenComune } : {}) },
    { enabled: !!user },
  );
  const comuni = useReference('comuni', !!user);
  const areas = useReference('officeAreas', !!user);
  const comuneName = (code: string) => comuni.find(code)?.name ?? code;
  const canInvite = user?.role === 'admin' || user?.role === 'referente';
  const [inviting, setInviting] = useState<Invitation>();
  const [invitation, setInvitation] = useState<{ report: InvitationReport; comune: string }>();
  const [invitationProblem, setInvitationProblem] = useState<Problem>();
  const [sending, setSending] = useState(false);
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportReport>();
  const [result, setResult] = useState<ImportReport>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  if (!user) return <SignInPrompt purpose="Per gestire i dipendenti" />;

  async function check(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFile(chosen);
    setPreview(undefined);
    setResult(undefined);
    setProblem(undefined);
    if (!chosen) return;
    setBusy(true);
    const { report, problem } = await sendImport(chosen, true);
    setBusy(false);
    setPreview(report);
    setProblem(problem);
  }

  async function confirm() {
    if (!file) return;
    setBusy(true);
    const { report, problem } = await sendImport(file, false);
    setBusy(false);
    setResult(report);
    setProblem(problem);
    setPreview(undefined);
    employees.reload();
  }

  async function invite({ comune, employee }: Invitation) {
    setInviting(undefined);
    setInvitation(undefined);
    setInvitationProblem(undefined);
    setSending(true);
    const { data, error, response } = await api.POST('/invitations', {
      body: { comune_istat_code: comune, ...(employee ? { employee_ids: [employee.id] } : {}) },
    });
    setSending(false);
    if (data) {
      setInvitation({ report: data, comune });
      employees.reload();
    } else setInvitationProblem(asProblem(error, response.status));
  }

  return (
    <>
      <h1 className="mb-4">Dipendenti</h1>
      <section aria-labelledby="importa" className="mb-5">
        <h2 id="importa" className="h4">
          Importa da foglio di calcolo (CSV)
        </h2>
        <p>
          Colonne: codice_fiscale, nome, cognome, area, profilo; facoltative email, ruoli_sicurezza, classe_rischio,
          data_assunzione (gg/mm/aaaa), attivo. Vanno bene i file salvati da Excel (separati da punto e virgola).
          Prima dell'importazione il file viene controllato e le righe errate sono elencate.
        </p>
        <div className="mb-3">
          <label htmlFor="file-csv" className="form-label d-block">
            File CSV dei dipendenti
          </label>
          <input id="file-csv" type="file" accept=".csv,text/csv" onChange={check} disabled={busy} />
        </div>
        {busy && <p role="status">Controllo in corso…</p>}
        <ErrorAlert problem={problem} />
        {preview && (
          <div aria-live="polite">
            <p>
              {rows(preview.rows)} {preview.rows === 1 ? 'valida' : 'valide'}: {preview.created} da aggiungere,{' '}
              {preview.updated} da aggiornare.
              {preview.errors.length > 0 && ` Errori da correggere prima di importare: ${preview.errors.length}.`}
            </p>
            {preview.mapped_job_titles.length > 0 && (
              <>
                <p className="mb-1">Profili scritti a modo vostro, letti così (controllate prima di importare):</p>
                <ul>
                  {preview.mapped_job_titles.map((m) => (
                    <li key={m.title}>
                      «{m.title}» → {m.job_profile_label}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {preview.errors.length > 0 && (
              <DataTable
                caption="Righe da correggere"
                size="sm"
                items={preview.errors}
                rowKey={(e) => `${e.line}-${e.field}`}
                columns={[
                  { header: 'Riga', cell: (e) => e.line },
                  { header: 'Campo', cell: (e) => e.field },
                  { header: 'Problema', cell: (e) => e.detail },
                ]}
              />
            )}
            <Button color="primary" onClick={confirm} disabled={busy || preview.errors.length > 0 || preview.rows === 0}>
              Importa {rows(preview.rows)}
            </Button>
          </div>
        )}
        {result && (
          <Alert color="success">
            Importazione completata: {count(result.created, 'nuovo', 'nuovi')}, {count(result.updated, 'aggiornato', 'aggiornati')}.
          </Alert>
        )}
      </section>
      <section aria-labelledby="elenco">
        <h2 id="elenco" className="h4 mb-4">
          Elenco
        </h2>
        <div className="row">
          {user.role === 'admin' && (
            <SelectField
              id="comune-dipendenti"
              label="Comune"
              className="col-md-6 mb-4"
              value={chosenComune}
              onChange={setChosenComune}
              options={comuni.options}
              placeholder="Tutti i comuni"
            />
          )}
          <div className={user.role === 'admin' ? 'col-md-6' : 'col-12'}>
            <Input id="cerca-dipendenti" type="search" label="Cerca per nome o codice fiscale" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
        </div>
        {canInvite && (
          <div className="mb-4">
            <p className="mb-2">
              Ogni dipendente con un indirizzo e-mail può ricevere un invito ad accedere a cabina: un messaggio con un link,
              valido 14 giorni, per scegliere la password. Chi accede già non riceve nulla.
            </p>
            {comune ? (
              <Button color="primary" disabled={sending} onClick={() => setInviting({ comune })}>
                Invita tutti i dipendenti{user.role === 'admin' && ` di ${comuneName(comune)}`}
              </Button>
            ) : (
              <p className="mb-0">
                <em>Per invitare tutti i dipendenti di un comune, sceglietelo nell'elenco «Comune».</em>
              </p>
            )}
          </div>
        )}
        <InvitationOutcome invitation={invitation} sending={sending} comuneName={comuneName} />
        <ErrorAlert problem={invitationProblem} title="Inviti non inviati" />
        <p>
          <a
            href="/api/v1/employees"
            onClick={(event) => {
              event.preventDefault();
              download('/employees', 'text/csv', 'dipendenti.csv');
            }}
          >
            Scarica l'elenco completo in CSV
          </a>
        </p>
        <PagedTable
          list={employees}
          count={(n) => count(n, 'dipendente', 'dipendenti')}
          caption="Dipendenti"
          captionHidden
          striped
          rowKey={(e) => e.id}
          empty={q.trim() ? 'Nessun dipendente corrisponde alla ricerca.' : 'Nessun dipendente registrato: importare il foglio di calcolo.'}
          columns={[
            { header: 'Cognome e nome', rowHeader: true, cell: (e) => `${e.family_name} ${e.given_name}` },
            // Next to the name, so that on a phone it is in sight without scrolling the table.
            canInvite && {
              header: 'Accesso',
              cell: (e) =>
                e.account === 'active' ? (
                  <span className="small text-nowrap">Accede</span>
                ) : e.active && e.email ? (
                  <>
                    <Button color="primary" outline size="xs" disabled={sending} onClick={() => setInviting({ comune: e.comune_istat_code, employee: e })}>
                      {e.account === 'invited' ? 'Invita di nuovo' : 'Invita'}
                      <span className="visually-hidden"> {fullName(e)}</span>
                    </Button>
                    {e.account === 'invited' && <div className="small mt-1 text-nowrap">Invitato, non ancora entrato</div>}
                  </>
                ) : (
                  <span className="small text-nowrap">{e.active ? 'Senza e-mail' : 'Non attivo'}</span>
                ),
            },
            { header: 'E-mail', cell: (e) => e.email ?? <span className="text-muted">Nessuna</span> },
            user.role === 'admin' && !chosenComune && { header: 'Comune', cell: (e) => comuneName(e.comune_istat_code) },
            { header: 'Codice fiscale', cell: (e) => e.tax_code },
            { header: 'Area', cell: (e) => areas.find(e.office_area)?.name ?? e.office_area },
            { header: 'Profilo', cell: (e) => JOB_PROFILE[e.job_profile] ?? e.job_profile },
            { header: 'Attivo', cell: (e) => (e.active ? 'Sì' : 'No') },
          ]}
        />
      </section>
      <ConfirmDialog
        open={!!inviting}
        title={inviting?.employee ? `Invitare ${fullName(inviting.employee)}?` : `Invitare tutti i dipendenti di ${comuneName(inviting?.comune ?? '')}?`}
        confirmLabel={inviting?.employee ? 'Invia l’invito' : 'Invia gli inviti'}
        onConfirm={() => inviting && invite(inviting)}
        onCancel={() => setInviting(undefined)}
      >
        {inviting?.employee ? (
          <p>
            {fullName(inviting.employee)} riceverà a {inviting.employee.email} un messaggio con un link, valido 14 giorni, per
            scegliere la password e accedere a cabina come dipendente. Se accede già, non riceverà nulla.
          </p>
        ) : (
          <p>
            Ogni dipendente attivo del Comune di {comuneName(inviting?.comune ?? '')} con un indirizzo e-mail riceverà un
            messaggio con un link, valido 14 giorni, per scegliere la password. Chi aveva già un invito non usato ne riceve
            uno nuovo (il precedente smette di valere); chi accede già non riceve nulla.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}

function rows(n: number): string {
  return n === 1 ? '1 riga' : `${n} righe`;
}

function fullName(e: Employee): string {
  return `${e.given_name} ${e.family_name}`;
}

/** "3 inviti inviati; 1 dipendente accede già; 2 senza e-mail: …", with the names of the last two groups. */
function InvitationOutcome({
  invitation,
  sending,
  comuneName,
}: {
  invitation?: { report: InvitationReport; comune: string };
  sending: boolean;
  comuneName: (code: string) => string;
}) {
  if (!invitation) return <StatusAlert color="info">{sending && 'Invio degli inviti in corso…'}</StatusAlert>;
  const { invited, already_active: active, without_email: missing } = invitation.report;
  const parts = [
    count(invited.length, 'invito inviato', 'inviti inviati'),
    active.length > 0 && count(active.length, 'dipendente accede già', 'dipendenti accedono già'),
    missing.length > 0 && `${count(missing.length, 'senza e-mail', 'senza e-mail')}: aggiungete l'indirizzo e invitate di nuovo`,
  ].filter(Boolean);
  return (
    <StatusAlert color={missing.length > 0 || invited.length === 0 ? 'warning' : 'success'}>
      <strong className="d-block">Comune di {comuneName(invitation.comune)}</strong>
      <p className="mb-0">{parts.join('; ')}.</p>
      {active.length > 0 && <Names title="Accedono già" people={active} />}
      {missing.length > 0 && <Names title="Senza e-mail" people={missing} />}
    </StatusAlert>
  );
}

function Names({ title, people }: { title: string; people: InvitationReport['invited'] }) {
  return (
    <p className="mb-0 mt-2">
      <strong>{title}</strong>: {people.map((p) => p.full_name).join(', ')}.
    </p>
  );
}
