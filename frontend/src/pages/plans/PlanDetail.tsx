import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Badge, Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../../api/client';
import { useReference } from '../../api/reference';
import type { components } from '../../api/schema';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Breadcrumbs, SignInPrompt } from '../../components/Page';
import { download, XLSX } from '../../download';
import { Field } from '../../Field';
import { euro, euroChange, number, percent, when } from '../../format';
import { PLAN_STATUS, PLANNED_MODALITY, UNSERVED_REASON, type PlanStatus } from '../../labels';
import { AtAGlance, PerTheme, asPlan, gapText, type Plan } from './figures';
import { PlanCompare } from './PlanCompare';
import { PlanEdit, type Edit } from './PlanEdit';
import { EditionsTable, PeopleList, UnservedTable, datesText, peopleOf } from './PlanEditions';
import { PlanMap } from './PlanMap';

type Publication = components['schemas']['PublicationReport'];

const CHANGED_MEANWHILE = 'Il piano è stato modificato nel frattempo (in un’altra scheda o da un collega): ora è mostrato com’è adesso. Ripetere l’operazione se serve ancora.';

/** What an edit changed in the headline: "costo totale 12.000,00 € (−800,00 €)…". */
function recostText(before: Plan, after: Plan): string {
  const served = after.people_served - before.people_served;
  return (
    `Piano ricalcolato: costo totale ${euro(after.total_cents)} (${euroChange(after.total_cents - before.total_cents)}), ` +
    `persone servite ${number.format(after.people_served)} (${served > 0 ? '+' : served < 0 ? '−' : ''}${number.format(Math.abs(served))}), ` +
    `risparmio ${euro(after.saving_cents)}, scarto ${gapText(after.gap, true, { total: after.total_cents, bound: after.lower_bound_cents })}.`
  );
}

/** One plan: its figures, map, editions; the admin's actions; a referente's people. */
export function PlanDetail() {
  const { id } = useParams();
  const planId = Number(id);
  const valid = Number.isInteger(planId) && planId > 0;
  const { user } = useAuth();
  const loaded = useApi(() => api.GET('/plans/{id}', { params: { path: { id: planId } } }).then(asPlan), [planId], !!user && valid);
  const { data: plan, etag, problem } = loaded;
  const admin = user?.role === 'admin';
  const themes = useReference('themes', !!user);
  const themeName = (code: string) => themes.find(code)?.name ?? plan?.editions.find((e) => e.theme_code === code)?.theme_name ?? code;
  const comuni = useReference('comuni', !!user);
  const venues = useReference('venues', admin);
  const [notice, setNotice] = useState<ReactNode>();
  const [actionProblem, setActionProblem] = useState<Problem>();
  const [publication, setPublication] = useState<Publication>();
  const [chosen, setChosen] = useState<string>();
  const noticeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice || actionProblem) noticeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [notice, actionProblem]);

  if (!user) return <SignInPrompt purpose="Per vedere il piano della formazione" />;
  if (!valid) return <ErrorAlert problem={{ type: 'about:blank', status: 404, title: 'Non trovato', detail: 'Questo piano non esiste.' }} />;
  if (problem && !plan) return <ErrorAlert problem={problem} />;
  if (!plan) return <p role="status">Caricamento del piano…</p>;

  /** Keeps what a change answered, with its ETag (or asks again when it came without). */
  function keep(data: Plan, response: Response) {
    loaded.setData(data, response);
    if (!response.headers.get('ETag')) loaded.reload();
  }

  /** A change refused because the plan changed meanwhile: the plan as it is now. */
  function changedMeanwhile(p: Problem): Problem {
    loaded.reload();
    return { ...p, detail: CHANGED_MEANWHILE };
  }

  async function patch(body: { status?: PlanStatus; name?: string }, done: (after: Plan) => ReactNode) {
    if (!plan) return;
    setNotice(undefined);
    setActionProblem(undefined);
    const { data, error, response } = asPlan(
      await api.PATCH('/plans/{id}', {
        params: { path: { id: plan.id }, header: etag ? { 'If-Match': etag } : {} },
        body,
        headers: { 'Content-Type': 'application/merge-patch+json' },
      }),
    );
    if (data) {
      keep(data, response);
      if (data.publication) setPublication(data.publication);
      setNotice(done(data));
    } else {
      const p = asProblem(error, response.status);
      setActionProblem(response.status === 412 ? changedMeanwhile(p) : p);
    }
  }

  async function applyEdits(edits: Edit[]): Promise<Problem | undefined> {
    if (!plan) return undefined;
    setNotice(undefined);
    const before = plan;
    const { data, error, response } = asPlan(
      await api.POST('/plans/{id}/edits', {
        params: { path: { id: plan.id }, header: etag ? { 'If-Match': etag } : {} },
        body: { edits },
      }),
    );
    if (data) {
      keep(data, response);
      setNotice(recostText(before, data));
      return undefined;
    }
    const p = asProblem(error, response.status);
    return response.status === 412 ? changedMeanwhile(p) : p;
  }

  const status = PLAN_STATUS[plan.status];
  const referente = user.role === 'referente';
  return (
    <>
      <Breadcrumbs parent={{ to: '/piani', label: 'Piani' }} current={plan.name} />
      <h1 className="mb-2">{plan.name}</h1>
      <p>
        <Badge color={status.color}>{status.label}</Badge> · generato il {when(plan.created_at)}
        {plan.approved_at && ` · approvato il ${when(plan.approved_at)}`}
        {plan.published_at && ` · pubblicato il ${when(plan.published_at)}`}
      </p>
      <div ref={noticeRef} aria-live="polite">
        {notice && (
          <Alert color="success" fade={false}>
            {notice}
          </Alert>
        )}
        {publication && <PublicationReport publication={publication} />}
      </div>
      <ErrorAlert problem={actionProblem} />
      {referente ? (
        <ReferenteView plan={plan} themeName={themeName} />
      ) : (
        <>
          <AtAGlance figures={plan.figures} />
          {admin && <Actions plan={plan} patch={patch} />}
          {comuni.items.length > 0 && <PlanMap plan={plan} comuni={comuni.items} venues={venues.items} />}
          <EditionsTable
            plan={plan}
            onEdit={
              admin && plan.status === 'draft'
                ? (key) => {
                    setChosen(key);
                    document.getElementById('modifica')?.focus();
                  }
                : undefined
            }
          />
          {admin && plan.status === 'draft' && (
            <PlanEdit plan={plan} chosen={chosen} setChosen={setChosen} venues={venues.options} themes={themes.options} apply={applyEdits} />
          )}
          <UnservedTable plan={plan} themeName={themeName} />
          <PerTheme figures={plan.figures} themeName={themeName} />
          {admin && <PlanCompare plan={plan} themeName={themeName} />}
        </>
      )}
    </>
  );
}

function PublicationReport({ publication }: { publication: Publication }) {
  return (
    <Alert color="success" fade={false}>
      <strong className="d-block">Piano pubblicato</strong>
      <ul className="mb-0 mt-1">
        <li>Corsi creati nel catalogo: {publication.courses_created}</li>
        <li>Edizioni create: {publication.editions_created}</li>
        <li>Messaggi ai referenti dei comuni messi in coda: {publication.messages}</li>
        {publication.unreachable_comuni.length > 0 && (
          <li>
            Comuni senza referente né indirizzo, da avvisare per telefono:{' '}
            {publication.unreachable_comuni.map((c) => c.name).join(', ')}
          </li>
        )}
      </ul>
    </Alert>
  );
}

/** Approve, back to draft, publish (after a confirmation), download, rename. */
function Actions({ plan, patch }: { plan: Plan; patch: (body: { status?: PlanStatus; name?: string }, done: (after: Plan) => ReactNode) => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [name, setName] = useState(plan.name);
  const [downloadFailed, setDownloadFailed] = useState(false);
  useEffect(() => setName(plan.name), [plan.name]);
  const comuni = new Set(plan.editions.flatMap((e) => e.assignments.map((a) => a.comune_istat_code))).size;

  async function get(accept: string, extension: string) {
    setDownloadFailed(!(await download(`/plans/${plan.id}`, accept, `piano-${plan.id}.${extension}`)));
  }

  function rename(event: FormEvent) {
    event.preventDefault();
    void patch({ name }, (after) => `Piano rinominato «${after.name}».`);
  }

  return (
    <section aria-labelledby="azioni" className="mb-4">
      <h2 id="azioni" className="h4">
        Azioni
      </h2>
      <div className="d-flex flex-wrap gap-2 mb-3">
        {plan.status === 'draft' && (
          <Button color="primary" onClick={() => patch({ status: 'approved' }, () => 'Piano approvato: ora si può pubblicare.')}>
            Approva il piano
          </Button>
        )}
        {plan.status === 'approved' && (
          <>
            <Button color="primary" onClick={() => setConfirming(true)}>
              Pubblica il piano
            </Button>
            <Button color="secondary" outline onClick={() => patch({ status: 'draft' }, () => 'Piano riportato in bozza: si può modificare di nuovo.')}>
              Riporta in bozza
            </Button>
          </>
        )}
        <Button color="secondary" outline onClick={() => get('text/csv', 'csv')}>
          Scarica CSV
        </Button>
        <Button color="secondary" outline onClick={() => get(XLSX, 'xlsx')}>
          Scarica Excel (XLSX)
        </Button>
      </div>
      {plan.status === 'published' && <p>Il piano è pubblicato: i suoi corsi e le sue edizioni sono nel catalogo.</p>}
      {downloadFailed && (
        <Alert color="danger" role="alert" fade={false}>
          Lo scaricamento non è riuscito: riprovare.
        </Alert>
      )}
      <form className="row align-items-end mt-5" onSubmit={rename} noValidate>
        <div className="col-md-6">
          <Field id="piano-rinomina" label="Nome del piano" value={name} onChange={setName} />
        </div>
        <div className="col-md-6 mb-4">
          <Button color="secondary" type="submit" disabled={name.trim() === '' || name === plan.name}>
            Rinomina
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming}
        title="Pubblicare il piano?"
        confirmLabel="Pubblica"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void patch({ status: 'published' }, () => 'La pubblicazione è completata.');
        }}
      >
        <p>
          Pubblicando, cabina crea nel catalogo i corsi e le {number.format(plan.editions.length)} edizioni del piano, con le loro date e sedi, e scrive a
          ciascuno dei {number.format(comuni)} comuni coinvolti (ai referenti di cui conosce l’indirizzo) dove vanno le sue persone.
        </p>
        <p className="mb-0">Non si può annullare: le edizioni pubblicate si gestiscono poi dal catalogo.</p>
      </ConfirmDialog>
    </section>
  );
}

/** "Dove vanno le persone del vostro Comune": a referente's own editions and lines. */
function ReferenteView({ plan, themeName }: { plan: Plan; themeName: (code: string) => string }) {
  const mine = plan.editions.flatMap((e) => e.assignments.map((a) => ({ e, a })));
  const comune = mine[0]?.a.comune_name ?? plan.unserved[0]?.comune_name;
  const served = mine.reduce((n, x) => n + x.a.headcount, 0);
  const left = plan.unserved.reduce((n, u) => n + u.headcount, 0);
  return (
    <section aria-labelledby="vostro-comune">
      <h2 id="vostro-comune" className="h3">
        Dove vanno le persone del vostro Comune
      </h2>
      {plan.status !== 'published' && <p>Il piano non è ancora pubblicato: date e sedi possono ancora cambiare.</p>}
      <p>
        {comune ? `${comune}: ` : ''}
        {served + left === 0
          ? 'nessuna persona richiesta.'
          : `nel piano ${number.format(served)} delle ${number.format(served + left)} persone richieste (${percent(served / (served + left))}).`}
      </p>
      {mine.length === 0 && <p>Nessuna persona del vostro Comune è in questo piano.</p>}
      <div className="row">
        {mine.map(({ e, a }) => (
          <div className="col-md-6 mb-3" key={`${e.key}-${a.comune_istat_code}`}>
            <div className="card card-bg h-100">
              <div className="card-body">
                <h3 className="h5">{e.theme_name}</h3>
                <dl className="row mb-2 small">
                  <dt className="col-5">Modalità</dt>
                  <dd className="col-7">{PLANNED_MODALITY[e.modality]}</dd>
                  <dt className="col-5">Sede</dt>
                  <dd className="col-7">{e.venue_name ?? 'a distanza'}</dd>
                  <dt className="col-5">Date</dt>
                  <dd className="col-7">{datesText(e.dates)}</dd>
                  {a.road_km > 0 && (
                    <>
                      <dt className="col-5">Distanza</dt>
                      <dd className="col-7">{number.format(Math.round(a.road_km))} km su strada</dd>
                    </>
                  )}
                </dl>
                <h4 className="h6">Le vostre persone ({a.headcount})</h4>
                <PeopleList people={peopleOf(a)} headcount={a.headcount} />
              </div>
            </div>
          </div>
        ))}
      </div>
      <h3 className="h4 mt-3">Fabbisogni non serviti</h3>
      {plan.unserved.length === 0 ? (
        <p>Tutte le persone richieste dal vostro Comune sono nel piano.</p>
      ) : (
        <ul>
          {plan.unserved.map((u) => (
            <li key={`${u.need_line_id}-${u.reason}`} className="mb-2">
              <strong>{themeName(u.theme_code)}</strong>: {u.headcount === 1 ? '1 persona' : `${u.headcount} persone`} — {UNSERVED_REASON[u.reason]}
              <PeopleList people={u.employees} headcount={u.headcount} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
