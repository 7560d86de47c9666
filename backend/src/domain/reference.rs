//! The fixed reference taxonomies: municipal office areas and training themes.
//!
//! They are data every Province shares, so that needs aggregate across comuni; they are
//! seeded at start-up and identified by stable codes that other records refer to.

/// A municipal function (ufficio) of the shared taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeArea {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

/// A training subject. Mandatory themes have a refresher period, so that the system can
/// tell who is overdue; some forbid e-learning because the law requires presence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Named by the Province as a priority for the coming years.
    pub priority: bool,
    pub mandatory: bool,
    /// Months after which mandatory training must be repeated; `None` when it is not
    /// periodic (or not mandatory).
    pub refresher_months: Option<i32>,
    /// No asynchronous e-learning edition may be created for this theme.
    pub forbids_elearning: bool,
}

pub const OFFICE_AREAS: &[OfficeArea] = &[
    OfficeArea {
        code: "affari_generali",
        name: "Affari generali e segreteria",
        description: "Segreteria, protocollo, archivio, organi istituzionali, contratti",
    },
    OfficeArea {
        code: "finanziaria",
        name: "Servizi finanziari e ragioneria",
        description: "Bilancio, contabilità, economato, controllo di gestione",
    },
    OfficeArea {
        code: "tributi",
        name: "Tributi",
        description: "Entrate tributarie, IMU, TARI, riscossione",
    },
    OfficeArea {
        code: "tecnica_lavori_pubblici",
        name: "Area tecnica e lavori pubblici",
        description: "Opere pubbliche, manutenzioni, patrimonio, viabilità comunale",
    },
    OfficeArea {
        code: "urbanistica_edilizia",
        name: "Urbanistica ed edilizia privata",
        description: "Pianificazione, titoli edilizi, SUE, paesaggio",
    },
    OfficeArea {
        code: "ambiente",
        name: "Ambiente",
        description: "Rifiuti, tutela ambientale, verde pubblico",
    },
    OfficeArea {
        code: "polizia_locale",
        name: "Polizia locale",
        description: "Polizia municipale, codice della strada, polizia amministrativa",
    },
    OfficeArea {
        code: "demografici",
        name: "Servizi demografici",
        description: "Anagrafe, stato civile, elettorale, leva",
    },
    OfficeArea {
        code: "sociali",
        name: "Servizi sociali e scolastici",
        description: "Assistenza, politiche sociali, istruzione, mense e trasporti scolastici",
    },
    OfficeArea {
        code: "personale",
        name: "Personale e organizzazione",
        description: "Gestione giuridica ed economica del personale",
    },
    OfficeArea {
        code: "suap_attivita_produttive",
        name: "SUAP e attività produttive",
        description: "Sportello unico, commercio, turismo",
    },
    OfficeArea {
        code: "protezione_civile",
        name: "Protezione civile",
        description: "Pianificazione di emergenza e gestione degli eventi",
    },
    OfficeArea {
        code: "informatica",
        name: "Sistemi informativi e transizione digitale",
        description: "Servizi digitali, sicurezza informatica, responsabile per la transizione digitale",
    },
    OfficeArea {
        code: "cultura_sport",
        name: "Cultura, sport e tempo libero",
        description: "Biblioteche, eventi, impianti sportivi",
    },
];

pub const THEMES: &[Theme] = &[
    Theme {
        code: "sicurezza_lavoro_generale",
        name: "Sicurezza sul lavoro: formazione generale e specifica",
        description: "Formazione dei lavoratori (D.Lgs. 81/2008, art. 37; Accordo Stato-Regioni)",
        priority: true,
        mandatory: true,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "sicurezza_lavoro_aggiornamento",
        name: "Sicurezza sul lavoro: aggiornamento quinquennale",
        description: "Aggiornamento dei lavoratori, 6 ore ogni cinque anni",
        priority: true,
        mandatory: true,
        refresher_months: Some(60),
        forbids_elearning: false,
    },
    Theme {
        code: "sicurezza_rischio_medio_alto",
        name: "Sicurezza: formazione specifica rischio medio e alto",
        description: "Formazione specifica per mansioni a rischio medio o alto: richiede la presenza",
        priority: true,
        mandatory: true,
        refresher_months: Some(60),
        forbids_elearning: true,
    },
    Theme {
        code: "sicurezza_preposti",
        name: "Sicurezza: preposti",
        description: "Formazione e aggiornamento biennale dei preposti, in presenza",
        priority: true,
        mandatory: true,
        refresher_months: Some(24),
        forbids_elearning: true,
    },
    Theme {
        code: "primo_soccorso",
        name: "Addetti al primo soccorso",
        description: "Formazione e aggiornamento triennale degli addetti al primo soccorso (D.M. 388/2003)",
        priority: true,
        mandatory: true,
        refresher_months: Some(36),
        forbids_elearning: true,
    },
    Theme {
        code: "antincendio",
        name: "Addetti antincendio",
        description: "Formazione e aggiornamento quinquennale degli addetti antincendio (D.M. 2 settembre 2021)",
        priority: true,
        mandatory: true,
        refresher_months: Some(60),
        forbids_elearning: true,
    },
    Theme {
        code: "viabilita_segnaletica_cantieri",
        name: "Viabilità: segnaletica stradale per cantieri",
        description: "Lavori in presenza di traffico veicolare (D.I. 22 gennaio 2019), aggiornamento quadriennale",
        priority: true,
        mandatory: true,
        refresher_months: Some(48),
        forbids_elearning: true,
    },
    Theme {
        code: "viabilita_gestione_strade",
        name: "Viabilità: gestione e manutenzione delle strade",
        description: "Codice della strada, manutenzione, sicurezza stradale",
        priority: true,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "privacy",
        name: "Privacy e protezione dei dati personali",
        description: "Regolamento (UE) 2016/679 e D.Lgs. 196/2003: formazione degli autorizzati al trattamento",
        priority: true,
        mandatory: true,
        refresher_months: Some(24),
        forbids_elearning: false,
    },
    Theme {
        code: "anticorruzione_trasparenza",
        name: "Anticorruzione e trasparenza",
        description: "Legge 190/2012 e D.Lgs. 33/2013: formazione annuale prevista dal PIAO",
        priority: true,
        mandatory: true,
        refresher_months: Some(12),
        forbids_elearning: false,
    },
    Theme {
        code: "pari_opportunita",
        name: "Pari opportunità",
        description: "Parità di genere, contrasto alle discriminazioni, benessere organizzativo",
        priority: true,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "urbanistica",
        name: "Urbanistica ed edilizia",
        description: "Pianificazione, titoli edilizi, vincoli paesaggistici",
        priority: false,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "ambiente",
        name: "Ambiente",
        description: "Rifiuti, bonifiche, autorizzazioni ambientali",
        priority: false,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "protezione_civile",
        name: "Protezione civile",
        description: "Piani comunali di emergenza e gestione degli eventi",
        priority: false,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "digitalizzazione",
        name: "Digitalizzazione",
        description: "Transizione digitale, servizi online, sicurezza informatica, competenze digitali",
        priority: false,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "gestione_associata",
        name: "Gestione associata dei servizi",
        description: "Unioni di comuni, convenzioni, funzioni associate",
        priority: false,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
    Theme {
        code: "contratti_pubblici",
        name: "Contratti pubblici",
        description: "Codice dei contratti pubblici (D.Lgs. 36/2023), appalti, e-procurement",
        priority: false,
        mandatory: false,
        refresher_months: None,
        forbids_elearning: false,
    },
];

/// An office area as stored: the seeded taxonomy, read back from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOfficeArea {
    pub code: String,
    pub name: String,
    pub description: String,
}

/// A theme as stored: the seeded taxonomy, read back from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTheme {
    pub code: String,
    pub name: String,
    pub description: String,
    pub priority: bool,
    pub mandatory: bool,
    pub refresher_months: Option<i32>,
    pub forbids_elearning: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case() {
        let codes: Vec<&str> = OFFICE_AREAS
            .iter()
            .map(|a| a.code)
            .chain(THEMES.iter().map(|t| t.code))
            .collect();
        for code in &codes {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
        }
        assert_eq!(
            OFFICE_AREAS
                .iter()
                .map(|a| a.code)
                .collect::<HashSet<_>>()
                .len(),
            OFFICE_AREAS.len()
        );
        assert_eq!(
            THEMES.iter().map(|t| t.code).collect::<HashSet<_>>().len(),
            THEMES.len()
        );
    }

    #[test]
    fn periodic_themes_are_mandatory() {
        for theme in THEMES {
            assert!(
                theme.refresher_months.is_none() || theme.mandatory,
                "{}",
                theme.code
            );
        }
    }

    #[test]
    fn every_priority_theme_of_the_brief_is_present() {
        for code in [
            "viabilita_gestione_strade",
            "sicurezza_lavoro_generale",
            "privacy",
            "anticorruzione_trasparenza",
            "pari_opportunita",
        ] {
            assert!(
                THEMES.iter().any(|t| t.code == code && t.priority),
                "{code}"
            );
        }
    }
}
