import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import { useReference } from '../api/reference';
import type { components } from '../api/schema';
import { ComuniMap } from '../components/ComuniMap';
import { headcountBySubmission, themesOfSubmitted } from '../demand';
import { number } from '../format';
import { RESPONSE_STATUS, type ResponseStatus } from '../labels';

type Campaign = components['schemas']['CampaignResponse'];
type Answer = components['schemas']['ComuneAnswer'];
type Comune = components['schemas']['ComuneResponse'];
type Summary = components['schemas']['CampaignSummary'];
type Need = components['schemas']['NeedResponse'];

/** The legend's order: the good news first. */
const LEGEND: ResponseStatus[] = ['submitted', 'draft', 'not_started'];

/** The admin's view at a glance: who has answered the current campaign, where, and the demand. */
export function Dashboard() {
  const [campaign, setCampaign] = useState<Campaign>();
  const [answers, setAnswers] = useState<Answer[]>([]);
  // Every comune, for the map (all pages: none is left off the map).
  const { items: comuni } = useReference('comuni');
  const [summary, setSummary] = useState<Summary>();
  const [needs, setNeeds] = useState<Need[]>();

  useEffect(() => {
    api.GET('/campaigns').then(async ({ data }) => {
      const current = data?.items.find((c) => c.status === 'open') ?? data?.items[0];
      if (!current) return;
      setCampaign(current);
      const [responses, demand, lines] = await Promise.all([
        api.GET('/campaigns/{id}/responses', { params: { path: { id: current.id } } }),
        api.GET('/campaigns/{id}/summary', { params: { path: { id: current.id } } }),
        api.GET('/needs', { params: { query: { campaign_id: current.id } } }),
      ]);
      if (responses.data) setAnswers(responses.data.items);
      if (demand.data && typeof demand.data !== 'string') setSummary(demand.data);
      if (lines.data && typeof lines.data !== 'string') setNeeds(lines.data.items);
    });
  }, []);

  if (!campaign) {
    return (
      <section aria-labelledby="cruscotto" className="mb-5">
        <h2 id="cruscotto" className="h3">
          Cruscotto
        </h2>
        <p>
          Nessuna rilevazione dei fabbisogni: <Link to="/campagne">crearne una</Link>.
        </p>
      </section>
    );
  }
  const count = (status: Answer['status']) => answers.filter((a) => a.status === status).length;
  // What the answers sent ask for: a comune still filling in has not said its last word.
  const split = summary && headcountBySubmission(summary.by_comune, answers);
  const themes = summary && needs && themesOfSubmitted(needs, answers, new Map(summary.by_theme.map((t) => [t.key, t.label])));
  return (
    <section aria-labelledby="cruscotto" className="mb-5">
      <h2 id="cruscotto" className="h3">
        Cruscotto: <Link to={`/campagne/${campaign.id}`}>{campaign.title}</Link>
      </h2>
      <div className="row">
        <div className="col-lg-6">
          <AnswerMap answers={answers} comuni={comuni} />
          <ul className="list-inline mt-2" aria-label="Legenda">
            {LEGEND.map((s) => (
              <li className="list-inline-item me-3" key={s}>
                <svg width="12" height="12" aria-hidden="true">
                  <circle cx="6" cy="6" r="5" fill={RESPONSE_STATUS[s].fill} />
                </svg>{' '}
                {RESPONSE_STATUS[s].label}: <strong>{count(s)}</strong>
              </li>
            ))}
          </ul>
        </div>
        <div className="col-lg-6">
          <h3 className="h5">Domanda per tema, nelle risposte inviate</h3>
          {themes && themes.length === 0 && <p>Ancora nessuna risposta inviata con fabbisogni.</p>}
          {themes && <ThemeChart slices={themes} />}
          {summary && split && (
            <p>
              <strong>{number.format(split.submitted)}</strong> {split.submitted === 1 ? 'persona' : 'persone'} da formare nelle risposte inviate
              da {summary.comuni_submitted} {summary.comuni_submitted === 1 ? 'comune' : 'comuni'} su {summary.comuni_total}
              {split.drafts > 0 && `; altre ${number.format(split.drafts)} nelle risposte ancora in compilazione`}.
            </p>
          )}
        </div>
      </div>
      <p>
        Mancano: {answers.filter((a) => a.status !== 'submitted').map((a) => a.comune_name).join(', ') || 'nessuno'}.{' '}
        <Link to={`/campagne/${campaign.id}`}>Sollecitarli</Link>
      </p>
    </section>
  );
}

/** The comuni at their coordinates, coloured by answer. */
function AnswerMap({ answers, comuni }: { answers: Answer[]; comuni: Comune[] }) {
  const points = answers
    .map((a) => ({ a, c: comuni.find((c) => c.istat_code === a.comune_istat_code) }))
    .filter((p): p is { a: Answer; c: Comune } => p.c !== undefined);
  return (
    <ComuniMap
      frame={points.map((p) => p.c)}
      title="Mappa dei comuni colorati secondo lo stato della risposta"
      caption="Ogni punto è un comune, nella sua posizione geografica; passando sopra un punto se ne legge il nome."
    >
      {({ x, y }) =>
        points.map(({ a, c }) => (
          <circle key={c.istat_code} cx={x(c.longitude)} cy={y(c.latitude)} r={c.is_provincial_capital ? 8 : 6} fill={RESPONSE_STATUS[a.status].fill} stroke="#fff">
            <title>
              {c.name}: {RESPONSE_STATUS[a.status].label}
            </title>
          </circle>
        ))
      }
    </ComuniMap>
  );
}

/** Horizontal bars of people to train, by theme. */
function ThemeChart({ slices }: { slices: Summary['by_theme'] }) {
  const max = Math.max(1, ...slices.map((s) => s.headcount));
  return (
    <ul className="list-unstyled" aria-label="Persone da formare per tema">
      {slices.map((s) => (
        <li key={s.key} className="mb-2">
          <div className="d-flex justify-content-between small">
            <span>{s.label || s.key}</span>
            <strong>{s.headcount}</strong>
          </div>
          <div className="progress" style={{ height: '0.6rem' }} aria-hidden="true">
            <div className="progress-bar" style={{ width: `${(s.headcount / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
