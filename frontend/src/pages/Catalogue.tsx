import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Card, CardBody, CardText, CardTitle, Col, Row } from 'design-react-kit';
import { api, asProblem, type Problem } from '../api/client';
import type { components, paths } from '../api/schema';
import { useAuth } from '../auth';

type EditionPage = paths['/catalogue/editions']['get']['responses'][200]['content']['application/json'];
type Edition = EditionPage['items'][number];
type Theme = components['schemas']['ThemeResponse'];
type Comune = components['schemas']['ComuneResponse'];
type Delivery = NonNullable<Edition['delivery']>;

const DELIVERY_LABELS: Record<Delivery, string> = {
  in_person: 'In presenza',
  live_webinar: 'Webinar dal vivo',
  async_webinar: 'Webinar registrato',
  blended: 'Mista',
};

const STATUS_LABELS: Record<Edition['status'], string> = {
  draft: 'Bozza',
  open: 'Iscrizioni aperte',
  closed: 'Iscrizioni chiuse',
  completed: 'Conclusa',
  cancelled: 'Annullata',
};

const dateTime = new Intl.DateTimeFormat('it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' });

export function Catalogue() {
  const { user } = useAuth();
  const [themes, setThemes] = useState<Theme[]>([]);
  const [comuni, setComuni] = useState<Comune[]>([]);
  const [theme, setTheme] = useState('');
  const [delivery, setDelivery] = useState('');
  const [near, setNear] = useState('');
  const [editions, setEditions] = useState<Edition[]>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    api.GET('/themes').then(({ data }) => setThemes(data?.items ?? []));
    api.GET('/comuni', { params: { query: { limit: 200 } } }).then(({ data }) => setComuni(data?.items ?? []));
  }, []);

  useEffect(() => {
    const query = {
      limit: 100,
      ...(theme ? { theme_code: theme } : {}),
      ...(delivery ? { delivery: delivery as Delivery } : {}),
      ...(near ? { near } : {}),
    };
    api.GET('/catalogue/editions', { params: { query } }).then(({ data, error, response }) => {
      if (data) {
        setEditions(data.items);
        setProblem(undefined);
      } else {
        setProblem(asProblem(error, response.status));
      }
    });
  }, [theme, delivery, near]);

  return (
    <>
      <h1 className="mb-3">Catalogo della formazione</h1>
      <p className="mb-5">
        Le edizioni dei corsi offerti dalla Provincia ai comuni. Puoi aggiungerle al tuo calendario:{' '}
        <a href="/api/v1/catalogue/calendar">iscriviti al calendario delle edizioni</a> (formato iCalendar).
      </p>
      <Row>
        <Col md={4}>
          <div className="select-wrapper mb-4">
            <label htmlFor="tema">Tema</label>
            <select id="tema" value={theme} onChange={(e) => setTheme(e.target.value)}>
              <option value="">Tutti i temi</option>
              {themes.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        </Col>
        <Col md={4}>
          <div className="select-wrapper mb-4">
            <label htmlFor="modalita">Modalità</label>
            <select id="modalita" value={delivery} onChange={(e) => setDelivery(e.target.value)}>
              <option value="">Tutte le modalità</option>
              {(['in_person', 'live_webinar', 'async_webinar'] as const).map((d) => (
                <option key={d} value={d}>
                  {DELIVERY_LABELS[d]}
                </option>
              ))}
            </select>
          </div>
        </Col>
        <Col md={4}>
          <div className="select-wrapper mb-4">
            <label htmlFor="vicino">Più vicine a</label>
            <select id="vicino" value={near} onChange={(e) => setNear(e.target.value)}>
              <option value="">Nessun comune</option>
              {comuni.map((c) => (
                <option key={c.istat_code} value={c.istat_code}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        </Col>
      </Row>
      {problem && <Alert color="danger">{problem.detail}</Alert>}
      {editions && (
        <p aria-live="polite">
          {editions.length === 1 ? '1 edizione' : `${editions.length} edizioni`}
          {editions.length === 0 && ': prova a togliere qualche filtro.'}
        </p>
      )}
      <Row>
        {editions?.map((e) => (
          <Col md={6} lg={4} key={e.id} className="mb-3">
            <Card className="card-bg rounded shadow-sm h-100">
              <CardBody>
                <CardTitle tag="h2" className="h5">
                  {e.course_title}
                </CardTitle>
                <CardText>
                  <strong>{e.title}</strong> · {DELIVERY_LABELS[e.delivery]} · {STATUS_LABELS[e.status]}
                </CardText>
                {e.starts_at && <CardText>Dal {dateTime.format(new Date(e.starts_at))}</CardText>}
                {e.sessions[0]?.venue && (
                  <CardText>
                    {e.sessions[0].venue.name}, {e.sessions[0].venue.comune_name}
                    {e.distance_km !== undefined && ` (${e.distance_km.toLocaleString('it-IT')} km)`}
                  </CardText>
                )}
                <CardText>{e.capacity === 1 ? "1 posto" : `${e.capacity} posti`}</CardText>
                {user && (
                  <p className="mb-2">
                    <Link to={`/edizioni/${e.id}`}>
                      {user.role === 'employee' ? 'Iscrizione' : 'Iscrizioni e presenze'}
                      <span className="visually-hidden">: {e.course_title}, {e.title}</span>
                    </Link>
                  </p>
                )}
                <a href={`/api/v1/catalogue/courses/${e.course_id}/calendar`}>
                  Calendario di questo corso<span className="visually-hidden">: {e.course_title}</span>
                </a>
              </CardBody>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
