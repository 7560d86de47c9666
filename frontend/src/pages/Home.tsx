import { Link } from 'react-router-dom';
import { Card, CardBody, CardText, CardTitle, Col, Row } from 'design-react-kit';
import { useAuth } from '../auth';
import { ROLE } from '../labels';
import { Dashboard } from './Dashboard';

export function Home() {
  const { user } = useAuth();
  return (
    <>
      <h1 className="mb-3">Formazione del personale dei comuni</h1>
      <p className="lead">
        cabina è la cabina di regia con cui la Provincia rileva i fabbisogni formativi dei comuni, pianifica
        l'anno, gestisce i corsi con gli enti formatori, iscrive e certifica il personale.
      </p>
      {user && (
        <p>
          Accesso eseguito come <strong>{user.full_name}</strong> ({ROLE[user.role]}).
        </p>
      )}
      {user?.role === 'admin' && <Dashboard />}
      <Row className="mt-4">
        <Col md={6} lg={4} className="mb-3">
          <Card className="card-bg rounded shadow-sm">
            <CardBody>
              <CardTitle tag="h2" className="h5">
                I comuni
              </CardTitle>
              <CardText>Popolazione, distanza dal capoluogo e contatti dei comuni della Provincia.</CardText>
              <Link to="/comuni">Consulta i comuni</Link>
            </CardBody>
          </Card>
        </Col>
        <Col md={6} lg={4} className="mb-3">
          <Card className="card-bg rounded shadow-sm">
            <CardBody>
              <CardTitle tag="h2" className="h5">
                Le API
              </CardTitle>
              <CardText>Documentazione interattiva delle API, conformi alle linee guida di interoperabilità.</CardText>
              <a href="/docs/">Apri la documentazione</a>
            </CardBody>
          </Card>
        </Col>
        {!user && (
          <Col md={6} lg={4} className="mb-3">
            <Card className="card-bg rounded shadow-sm">
              <CardBody>
                <CardTitle tag="h2" className="h5">
                  Area riservata
                </CardTitle>
                <CardText>Per la Provincia, i referenti dei comuni, gli enti formatori e i dipendenti.</CardText>
                <Link to="/accesso">Accedi</Link>
              </CardBody>
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
