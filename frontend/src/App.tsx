import { useState } from 'react';
import { Link, NavLink, Route, Routes } from 'react-router-dom';
import {
  Button,
  Collapse,
  Container,
  Header,
  HeaderBrand,
  HeaderContent,
  HeaderRightZone,
  HeaderToggler,
  Headers,
  Icon,
  Nav,
  NavItem,
  Skiplink,
  SkiplinkItem,
} from 'design-react-kit';
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
import { Proposals } from './pages/admin/Proposals';
import { Providers } from './pages/admin/Providers';
import { Users } from './pages/admin/Users';
import { Venues } from './pages/admin/Venues';
import { Home } from './pages/Home';
import { ForgotPassword } from './pages/ForgotPassword';
import { Login } from './pages/Login';
import { MyCourses } from './pages/MyCourses';
import { NotFound } from './pages/NotFound';
import { CoursePage } from './pages/CoursePage';
import { Outbox } from './pages/Outbox';
import { PlanDetail } from './pages/plans/PlanDetail';
import { Plans } from './pages/plans/Plans';
import { RegisterPage } from './pages/Register';
import { SetPassword } from './pages/SetPassword';
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
            <Route path="/password-dimenticata" element={<ForgotPassword />} />
            <Route path="/imposta-password" element={<SetPassword />} />
            <Route path="/catalogo" element={<Catalogue />} />
            <Route path="/catalogo/corsi/:id" element={<CoursePage />} />
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
            <Route path="/gestione/proposte" element={<Proposals />} />
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

/** The screens a role reaches from the menu, in order: path and label. */
function menu(role: string | undefined): [string, string][] {
  const office = role === 'admin' || role === 'referente';
  return [
    ['/', 'Home'],
    ['/catalogo', 'Catalogo'],
    ['/comuni', 'Comuni'],
    ...(office
      ? ([
          ['/dipendenti', 'Dipendenti'],
          ['/campagne', 'Fabbisogni'],
          ['/piani', 'Piani'],
        ] as [string, string][])
      : []),
    ...(role === 'admin' || role === 'provider' ? ([['/gestione', 'Gestione']] as [string, string][]) : []),
    ...(role === 'employee' ? ([['/i-miei-corsi', 'I miei corsi']] as [string, string][]) : []),
    ...(role === 'admin' ? ([['/messaggi', 'Posta in uscita']] as [string, string][]) : []),
  ];
}

function SiteHeader() {
  const { user, signOut } = useAuth();
  // The phone's menu slides in over the page; it closes on a choice, Escape or the overlay.
  const [menuOpen, setMenuOpen] = useState(false);
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
      <Header type="navbar" theme="">
        <HeaderContent expand="lg">
          <HeaderToggler
            aria-controls="menu-principale"
            aria-expanded={menuOpen}
            aria-label="Apri il menu di navigazione"
            onClick={() => setMenuOpen(true)}
          >
            <Icon icon="it-burger" />
          </HeaderToggler>
          <Collapse
            id="menu-principale"
            isOpen={menuOpen}
            navbar
            header
            closeSrText="Chiudi il menu"
            onOverlayClick={() => setMenuOpen(false)}
          >
            <div className="menu-wrapper">
              <nav aria-label="Navigazione principale">
                <Nav navbar>
                  {menu(user?.role).map(([to, label]) => (
                    <NavItem key={to}>
                      <NavLink className="nav-link" to={to} end={to === '/'} onClick={() => setMenuOpen(false)}>
                        <span>{label}</span>
                      </NavLink>
                    </NavItem>
                  ))}
                  <NavItem>
                    <a className="nav-link" href="/docs/">
                      <span>API</span>
                    </a>
                  </NavItem>
                </Nav>
              </nav>
            </div>
          </Collapse>
        </HeaderContent>
      </Header>
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
