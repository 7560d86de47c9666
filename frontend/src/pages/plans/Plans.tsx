import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Badge, Button } from 'design-react-kit';
import { api, asProblem, explainEmpty, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import { useReference } from '../../api/reference';
import { useApi } from '../../api/useApi';
import { useAuth } from '../../auth';
import { PagedTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SignInPrompt } from '../../components/Page';
import { SelectField } from '../../components/SelectField';
import { Field } from '../../Field';
import { count, euro, number } from '../../format';
import { PLAN_STATUS } from '../../labels';
import { gapText } from './figures';
import {
  GENERAL,
  PRIORITY_WEIGHTS,
  THEME,
  fromForm,
  isFlag,
  labelWithUnit,
  parameterError,
  parameterName,
  toForm,
  type GeneralKey,
  type ParameterForm,
  type Parameters,
  type Spec,
  type ThemeKey,
} from './parameters';

/** The annual plans: the list for the admin and the referenti; the admin generates them. */
export function Plans() {
  const { user } = useAuth();
  const campaigns = useApi(() => api.GET('/campaigns'), [], !!user);
  const [campaignId, setCampaignId] = useState('');
  const filters = useMemo(() => (campaignId ? { campaign_id: Number(campaignId) } : {}), [campaignId]);
  const list = usePagedList('/plans', filters, { enabled: !!user });
  const campaignTitle = (id: number) => campaigns.data?.items.find((c) => c.id === id)?.title ?? `n. ${id}`;

  if (!user) return <SignInPrompt purpose="Per vedere i piani annuali della formazione" />;

  return (
    <>
      <h1 className="mb-3">Piani della formazione</h1>
      <p className="lead">
        Il piano raggruppa i fabbisogni dei comuni in edizioni comuni, vicine a chi le frequenta, e dimostra quanto è lontano dal miglior piano possibile.
      </p>
      <ErrorAlert problem={campaigns.problem} />
      <div className="row mt-4">
        <SelectField
          id="filtro-rilevazione"
          className="col-md-6"
          label="Rilevazione"
          value={campaignId}
          onChange={setCampaignId}
          placeholder="Tutte le rilevazioni"
          options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))}
        />
      </div>
      <PagedTable
        caption="Piani"
        captionHidden
        list={list}
        count={(n) => count(n, 'piano', 'piani')}
        rowKey={(p) => p.id}
        empty="Nessun piano: generatene uno da una rilevazione chiusa."
        columns={[
          { header: 'Nome', rowHeader: true, cell: (p) => <Link to={`/piani/${p.id}`}>{p.name}</Link> },
          { header: 'Rilevazione', cell: (p) => campaignTitle(p.campaign_id) },
          { header: 'Stato', cell: (p) => <Badge color={PLAN_STATUS[p.status].color}>{PLAN_STATUS[p.status].label}</Badge> },
          { header: 'Persone servite', numeric: true, cell: (p) => `${number.format(p.people_served)} su ${number.format(p.people_requested)}` },
          { header: 'Costo totale', numeric: true, cell: (p) => euro(p.total_cents) },
          { header: 'Risparmio', numeric: true, cell: (p) => euro(p.saving_cents) },
          { header: 'Scarto massimo', numeric: true, cell: (p) => gapText(p.gap, true, { total: p.total_cents, bound: p.lower_bound_cents }) },
        ]}
      />
      {user.role === 'admin' && <NewPlan campaigns={(campaigns.data?.items ?? []).filter((c) => c.status === 'closed')} />}
    </>
  );
}

type Campaign = { id: number; title: string; year: number };

/** A problem whose field errors name their place in Italian (for the alert's list). */
function placed(problem: Problem, name: (path: string) => string): Problem {
  return {
    ...problem,
    errors: problem.errors?.map((e) => {
      const path = e.pointer?.replace(/^#\/(parameters\/)?/, '');
      return { detail: path ? `${name(path)}: ${e.detail}` : e.detail };
    }),
  };
}

/** "Genera piano": a closed campaign, a name, the parameters from the defaults. */
function NewPlan({ campaigns }: { campaigns: Campaign[] }) {
  const navigate = useNavigate();
  const themes = useReference('themes');
  const themeName = (code: string) => themes.find(code)?.name ?? code;
  const [campaignId, setCampaignId] = useState('');
  const [name, setName] = useState('');
  const defaults = useApi(
    () => api.GET('/plan-defaults', { params: { query: { campaign_id: Number(campaignId) } } }),
    [campaignId],
    campaignId !== '',
  );
  const [form, setForm] = useState<ParameterForm>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  const campaign = campaigns.find((c) => String(c.id) === campaignId);
  useEffect(() => {
    if (defaults.data) setForm(toForm(defaults.data));
  }, [defaults.data]);
  useEffect(() => {
    if (campaign) setName((n) => n || `Piano ${campaign.year}`);
  }, [campaign]);

  if (campaigns.length === 0) {
    return (
      <section aria-labelledby="genera" className="mt-5">
        <h2 id="genera" className="h4">
          Genera piano
        </h2>
        <p>
          Un piano si genera da una rilevazione chiusa: <Link to="/campagne">chiudere prima una rilevazione</Link>.
        </p>
      </section>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!campaign || !defaults.data || !form) return;
    const { parameters, errors } = fromForm(form, defaults.data);
    if (!parameters) {
      setProblem({ type: 'about:blank', status: 422, title: 'Dati da correggere', detail: 'Alcuni parametri non sono numeri o date.', errors });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    const { data, error, response } = await api.POST('/plans', { body: { campaign_id: campaign.id, name, parameters } });
    setBusy(false);
    if (data) navigate(`/piani/${data.id}`);
    else setProblem(explainEmpty(asProblem(error, response.status), (field) => field === 'name' && name.trim() === ''));
  }

  const setGeneral = (key: keyof ParameterForm['general']) => (value: string) =>
    setForm((f) => f && { ...f, general: { ...f.general, [key]: value } });
  const general = (key: GeneralKey | `priority_weights/${keyof typeof PRIORITY_WEIGHTS}`, spec: Spec) => (
    <div className="col-md-6 col-lg-4" key={key}>
      <Field
        id={`param-${key.replace('/', '-')}`}
        label={labelWithUnit(spec)}
        type={spec.kind === 'date' ? 'date' : 'number'}
        decimals={spec.kind !== 'integer'}
        value={form?.general[key] ?? ''}
        onChange={setGeneral(key)}
        hint={spec.hint}
        error={parameterError(problem, key) ?? (key.startsWith('priority_weights') ? parameterError(problem, 'priority_weights') : undefined)}
      />
    </div>
  );

  return (
    <section aria-labelledby="genera" className="mt-5">
      <h2 id="genera" className="h4">
        Genera piano
      </h2>
      <p>
        Il calcolo usa i fabbisogni della rilevazione chiusa, le sedi registrate e questi parametri, proposti con i valori predefiniti. Può richiedere
        qualche decina di secondi.
      </p>
      <form onSubmit={submit} noValidate>
        <div className="row mt-4">
          <SelectField
            id="piano-rilevazione"
            className="col-md-6 mb-4 mb-md-0"
            label="Rilevazione chiusa"
            value={campaignId}
            onChange={setCampaignId}
            placeholder="Scegliere una rilevazione"
            required
            options={campaigns.map((c) => ({ value: c.id, label: c.title }))}
            error={parameterError(problem, 'campaign_id') ?? problem?.errors?.find((e) => e.pointer === '#/campaign_id')?.detail}
          />
          <div className="col-md-6 mt-2 mt-md-0">
            <Field id="piano-nome" label="Nome del piano" value={name} onChange={setName} required error={problem?.errors?.find((e) => e.pointer === '#/name')?.detail} />
          </div>
        </div>
        <ErrorAlert problem={defaults.problem} />
        {form && (
          <>
            <fieldset className="mt-3">
              <legend className="h5">Parametri generali</legend>
              <div className="row mt-4">{(Object.entries(GENERAL) as [GeneralKey, Spec][]).map(([key, spec]) => general(key, spec))}</div>
              <div className="row">
                {(Object.entries(PRIORITY_WEIGHTS) as [keyof typeof PRIORITY_WEIGHTS, Spec][]).map(([key, spec]) => general(`priority_weights/${key}`, spec))}
              </div>
            </fieldset>
            <ClosedPeriods form={form} setForm={setForm} problem={problem} />
            <ThemeTable form={form} setForm={setForm} problem={problem} themeName={themeName} />
          </>
        )}
        <ErrorAlert problem={problem && placed(problem, (path) => parameterName(path, themeName))} className="mt-3" />
        <Button color="primary" type="submit" disabled={busy || !form}>
          {busy ? 'Calcolo del piano in corso…' : 'Genera il piano'}
        </Button>
        {busy && (
          <p role="status" className="mt-2">
            Calcolo del piano in corso: l’ottimizzazione può durare fino a un minuto.
          </p>
        )}
      </form>
    </section>
  );
}

interface FormPartProps {
  form: ParameterForm;
  setForm: (update: (f: ParameterForm | undefined) => ParameterForm | undefined) => void;
  problem?: Problem;
}

/** The periods without courses (August, the Christmas holidays…). */
function ClosedPeriods({ form, setForm, problem }: FormPartProps) {
  const update = (i: number, end: 'start' | 'end', value: string) =>
    setForm((f) => f && { ...f, closedPeriods: f.closedPeriods.map((c, j) => (j === i ? { ...c, [end]: value } : c)) });
  return (
    <fieldset className="mt-2 mb-4">
      <legend className="h5">Periodi di chiusura</legend>
      <p className="small">Giorni in cui non si tengono edizioni (oltre a sabati, domeniche e festivi).</p>
      {form.closedPeriods.length === 0 && <p>Nessun periodo di chiusura.</p>}
      {form.closedPeriods.map((c, i) => (
        <div className="row align-items-start mt-4" key={i}>
          <div className="col-6 col-md-4">
            <Field id={`chiusura-${i}-inizio`} label={`Chiusura ${i + 1}: dal`} type="date" value={c.start} onChange={(v) => update(i, 'start', v)} error={parameterError(problem, `closed_periods/${i}/start`)} />
          </div>
          <div className="col-6 col-md-4">
            <Field id={`chiusura-${i}-fine`} label={`Chiusura ${i + 1}: al`} type="date" value={c.end} onChange={(v) => update(i, 'end', v)} error={parameterError(problem, `closed_periods/${i}/end`)} />
          </div>
          <div className="col-12 col-md-4 mb-3">
            <Button
              color="secondary"
              outline
              size="sm"
              type="button"
              onClick={() => setForm((f) => f && { ...f, closedPeriods: f.closedPeriods.filter((_, j) => j !== i) })}
            >
              Togli<span className="visually-hidden"> la chiusura {i + 1}</span>
            </Button>
          </div>
        </div>
      ))}
      <Button
        color="secondary"
        outline
        size="sm"
        type="button"
        onClick={() => setForm((f) => f && { ...f, closedPeriods: [...f.closedPeriods, { start: '', end: '' }] })}
      >
        Aggiungi un periodo di chiusura
      </Button>
    </fieldset>
  );
}

/** The per-theme parameters: a compact table, folded until asked for (or wrong). */
function ThemeTable({ form, setForm, problem, themeName }: FormPartProps & { themeName: (code: string) => string }) {
  const wrong = problem?.errors?.some((e) => e.pointer?.startsWith('#/parameters/themes/')) ?? false;
  const keys = Object.keys(THEME) as ThemeKey[];
  const update = (code: string, key: ThemeKey, value: string | boolean) =>
    setForm((f) => f && { ...f, themes: { ...f.themes, [code]: { ...f.themes[code], [key]: value } } });
  return (
    <details className="mb-4 plan-themes" open={wrong || undefined}>
      <summary className="h5">Parametri per tema</summary>
      <p className="small">Durata, partecipanti in presenza e in webinar, costi in euro per ogni tema della rilevazione.</p>
      <div className="table-responsive" role="region" aria-labelledby="parametri-tema" tabIndex={0}>
        <table className="table table-sm">
          <caption id="parametri-tema" className="visually-hidden">
            Parametri per tema
          </caption>
          <thead>
            <tr>
              <th scope="col">Tema</th>
              {keys.map((k) => (
                <th scope="col" key={k} className="small">
                  {labelWithUnit(THEME[k])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {form.themeOrder.map((code) => (
              <tr key={code}>
                <th scope="row" className="small">
                  {themeName(code)}
                </th>
                {keys.map((k) => {
                  const id = `tema-${code}-${k}`;
                  const label = `${THEME[k].label}: ${themeName(code)}`;
                  const error = parameterError(problem, `themes/${code}/${k}`);
                  const value = form.themes[code][k];
                  if (isFlag(k)) {
                    return (
                      <td key={k}>
                        <div className="form-check mb-0">
                          <input id={id} type="checkbox" checked={value as boolean} onChange={(e) => update(code, k, e.target.checked)} />
                          <label htmlFor={id} className="mb-0">
                            <span className="visually-hidden">{label}</span>
                          </label>
                        </div>
                      </td>
                    );
                  }
                  return (
                    <td key={k}>
                      <label htmlFor={id} className="visually-hidden">
                        {label}
                      </label>
                      <input
                        id={id}
                        type="text"
                        inputMode={THEME[k].kind === 'integer' ? 'numeric' : 'decimal'}
                        className={`form-control form-control-sm plan-number${error ? ' is-invalid' : ''}`}
                        value={value as string}
                        onChange={(e) => update(code, k, e.target.value)}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${id}-errore` : undefined}
                      />
                      {error && (
                        <div id={`${id}-errore`} className="invalid-feedback d-block">
                          {error}
                        </div>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export type { Parameters };
