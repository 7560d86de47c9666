import { Link, NavLink, Route, Routes } from 'react-router-dom';
import { Button, Container, Header, HeaderBrand, HeaderContent, HeaderRightZone, Headers, Skiplink, SkiplinkItem } from 'design-react-kit';
import { useAuth } from './auth';
import { ROLE } from './labels';
import { CampaignDetail } from './pages/CampaignDetail';
import { Campaigns } from './pages/Campaigns';
import { Catalogue } from './pages/Catalogue';
import { ComuneDetail } from './pages/ComuneDetail';
import { ComuniList } from './pages/ComuniList';
import { EditionEnrolments } from './pages/EditionEnrolments';
import { Employees } from './pages/Employees';
import { CourseEditions } from './pages/admin/CourseEditions';
import { Courses } from './pages/admin/Courses';
import { Manage } from './pages/admin/Manage';
import { Providers } from './pages/admin/Providers';
import { Users } from './pages/admin/Users';
import { Venues } from './pages/admin/Venues';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { MyCourses } from './pages/MyCourses';
import { NotFound } from './pages/NotFound';
import { Outbox } from './pages/Outbox';
import { PlanDetail } from './pages/plans/PlanDetail';
import { Plans } from './pages/plans/Plans';
import { RegisterPage } from './pages/Register';
import { VerifyCertificate } from './pages/VerifyCertificate';

export function App() {
  return (
    <>
      <Skiplink>
        <SkiplinkItem href="#contenuto">Vai al contenuto principale</SkiplinkItem>
      </Skiplink>
      <SiteHeader />
      <main id="contenuto" className="cabina-main py-4">
        <Container>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/accesso" element={<Login />} />
            <Route path="/catalogo" element={<Catalogue />} />
            <Route path="/comuni" element={<ComuniList />} />
            <Route path="/dipendenti" element={<Employees />} />
            <Route path="/comuni/:istatCode" element={<ComuneDetail />} />
            <Route path="/campagne" element={<Campaigns />} />
            <Route path="/campagne/:id" element={<CampaignDetail />} />
            <Route path="/piani" element={<Plans />} />
            <Route path="/piani/:id" element={<PlanDetail />} />
            <Route path="/messaggi" element={<Outbox />} />
            <Route path="/edizioni/:id" element={<EditionEnrolments />} />
            <Route path="/sessioni/:id" element={<RegisterPage />} />
            <Route path="/i-miei-corsi" element={<MyCourses />} />
            <Route path="/verifica" element={<VerifyCertificate />} />
            <Route path="/gestione" element={<Manage />} />
            <Route path="/gestione/enti" element={<Providers />} />
            <Route path="/gestione/sedi" element={<Venues />} />
            <Route path="/gestione/utenti" element={<Users />} />
            <Route path="/gestione/corsi" element={<Courses />} />
            <Route path="/gestione/corsi/:id" element={<CourseEditions />} />
            <Route path="/verifica/:number" element={<VerifyCertificate />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Container>
      </main>
      <SiteFooter />
    </>
  );
}

function SiteHeader() {
  const { user, signOut } = useAuth();
  return (
    <Headers>
      <Header type="slim" theme="">
        <HeaderContent>
          <HeaderBrand>Provincia – Ufficio formazione</HeaderBrand>
          <HeaderRightZone>
            {user ? (
              <div className="d-flex align-items-center gap-3">
                <span className="text-white small">
                  {user.full_name} · {ROLE[user.role]}
                </span>
                <Button color="primary" size="sm" className="btn-icon" onClick={signOut}>
                  Esci
                </Button>
              </div>
            ) : (
              <Link className="btn btn-primary btn-sm" to="/accesso">
                Accedi
              </Link>
            )}
          </HeaderRightZone>
        </HeaderContent>
      </Header>
      <div className="it-header-center-wrapper">
        <Container>
          <div className="it-header-center-content-wrapper">
            <div className="it-brand-wrapper">
              <Link to="/">
                <div className="it-brand-text">
                  <div className="it-brand-title">cabina</div>
                  <div className="it-brand-tagline d-none d-md-block">La formazione del personale dei comuni</div>
                </div>
              </Link>
            </div>
          </div>
        </Container>
      </div>
      <nav className="it-header-navbar-wrapper" aria-label="Navigazione principale">
        <Container>
          <ul className="nav py-2">
            <li className="nav-item">
              <NavLink className="nav-link text-white" to="/" end>
                Home
              </NavLink>
            </li>
            <li className="nav-item">
              <NavLink className="nav-link text-white" to="/catalogo">
                Catalogo
              </NavLink>
            </li>
            <li className="nav-item">
              <NavLink className="nav-link text-white" to="/comuni">
                Comuni
              </NavLink>
            </li>
            {user && (user.role === 'admin' || user.role === 'referente') && (
              <li className="nav-item">
                <NavLink className="nav-link text-white" to="/dipendenti">
                  Dipendenti
                </NavLink>
              </li>
            )}
            {user && (user.role === 'admin' || user.role === 'referente') && (
              <li className="nav-item">
                <NavLink className="nav-link text-white" to="/campagne">
                  Fabbisogni
                </NavLink>
              </li>
            )}
            {user && (user.role === 'admin' || user.role === 'referente') && (
              <li className="nav-item">
                <NavLink className="nav-link text-white" to="/piani">
                  Piani
                </NavLink>
              </li>
            )}
            {user && (user.role === 'admin' || user.role === 'provider') && (
              <li className="nav-item">
                <NavLink className="nav-link text-white" to="/gestione">
                  Gestione
                </NavLink>
              </li>
            )}
            {user?.role === 'employee' && (
              <li className="nav-item">
                <NavLink className="nav-link text-white" to="/i-miei-corsi">
                  I miei corsi
                </NavLink>
              </li>
            )}
            {user?.role === 'admin' && (
              <li className="nav-item">
                <NavLink className="nav-link text-white" to="/messaggi">
                  Posta in uscita
                </NavLink>
              </li>
            )}
            <li className="nav-item">
              <a className="nav-link text-white" href="/docs/">
                API
              </a>
            </li>
          </ul>
        </Container>
      </nav>
    </Headers>
  );
}

function SiteFooter() {
  return (
    <footer className="it-footer">
      <div className="it-footer-small-prints clearfix">
        <Container>
          <ul className="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
            <li className="list-inline-item">
              <a href="/docs/">Documentazione delle API</a>
            </li>
            <li className="list-inline-item">
              <Link to="/verifica">Verifica un attestato</Link>
            </li>
            <li className="list-inline-item">
              <a href="/termini.html">Termini di utilizzo</a>
            </li>
            <li className="list-inline-item">
              <a href="/api/v1/status">Stato del servizio</a>
            </li>
          </ul>
        </Container>
      </div>
    </footer>
  );
}
