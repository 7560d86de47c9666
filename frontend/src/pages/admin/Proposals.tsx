import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, Button } from 'design-react-kit';
import { api, asProblem, type Problem } from '../../api/client';
import { usePagedList } from '../../api/collections';
import type { components } from '../../api/schema';
import { useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Pagination } from '../../components/Pagination';
import { ErrorAlert, Outcome } from '../../components/ErrorAlert';
import { Breadcrumbs, SignInPrompt } from '../../components/Page';
import { count, longDate, sessionSpan, when } from '../../format';
import { EDITION_STATUS, PROPOSAL_STATUS, type ProposalStatus } from '../../labels';

type Proposal = components['schemas']['ProposalResponse'];

/** The choices of the status filter: what the Province has to decide first. */
const FILTERS: { value: ProposalStatus | ''; label: string }[] = [
  { value: 'pending', label: 'Da decidere' },
  { value: '', label: 'Tutte' },
];

/**
 * Proposals to change a published edition's seats, dates or status: the admin approves or
 * rejects them, a provider's staff follow their own.
 */
export function Proposals() {
  const { user } = useAuth();
  const [status, setStatus] = useState<ProposalStatus | ''>('pending');
  const list = usePagedList('/edition-change-proposals', status ? { status } : {}, { enabled: !!user, pageSize: 10 });
  const [deciding, setDeciding] = useState<{ proposal: Proposal; approve: boolean }>();
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [done, setDone] = useState<string>();
  const [problem, setProblem] = useState<Problem>();

  if (!user) return <SignInPrompt purpose="Per vedere le proposte di modifica" />;
  const admin = user.role === 'admin';

  async function decide() {
    if (!deciding) return;
    const { proposal, approve } = deciding;
    setDeciding(undefined);
    const note = notes[proposal.id]?.trim();
    const { data, error, response } = await api.POST('/edition-change-proposals/{id}/decision', {
      params: { path: { id: proposal.id } },
      body: { approve, ...(note ? { note } : {}) },
    });
    if (data) {
      setProblem(undefined);
      setDone(
        `${approve ? 'Approvata' : 'Respinta'} la modifica di «${data.edition.course_title} – ${data.edition.title}»: l'ente è stato avvisato.`,
      );
      list.reload();
    } else {
      setDone(undefined);
      setProblem(asProblem(error, response.status));
      // The answer shows above the cards: on a phone, bring it into sight.
      window.scrollTo({ top: 0, behavior: 'smooth' });
    }
  }

  return (
    <>
      <Breadcrumbs parent={{ to: '/gestione', label: 'Gestione' }} current="Proposte di modifica" />
      <h1 className="mb-3">Proposte di modifica delle edizioni</h1>
      <p>
        {admin
          ? 'Gli enti propongono di cambiare posti, date o di annullare un’edizione già pubblicata: la modifica vale solo dopo la vostra approvazione, e l’ente riceve la decisione per e-mail.'
          : 'Posti, date e annullamento di un’edizione pubblicata cambiano con l’approvazione della Provincia. Qui vedete le vostre proposte e le decisioni.'}
      </p>
      <fieldset className="mb-3">
        <legend className="h6">Mostra</legend>
        {FILTERS.map((f) => (
          <div className="form-check form-check-inline" key={f.value || 'tutte'}>
            <input
              className="form-check-input"
              type="radio"
              name="stato-proposte"
              id={`stato-${f.value || 'tutte'}`}
              checked={status === f.value}
              onChange={() => setStatus(f.value)}
            />
            <label className="form-check-label" htmlFor={`stato-${f.value || 'tutte'}`}>
              {f.label}
            </label>
          </div>
        ))}
      </fieldset>
      <Outcome done={done} problem={problem} />
      <p role="status" className="fw-semibold">
        {list.total === undefined
          ? 'Caricamento…'
          : status === 'pending'
            ? list.total === 0
              ? 'Nessuna proposta da decidere.'
              : `${count(list.total, 'proposta', 'proposte')} da decidere`
            : count(list.total, 'proposta', 'proposte')}
      </p>
      {list.items.map((p) => (
        <ProposalCard
          key={p.id}
          proposal={p}
          admin={admin}
          note={notes[p.id] ?? ''}
          onNote={(note) => setNotes({ ...notes, [p.id]: note })}
          onDecide={(approve) => setDeciding({ proposal: p, approve })}
        />
      ))}
      <ErrorAlert problem={list.problem} />
      <Pagination page={list.page} pageCount={list.pageCount} onChange={list.setPage} label="Proposte di modifica" />
      <ConfirmDialog
        open={!!deciding}
        title={deciding?.approve ? 'Approvare la modifica?' : 'Respingere la modifica?'}
        confirmLabel={deciding?.approve ? 'Approva e applica' : 'Respingi'}
        cancelLabel="Torna alle proposte"
        onConfirm={decide}
        onCancel={() => setDeciding(undefined)}
      >
        {deciding && (
          <>
            <p>
              «{deciding.proposal.edition.course_title} – {deciding.proposal.edition.title}», proposta da{' '}
              {deciding.proposal.edition.provider_name}.
            </p>
            <p className="mb-0">
              {deciding.approve
                ? deciding.proposal.cancel
                  ? 'L’edizione sarà annullata subito e tutti gli iscritti riceveranno un avviso.'
                  : deciding.proposal.capacity !== undefined && deciding.proposal.capacity > deciding.proposal.edition.capacity
                    ? 'La modifica sarà applicata subito all’edizione; con più posti, i primi in lista d’attesa saranno iscritti.'
                    : 'La modifica sarà applicata subito all’edizione, se gli iscritti confermati ci stanno ancora.'
                : 'L’edizione resta com’è. L’ente riceverà la decisione con la vostra nota.'}
            </p>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

interface CardProps {
  proposal: Proposal;
  admin: boolean;
  note: string;
  onNote: (note: string) => void;
  onDecide: (approve: boolean) => void;
}

/** One proposal: what changes, from what to what, why, and the decision. */
function ProposalCard({ proposal: p, admin, note, onNote, onDecide }: CardProps) {
  const headingId = `proposta-${p.id}`;
  const tag = PROPOSAL_STATUS[p.status];
  const pending = p.status === 'pending';
  return (
    <section aria-labelledby={headingId} className="card card-bg shadow-sm rounded mb-4">
      <div className="card-body">
        <h2 id={headingId} className="h5 card-title">
          {admin ? (
            <Link to={`/gestione/corsi/${p.edition.course_id}`}>{p.edition.course_title}</Link>
          ) : (
            p.edition.course_title
          )}{' '}
          – {p.edition.title}
        </h2>
        <p className="mb-2">
          <Badge color={tag.color}>{tag.label}</Badge> · {p.edition.provider_name} · proposta il {longDate(p.created_at)}
          {p.proposed_by && ` da ${p.proposed_by}`} · edizione{' '}
          <span className="text-lowercase">{EDITION_STATUS[p.edition.status].label}</span>
        </p>
        <h3 className="h6 mt-3">Che cosa cambia</h3>
        <ul>
          {p.capacity !== undefined && (
            <li>
              Posti: da {p.edition.capacity} a <strong>{p.capacity}</strong>
            </li>
          )}
          {p.sessions && (
            <li>
              Sessioni:
              <ul>
                {p.edition.sessions.map((s, i) => (
                  <li key={`ora-${i}`}>
                    ora: <del>{sessionSpan(s.starts_at, s.ends_at)}</del>
                  </li>
                ))}
                {p.sessions.map((s, i) => (
                  <li key={`poi-${i}`}>
                    proposta: <strong>{sessionSpan(s.starts_at, s.ends_at)}</strong>
                  </li>
                ))}
              </ul>
            </li>
          )}
          {p.available_from && <li>Disponibile dal {when(p.available_from)}</li>}
          {p.available_until && <li>Disponibile fino al {when(p.available_until)}</li>}
          {p.cancel && (
            <li>
              <strong>Annullamento dell’edizione</strong>: gli iscritti saranno avvisati
            </li>
          )}
        </ul>
        <p className="mb-2">
          <span className="fw-semibold">Motivo:</span> {p.reason}
        </p>
        {!pending && p.decided_at && (
          <p className="mb-0">
            <span className="fw-semibold">Decisione</span> del {longDate(p.decided_at)}
            {p.decided_by && ` (${p.decided_by})`}
            {p.decision_note && `: ${p.decision_note}`}
          </p>
        )}
        {admin && pending && (
          <div className="mt-3">
            <label htmlFor={`nota-${p.id}`} className="form-label">
              Nota per l’ente (facoltativa)
            </label>
            <textarea
              id={`nota-${p.id}`}
              className="form-control mb-3"
              rows={2}
              maxLength={2000}
              value={note}
              onChange={(e) => onNote(e.target.value)}
            />
            <div className="d-flex flex-wrap gap-2">
              <Button color="primary" onClick={() => onDecide(true)}>
                Approva<span className="visually-hidden">: {p.edition.course_title} – {p.edition.title}</span>
              </Button>
              <Button color="danger" outline onClick={() => onDecide(false)}>
                Respingi<span className="visually-hidden">: {p.edition.course_title} – {p.edition.title}</span>
              </Button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
