import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Badge, CardText, Col, Row } from 'design-react-kit';
import { usePagedList, type ItemOf } from '../api/collections';
import { useManagesCourse, useOwnEnrolments } from '../api/mine';
import type { components } from '../api/schema';
import { useAuth, type User } from '../auth';
import { CourseCard } from '../components/CourseCard';
import { ListCount } from '../components/DataTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { Pagination } from '../components/Pagination';
import { ReferenceSelect, SelectField } from '../components/SelectField';
import { address, count, decimal, fee } from '../format';
import { ownState, takesEnrolments } from '../enrolment';
import { EDITION_STATUS, MODALITY, optionsOf, type Modality } from '../labels';

type CatalogueEdition = ItemOf<'/catalogue/editions'>;
type Enrolment = components['schemas']['EnrolmentResponse'];

const dateTime = new Intl.DateTimeFormat('it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' });

/** The modalities an edition is delivered in (a blended course has editions of these). */
const DELIVERIES = optionsOf(MODALITY, ['in_person', 'live_webinar', 'async_webinar']);

export function Catalogue() {
  const { user } = useAuth();
  const mine = useOwnEnrolments(user);
  const manages = useManagesCourse(user);
  const [theme, setTheme] = useState('');
  const [delivery, setDelivery] = useState('');
  const [near, setNear] = useState('');
  const [withConcluded, setWithConcluded] = useState(false);
  // Read once: a moving "now" would ask the server again at every render.
  const [now] = useState(() => new Date().toISOString());
  const editions = usePagedList(
    '/catalogue/editions',
    {
      ...(theme ? { theme_code: theme } : {}),
      ...(delivery ? { delivery: delivery as Modality } : {}),
      ...(near ? { near } : {}),
      // Editions already over are of no use to someone choosing a course: shown on request.
      ...(withConcluded ? {} : { from: now }),
    },
    { pageSize: 12 },
  );

  return (
    <>
      <h1 className="mb-3">Catalogo della formazione</h1>
      <p className="mb-5">
        Le edizioni dei corsi offerti dalla Provincia ai comuni. Potete aggiungerle al vostro calendario:{' '}
        <a href="/api/v1/catalogue/calendar">abbonatevi al calendario delle edizioni</a> (formato iCalendar).
      </p>
      <Row>
        <Col md={4}>
          <ReferenceSelect source="themes" id="tema" label="Tema" className="mb-4" value={theme} onChange={setTheme} placeholder="Tutti i temi" />
        </Col>
        <Col md={4}>
          <SelectField
            id="modalita"
            label="Modalità"
            className="mb-4"
            value={delivery}
            onChange={setDelivery}
            options={DELIVERIES}
            placeholder="Tutte le modalità"
          />
        </Col>
        <Col md={4}>
          <ReferenceSelect source="comuni" id="vicino" label="Più vicine a" className="mb-4" value={near} onChange={setNear} placeholder="Nessun comune" />
        </Col>
      </Row>
      <div className="form-check mb-4">
        <input id="concluse" type="checkbox" checked={withConcluded} onChange={(e) => setWithConcluded(e.target.checked)} />
        <label htmlFor="concluse">Mostra anche le edizioni concluse</label>
      </div>
      <ErrorAlert problem={editions.problem} />
      <ListCount
        list={editions}
        count={(n) => `${count(n, 'edizione', 'edizioni')}${n === 0 ? ': provate a togliere qualche filtro.' : ''}`}
      />
      <Row aria-busy={editions.loading || undefined}>
        {editions.items.map((e) => (
          <Col md={6} lg={4} key={e.id} className="mb-3">
            <CourseCard title={<Link to={`/catalogo/corsi/${e.course_id}`}>{e.course_title}</Link>}>
              <CardText>
                <strong>{e.title}</strong> · {MODALITY[e.delivery]} · {EDITION_STATUS[e.status].label}
              </CardText>
              {e.starts_at && <CardText>Dal {dateTime.format(new Date(e.starts_at))}</CardText>}
              {e.sessions[0]?.venue && (
                <CardText>
                  {address(e.sessions[0].venue.name, e.sessions[0].venue.comune_name)}
                  {e.distance_km !== undefined && ` (${decimal(e.distance_km)} km)`}
                </CardText>
              )}
              <CardText>
                {e.seats_left === 0
                  ? `${count(e.capacity, 'posto', 'posti')}, tutti occupati: lista d’attesa`
                  : `${count(e.seats_left, 'posto libero', 'posti liberi')} su ${e.capacity}`}
                {e.participant_fee_eur > 0 && ` · ${fee(e.participant_fee_eur)}`}
              </CardText>
              <EditionAction edition={e} user={user} own={mine.get(e.id)} manages={manages} />
              <a href={`/api/v1/catalogue/courses/${e.course_id}/calendar`}>
                Calendario di questo corso<span className="visually-hidden">: {e.course_title}</span>
              </a>
            </CourseCard>
          </Col>
        ))}
      </Row>
      <Pagination page={editions.page} pageCount={editions.pageCount} onChange={editions.setPage} label="Edizioni del catalogo" />
    </>
  );
}

interface EditionActionProps {
  edition: CatalogueEdition;
  user: User | null;
  /** The employee's own enrolment in it, if any. */
  own?: Enrolment;
  manages?: (courseId: number) => boolean;
}

/**
 * What a signed-in person can do with an edition: an employee sees their own state or is
 * offered the enrolment; the admin and the provider giving the course manage enrolments
 * and registers; a referente enrols the comune's staff. Provider staff get nothing on
 * another provider's editions.
 */
function EditionAction({ edition: e, user, own, manages }: EditionActionProps) {
  if (!user) return null;
  const named = (
    <span className="visually-hidden">
      : {e.course_title}, {e.title}
    </span>
  );
  const state = ownState(own, e);
  if (user.role === 'employee' && state) {
    return (
      <p className="mb-2">
        <Badge color={state.color}>{state.label}</Badge>
        {named} · <Link to="/i-miei-corsi">I miei corsi</Link>
      </p>
    );
  }
  const label =
    user.role === 'employee'
      ? takesEnrolments(e)
        ? 'Iscrizione'
        : undefined
      : user.role === 'referente'
        ? 'Iscrivi i dipendenti'
        : manages?.(e.course_id)
          ? 'Iscrizioni e presenze'
          : undefined;
  if (user.role === 'employee' && !label && e.status === 'open' && new Date(e.enrolment_opens_at) > new Date()) {
    return <p className="mb-2">Iscrizioni dal {dateTime.format(new Date(e.enrolment_opens_at))}</p>;
  }
  if (!label) return null;
  return (
    <p className="mb-2">
      <Link to={`/edizioni/${e.id}`}>
        {label}
        {named}
      </Link>
    </p>
  );
}
