import { Link, useParams } from 'react-router-dom';
import { Badge, Card, CardBody, CardText, CardTitle, Col, Row } from 'design-react-kit';
import { api } from '../api/client';
import { useApi } from '../api/useApi';
import { useOwnEnrolments } from '../api/mine';
import type { components } from '../api/schema';
import { useAuth } from '../auth';
import { ownState } from '../enrolment';
import { ErrorAlert } from '../components/ErrorAlert';
import { address, count, duration, fee } from '../format';
import { LANGUAGE, type Language } from '../labels';
import { NotFound } from './NotFound';

/** The parts of the schema.org JSON-LD (`GET /catalogue/linked-data`) this page shows. */
interface Place {
  '@type': 'Place' | 'VirtualLocation';
  name: string;
  address?: { streetAddress: string; addressLocality: string };
  description?: string;
}
interface CourseInstance {
  name: string;
  courseMode: 'Onsite' | 'Online' | 'Blended';
  startDate?: string;
  endDate?: string;
  location: Place;
  eventStatus: string;
  maximumAttendeeCapacity: number;
  remainingAttendeeCapacity: number;
  /** Where a signed-in employee enrols. */
  url: string;
}
interface Course {
  '@id': string;
  name: string;
  description: string;
  teaches: string;
  about: string;
  provider: { name: string };
  timeRequired: string;
  inLanguage: Language;
  offers: { price: number };
  educationalCredentialAwarded?: string;
  hasCourseInstance: CourseInstance[];
}
interface ItemList {
  itemListElement: { item: Course }[];
}

type Enrolment = components['schemas']['EnrolmentResponse'];

const MODE: Record<CourseInstance['courseMode'], string> = {
  Onsite: 'In presenza',
  Online: 'Online',
  Blended: 'Mista',
};
const dateTime = new Intl.DateTimeFormat('it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' });

/** "PT6H30M" → "6 h 30 min". */
function hours(iso: string): string {
  const [, h = '0', m = '0'] = /PT(?:(\d+)H)?(?:(\d+)M)?/.exec(iso) ?? [];
  return duration(Number(h) + Number(m) / 60);
}

/** Whether the edition's last day has passed: no more seats to offer. */
function isOver(instance: CourseInstance): boolean {
  const end = instance.endDate ?? instance.startDate;
  return !!end && new Date(end).getTime() < Date.now();
}

/** "3 posti liberi su 25", or that new enrolments go to the waiting list. */
function seats(instance: CourseInstance): string {
  if (isOver(instance)) return 'Edizione conclusa';
  const total = instance.maximumAttendeeCapacity;
  return instance.remainingAttendeeCapacity === 0
    ? `${count(total, 'posto', 'posti')}, tutti occupati: le nuove iscrizioni vanno in lista d’attesa`
    : `${count(instance.remainingAttendeeCapacity, 'posto libero', 'posti liberi')} su ${total}`;
}

/** The edition's id, from where an employee enrols in it (`/edizioni/12`). */
function editionId(instance: CourseInstance): number | undefined {
  const match = /\/edizioni\/(\d+)$/.exec(new URL(instance.url).pathname);
  return match ? Number(match[1]) : undefined;
}

/**
 * An employee's own place in an edition: their state if they are enrolled ("Iscrizione
 * confermata", "In lista d'attesa (2°)"), the way to enrol if the edition is still to
 * come, nothing for a concluded one they did not attend.
 */
function OwnEnrolment({ instance, mine }: { instance: CourseInstance; mine: Map<number, Enrolment> }) {
  const id = editionId(instance);
  const own = id === undefined ? undefined : mine.get(id);
  // What a concluded edition came to is told in "I miei corsi", which knows the outcome.
  if (own && own.status !== 'completed' && own.status !== 'cancelled' && isOver(instance))
    return (
      <CardText>
        <Link to="/i-miei-corsi">L’esito è in «I miei corsi»</Link>
      </CardText>
    );
  const state = ownState(own);
  if (state)
    return (
      <CardText>
        <Badge color={state.color}>{state.label}</Badge> · <Link to="/i-miei-corsi">I miei corsi</Link>
      </CardText>
    );
  if (isOver(instance)) return null;
  return (
    <Link to={new URL(instance.url).pathname} className="btn btn-primary btn-sm">
      Iscrizione<span className="visually-hidden"> a {instance.name}</span>
    </Link>
  );
}

/**
 * The data block search engines read: the course as schema.org JSON-LD. `<` is escaped so
 * that no text in it can close the script element.
 */
function LinkedData({ course }: { course: Course }) {
  const json = JSON.stringify({ '@context': 'https://schema.org', ...course }).replace(/</g, '\\u003c');
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />;
}

/** The public page of one course of the catalogue, with its editions. */
export function CoursePage() {
  const { id } = useParams();
  const { user } = useAuth();
  const mine = useOwnEnrolments(user);
  const catalogue = useApi(() => api.GET('/catalogue/linked-data'), []);
  const list = catalogue.data as ItemList | undefined;
  const course = list?.itemListElement
    .map((element) => element.item)
    .find((item) => item['@id'].endsWith(`/catalogo/corsi/${id}`));

  if (catalogue.problem) return <ErrorAlert problem={catalogue.problem} />;
  if (!list) return <p aria-busy="true">Caricamento del corso…</p>;
  if (!course) return <NotFound />;
  return (
    <>
      <LinkedData course={course} />
      <p>
        <Link to="/catalogo">← Catalogo della formazione</Link>
      </p>
      <h1 className="mb-3">{course.name}</h1>
      <p className="lead">{course.description}</p>
      <dl className="row">
        <dt className="col-sm-3">Tema</dt>
        <dd className="col-sm-9">{course.about}</dd>
        <dt className="col-sm-3">Ente formatore</dt>
        <dd className="col-sm-9">{course.provider.name}</dd>
        <dt className="col-sm-3">Durata</dt>
        <dd className="col-sm-9">{hours(course.timeRequired)}</dd>
        <dt className="col-sm-3">Costo</dt>
        <dd className="col-sm-9">{fee(course.offers.price)}</dd>
        <dt className="col-sm-3">Lingua</dt>
        <dd className="col-sm-9">{LANGUAGE[course.inLanguage] ?? course.inLanguage}</dd>
        <dt className="col-sm-3">Obiettivi</dt>
        <dd className="col-sm-9">{course.teaches}</dd>
        {course.educationalCredentialAwarded && (
          <>
            <dt className="col-sm-3">Al termine</dt>
            <dd className="col-sm-9">{course.educationalCredentialAwarded}</dd>
          </>
        )}
      </dl>
      <h2 className="h4 mt-4 mb-3">Edizioni</h2>
      {course.hasCourseInstance.length === 0 && <p>Nessuna edizione in programma.</p>}
      <Row>
        {/* The editions still to come first; the concluded ones after, without seats. */}
        {[...course.hasCourseInstance].sort((a, b) => Number(isOver(a)) - Number(isOver(b))).map((instance, index) => (
          <Col md={6} key={index} className="mb-3">
            <Card className="card-bg rounded shadow-sm h-100">
              <CardBody>
                <CardTitle tag="h3" className="h5">
                  {instance.name}
                </CardTitle>
                <CardText>
                  {MODE[instance.courseMode]} · {seats(instance)}
                </CardText>
                {instance.startDate && (
                  <CardText>
                    Dal {dateTime.format(new Date(instance.startDate))}
                    {instance.endDate && ` al ${dateTime.format(new Date(instance.endDate))}`}
                  </CardText>
                )}
                <CardText>
                  {instance.location.address
                    ? address(instance.location.name, instance.location.address.streetAddress, instance.location.address.addressLocality)
                    : 'Online'}
                </CardText>
                {instance.location.description && <CardText>Accessibilità: {instance.location.description}</CardText>}
                {user?.role === 'employee' && <OwnEnrolment instance={instance} mine={mine} />}
              </CardBody>
            </Card>
          </Col>
        ))}
      </Row>
      {!user && (
        <p className="mt-3">
          Per iscrivervi <Link to="/accesso">accedete</Link> con l'account del vostro comune.
        </p>
      )}
    </>
  );
}
