import { Link } from 'react-router-dom';
import { Card, CardBody, CardText, CardTitle, Col, Row } from 'design-react-kit';
import { useAuth } from '../../auth';

const SECTIONS = [
  { to: '/gestione/corsi', title: 'Corsi ed edizioni', text: 'Il catalogo: corsi, edizioni, sessioni, posti e stato.', roles: ['admin', 'provider'] },
  {
    to: '/gestione/proposte',
    title: 'Proposte di modifica',
    text: 'Posti, date e annullamenti di edizioni pubblicate proposti dagli enti, da approvare.',
    roles: ['admin'],
  },
  {
    to: '/gestione/proposte',
    title: 'Proposte di modifica',
    text: 'Posti, date e annullamenti delle vostre edizioni pubblicate proposti alla Provincia, e le sue decisioni.',
    roles: ['provider'],
  },
  { to: '/gestione/enti', title: 'Enti formatori', text: 'La rete degli enti, i temi per cui sono qualificati e fino a quando.', roles: ['admin'] },
  { to: '/gestione/sedi', title: 'Sedi', text: 'Le aule delle sessioni in presenza, con i posti e l’accessibilità.', roles: ['admin'] },
  { to: '/gestione/utenti', title: 'Utenti', text: 'Gli accessi: amministratori, referenti dei comuni, enti, dipendenti.', roles: ['admin'] },
  { to: '/campagne', title: 'Rilevazione dei fabbisogni', text: 'Le campagne annuali e le risposte dei comuni.', roles: ['admin'] },
  { to: '/messaggi', title: 'Posta in uscita', text: 'I messaggi inviati e quelli in attesa.', roles: ['admin'] },
];

/** The back office: what the admin (and a provider, for its courses) manages. */
export function Manage() {
  const { user } = useAuth();
  if (!user) {
    return (
      <p>
        Occorre <Link to="/accesso">accedere</Link>.
      </p>
    );
  }
  return (
    <>
      <h1 className="mb-4">Gestione</h1>
      <Row>
        {SECTIONS.filter((s) => s.roles.includes(user.role)).map((s) => (
          <Col md={6} lg={4} key={s.to} className="mb-3">
            <Card className="card-bg rounded shadow-sm h-100">
              <CardBody>
                <CardTitle tag="h2" className="h5">
                  <Link to={s.to}>{s.title}</Link>
                </CardTitle>
                <CardText>{s.text}</CardText>
              </CardBody>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
