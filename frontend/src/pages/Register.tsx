import { useCallback, useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Button } from 'design-react-kit';
import { api, asProblem, fieldError, type Problem } from '../api/client';
import { uploadCsv, type ImportReportOf } from '../api/collections';
import type { components } from '../api/schema';
import { useApi } from '../api/useApi';
import { DataTable } from '../components/DataTable';
import { ErrorAlert, Outcome, type Input } from '../components/ErrorAlert';
import { Breadcrumbs } from '../components/Page';
import { download } from '../download';
import { count, duration, longDate, parseDuration, sessionSpan } from '../format';

type Register = components['schemas']['AttendanceRegister'];
type Entry = components['schemas']['RegisterEntry'];
type ImportReport = ImportReportOf<'/sessions/{id}/attendance-imports'>;

interface Row {
  present: boolean;
  hours: string;
}

const sendReport = (session: number, file: File, dryRun: boolean) =>
  uploadCsv('/sessions/{id}/attendance-imports', { path: { id: session }, query: { dry_run: dryRun } }, file);

/** The ids of one person's inputs. */
const presentId = (e: Entry) => `presente-${e.enrolment_id}`;
const hoursId = (e: Entry) => `ore-${e.enrolment_id}`;

/**
 * What is wrong with the hours typed for someone present, in Italian, or `undefined`: a
 * number of hours the session holds ("abc" is not taken for a whole session, nor 9 for 4).
 */
export function hoursProblem(text: string, sessionHours: number): string | undefined {
  const hours = parseDuration(text);
  if (hours === undefined) return 'ore non valide: scrivere ad esempio «2,5» oppure «2 h 30 min»';
  const minutes = Math.round(hours * 60);
  if (minutes === 0) return 'più di zero per chi è presente; per un assente togliere «Presente»';
  if (minutes > Math.round(sessionHours * 60)) return `al massimo ${duration(sessionHours)}, la durata della sessione`;
  return undefined;
}

/**
 * The inputs the API's pointers name, by field: `records/3/hours` is the hours of the fourth
 * person sent, so a problem names the person, never the row's index, and links to the input.
 */
function inputsOf(entries: Entry[]): Record<string, Input> {
  return Object.fromEntries(
    entries.flatMap((e, i) => [
      [`records/${i}/hours`, { id: hoursId(e), label: `Ore di ${e.employee_name}` }],
      [`records/${i}/present`, { id: presentId(e), label: `Presente: ${e.employee_name}` }],
      [`records/${i}/enrolment_id`, { id: presentId(e), label: e.employee_name }],
      [`records/${i}`, { id: presentId(e), label: e.employee_name }],
    ]),
  );
}

/** The register of one session: presence and hours by hand, or from a webinar report. */
export function RegisterPage() {
  const { id } = useParams();
  const sessionId = Number(id);
  const [register, setRegister] = useState<Register>();
  const [loadProblem, setLoadProblem] = useState<Problem>();
  const [rows, setRows] = useState<Record<number, Row>>({});
  // Read once: the screen does not change its mind about the session while it is open.
  const [now] = useState(() => new Date());

  const load = useCallback(async () => {
    const { data, error, response } = await api.GET('/sessions/{id}/attendance', { params: { path: { id: sessionId } } });
    if (data && typeof data !== 'string') {
      setRegister(data);
      setRows(
        Object.fromEntries(
          data.entries.map((e) => [e.enrolment_id, { present: e.present ?? false, hours: duration(e.hours ?? data.session.hours) }]),
        ),
      );
    } else setLoadProblem(asProblem(error, response.status));
  }, [sessionId]);

  useEffect(() => {
    load();
  }, [load]);

  if (!register) return loadProblem ? <ErrorAlert problem={loadProblem} /> : <p role="status">Caricamento…</p>;
  const { session } = register;
  const notYet = new Date(session.starts_at) > now;
  return (
    <>
      <RegisterBreadcrumbs editionId={register.edition_id} session={session} />
      <h1>Registro della sessione</h1>
      <p className="lead mb-2">{sessionSpan(session.starts_at, session.ends_at)}</p>
      <p>Durata: {duration(session.hours)}</p>
      <Button
        color="primary"
        outline
        size="sm"
        className="mb-4"
        onClick={() => download(`/sessions/${sessionId}/attendance`, 'application/pdf', 'foglio-firme.pdf')}
      >
        Scarica il foglio firme (PDF)
      </Button>
      {notYet && (
        <Alert color="info" fade={false}>
          <strong className="d-block">La sessione non si è ancora svolta</strong>
          Si tiene {sessionSpan(session.starts_at, session.ends_at)}: presenze e ore si registrano da quando comincia. Intanto
          potete scaricare il foglio firme da portare in aula.
        </Alert>
      )}
      <RegisterForm register={register} rows={rows} setRows={setRows} disabled={notYet} onSaved={load} />
      {!notYet && <ReportImport sessionId={sessionId} onImported={load} />}
    </>
  );
}

/** Corsi / the course / the edition / Registro del 15 marzo 2027: the way back to what the register belongs to. */
function RegisterBreadcrumbs({ editionId, session }: { editionId: number; session: Register['session'] }) {
  const edition = useApi(() => api.GET('/editions/{id}', { params: { path: { id: editionId } } }), [editionId]);
  const courseId = edition.data?.course_id;
  const course = useApi(() => api.GET('/courses/{id}', { params: { path: { id: courseId ?? 0 } } }), [courseId], !!courseId);
  return (
    <Breadcrumbs
      parent={[
        { to: '/gestione/corsi', label: 'Corsi' },
        ...(courseId ? [{ to: `/gestione/corsi/${courseId}`, label: course.data?.title ?? 'Corso' }] : []),
        { to: `/edizioni/${editionId}`, label: edition.data?.title ?? 'Edizione' },
      ]}
      current={`Registro del ${longDate(session.starts_at)}`}
    />
  );
}

interface RegisterFormProps {
  register: Register;
  rows: Record<number, Row>;
  setRows: (rows: Record<number, Row>) => void;
  /** A session still to come: shown, not filled. */
  disabled: boolean;
  onSaved: () => Promise<void>;
}

/**
 * Who was there and for how long. Hours that are not a number, or more than the session,
 * are refused next to their field and nothing is sent; the outcome appears next to the
 * button, which takes the focus, so that on a phone it is where the eyes are.
 */
function RegisterForm({ register, rows, setRows, disabled, onSaved }: RegisterFormProps) {
  const { entries, session } = register;
  const [problem, setProblem] = useState<Problem>();
  const [saved, setSaved] = useState<string>();
  const [invalid, setInvalid] = useState<Record<number, string>>({});
  const outcome = useRef<HTMLDivElement>(null);
  const inputs = inputsOf(entries);

  const change = (e: Entry, row: Partial<Row>) => {
    setRows({ ...rows, [e.enrolment_id]: { ...rows[e.enrolment_id], ...row } });
    setInvalid(({ [e.enrolment_id]: _, ...others }) => others);
  };
  const focusOutcome = () => requestAnimationFrame(() => outcome.current?.focus());

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(undefined);
    const wrong: Record<number, string> = {};
    entries.forEach((e) => {
      const row = rows[e.enrolment_id];
      const why = row?.present ? hoursProblem(row.hours, session.hours) : undefined;
      if (why) wrong[e.enrolment_id] = why;
    });
    setInvalid(wrong);
    if (Object.keys(wrong).length > 0) {
      setProblem({
        type: 'about:blank',
        title: 'Registro non salvato',
        status: 422,
        detail: `Correggere le ore di ${count(Object.keys(wrong).length, 'persona', 'persone')}: nulla è stato inviato.`,
        errors: entries.flatMap((e, i) => (wrong[e.enrolment_id] ? [{ pointer: `#/records/${i}/hours`, detail: wrong[e.enrolment_id] }] : [])),
      });
      focusOutcome();
      return;
    }
    const records = entries.map((e) => {
      const row = rows[e.enrolment_id];
      return { enrolment_id: e.enrolment_id, present: row.present, hours: row.present ? (parseDuration(row.hours) ?? 0) : 0 };
    });
    const { data, error, response } = await api.PUT('/sessions/{id}/attendance', { params: { path: { id: session.id } }, body: { records } });
    if (data) {
      const present = records.filter((r) => r.present).length;
      setProblem(undefined);
      setSaved(`Registro salvato: ${count(present, 'presente', 'presenti')}, ${count(records.length - present, 'assente', 'assenti')}.`);
      await onSaved();
    } else setProblem(asProblem(error, response.status));
    focusOutcome();
  }

  /** The message next to someone's hours: ours, or the API's for that record. */
  const messageFor = (e: Entry, i: number) => invalid[e.enrolment_id] ?? fieldError(problem, `records/${i}/hours`);

  return (
    <form onSubmit={save} noValidate className="mb-5">
      {!disabled && (
        <p id="ore-aiuto" className="small">
          Per chi è presente, le ore frequentate: tutta la sessione ({duration(session.hours)}) o meno, ad esempio «2 h 30 min» o «2,5».
        </p>
      )}
      <DataTable
        caption="Presenti e ore frequentate"
        size="sm"
        items={entries}
        rowKey={(e) => e.enrolment_id}
        empty="Nessun iscritto confermato."
        columns={[
          { header: 'Persona', rowHeader: true, cell: (e) => e.employee_name },
          {
            header: 'Presente',
            cell: (e) => (
              <input
                id={presentId(e)}
                type="checkbox"
                aria-label={`Presente: ${e.employee_name}`}
                checked={rows[e.enrolment_id]?.present ?? false}
                disabled={disabled}
                onChange={(ev) => change(e, { present: ev.target.checked })}
              />
            ),
          },
          {
            header: 'Ore',
            cell: (e) => {
              const i = entries.indexOf(e);
              const message = messageFor(e, i);
              return (
                <>
                  <input
                    id={hoursId(e)}
                    className={`form-control form-control-sm${message ? ' is-invalid' : ''}`}
                    style={{ maxWidth: '8rem' }}
                    aria-label={`Ore: ${e.employee_name}`}
                    aria-invalid={message ? true : undefined}
                    aria-describedby={message ? `${hoursId(e)}-errore` : disabled ? undefined : 'ore-aiuto'}
                    value={rows[e.enrolment_id]?.hours ?? ''}
                    disabled={disabled || !rows[e.enrolment_id]?.present}
                    onChange={(ev) => change(e, { hours: ev.target.value })}
                  />
                  {message && (
                    <div id={`${hoursId(e)}-errore`} className="small text-danger mt-1" style={{ maxWidth: '16rem' }}>
                      {message}
                    </div>
                  )}
                </>
              );
            },
          },
        ]}
      />
      <div ref={outcome} tabIndex={-1} className="cabina-outcome">
        <Outcome done={saved} problem={problem} inputs={inputs} />
      </div>
      <Button color="primary" type="submit" disabled={disabled || entries.length === 0}>
        Salva il registro
      </Button>
    </form>
  );
}

/** A webinar tool's report, checked first (who it finds), then recorded. */
function ReportImport({ sessionId, onImported }: { sessionId: number; onImported: () => Promise<void> }) {
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<ImportReport>();
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState<string>();

  async function check(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFile(chosen);
    setPreview(undefined);
    setDone(undefined);
    if (!chosen) return;
    const { report, problem } = await sendReport(sessionId, chosen, true);
    setPreview(report);
    setProblem(problem);
  }

  async function importReport() {
    if (!file) return;
    const { problem } = await sendReport(sessionId, file, false);
    setProblem(problem);
    if (!problem) {
      setDone('Presenze importate dal report.');
      setPreview(undefined);
      await onImported();
    }
  }

  return (
    <section aria-labelledby="report">
      <h2 id="report" className="h4">
        Importa il report del webinar
      </h2>
      <p>Il file CSV esportato da Zoom, Teams, GoToWebinar o Webex: si abbinano gli indirizzi e-mail degli iscritti.</p>
      <label htmlFor="file-report" className="form-label d-block">
        Report delle presenze (CSV)
      </label>
      <input id="file-report" type="file" accept=".csv,text/csv" onChange={check} className="mb-3" />
      {preview && (
        <div aria-live="polite">
          <p>
            Presenti trovati: {preview.present.length}. Righe non abbinate (ospiti, docenti): {preview.skipped.length}.
          </p>
          <Button color="primary" onClick={importReport} disabled={preview.present.length === 0} className="mb-3">
            Registra {preview.present.length} presenze
          </Button>
        </div>
      )}
      <Outcome done={done} problem={problem} />
    </section>
  );
}
