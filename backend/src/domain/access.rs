//! Who may do what: the single place where roles and scopes are decided.
//!
//! Handlers never compare roles themselves. They ask [`Actor::authorize`] about an
//! [`Operation`], and list queries take the [`Scope`] the actor carries, so a referente's
//! query has no way to forget its comune.
use super::comune::IstatCode;
use super::user::{Affiliation, Role};

/// The authenticated person behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub affiliation: Affiliation,
}

/// The part of the data an actor may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole Province (admin).
    Province,
    /// One comune's data (referente).
    Comune(IstatCode),
    /// One provider's data (provider staff).
    Provider(i64),
    /// The actor's own records only (employee).
    OwnRecords { user_id: i64, comune: IstatCode },
}

/// Something an actor wants to do, with the target it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation<'a> {
    /// Create, read, change or deactivate user accounts.
    ManageUsers,
    /// See the contacts of a comune (referente e-mail, PEC, phone).
    ReadComuneContacts(&'a IstatCode),
    /// Change the contacts of a comune.
    EditComuneContacts(&'a IstatCode),
    /// See the providers, venues and the Province's course list.
    ReadCatalogueSetup,
    /// Create, requalify or delete providers; manage venues and courses.
    ManageCatalogue,
    /// Change a provider's contacts (its own staff may).
    EditProviderContacts(i64),
    /// Create and change the editions of a course given by this provider.
    ManageEditionsOf(i64),
    /// See and change the employees of a comune (and import, export, erase them).
    ManageEmployeesOf(&'a IstatCode),
    /// Read the log of who read or changed personal data.
    ReadAuditLog,
    /// Read the e-mail outbox (addresses are personal data: admin only).
    ReadOutbox,
    /// Enrol an employee of `comune` in an edition, or cancel the enrolment. `own_record`:
    /// the employee is the caller; `self_enrolment`: the edition lets employees enrol
    /// themselves.
    Enrol {
        comune: &'a IstatCode,
        own_record: bool,
        self_enrolment: bool,
    },
    /// See an enrolment of an employee of `comune` in an edition given by `provider`.
    ReadEnrolment {
        comune: &'a IstatCode,
        provider: i64,
        own_record: bool,
    },
    /// Download the certificate of an enrolment: the admin, the referente of the comune, the
    /// person themselves.
    ReadCertificate {
        comune: &'a IstatCode,
        own_record: bool,
    },
    /// Answer the feedback questionnaire: the person themselves only.
    GiveFeedback { own_record: bool },
    /// See the needs-survey campaigns.
    ReadCampaigns,
    /// Create, open and close campaigns; reopen a comune's answer.
    ManageCampaigns,
    /// Write a comune's answer (need lines) and submit it.
    AnswerFor(&'a IstatCode),
    /// Compute, edit, approve and publish annual plans.
    ManagePlans,
    /// Approve or reject a provider's proposal to change a published edition.
    DecideEditionChanges,
    /// Read annual plans: the admin whole, a referente what concerns their comune (the
    /// use case narrows the plan to it).
    ReadPlans,
}

/// The actor may not do what it asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("operation not permitted for this user")]
pub struct AccessDenied;

impl Actor {
    /// The data this actor may see.
    pub fn scope(&self) -> Scope {
        match (&self.role, &self.affiliation) {
            (Role::Admin, _) => Scope::Province,
            (Role::Referente, Affiliation::Comune(code)) => Scope::Comune(code.clone()),
            (Role::Provider, Affiliation::Provider(id)) => Scope::Provider(*id),
            (Role::Employee, Affiliation::Comune(code)) => Scope::OwnRecords {
                user_id: self.user_id,
                comune: code.clone(),
            },
            // An affiliation that does not fit the role cannot be stored (see
            // `Affiliation::for_role`); should one appear, it sees nothing of anyone.
            _ => Scope::OwnRecords {
                user_id: self.user_id,
                comune: IstatCode::parse("000000").expect("six digits"),
            },
        }
    }

    /// # Errors
    /// [`AccessDenied`] when the actor's role and scope do not allow `operation`.
    pub fn authorize(&self, operation: Operation<'_>) -> Result<(), AccessDenied> {
        let allowed = match operation {
            Operation::ManageUsers | Operation::ManageCatalogue => self.role == Role::Admin,
            Operation::ReadCatalogueSetup => matches!(self.role, Role::Admin | Role::Provider),
            Operation::EditProviderContacts(provider) | Operation::ManageEditionsOf(provider) => {
                match self.scope() {
                    Scope::Province => true,
                    Scope::Provider(own) => own == provider,
                    _ => false,
                }
            }
            Operation::ReadComuneContacts(_) => true,
            Operation::ReadAuditLog
            | Operation::ReadOutbox
            | Operation::ManageCampaigns
            | Operation::ManagePlans
            | Operation::DecideEditionChanges => self.role == Role::Admin,
            Operation::ReadCampaigns | Operation::ReadPlans => {
                matches!(self.role, Role::Admin | Role::Referente)
            }
            Operation::ManageEmployeesOf(code) | Operation::AnswerFor(code) => match self.scope() {
                Scope::Province => true,
                Scope::Comune(own) => &own == code,
                _ => false,
            },
            Operation::Enrol {
                comune,
                own_record,
                self_enrolment,
            } => match self.scope() {
                Scope::Province => true,
                Scope::Comune(own) => &own == comune,
                Scope::OwnRecords { .. } => own_record && self_enrolment,
                Scope::Provider(_) => false,
            },
            Operation::ReadEnrolment {
                comune,
                provider,
                own_record,
            } => match self.scope() {
                Scope::Province => true,
                Scope::Comune(own) => &own == comune,
                Scope::Provider(own) => own == provider,
                Scope::OwnRecords { .. } => own_record,
            },
            Operation::ReadCertificate { comune, own_record } => match self.scope() {
                Scope::Province => true,
                Scope::Comune(own) => &own == comune,
                Scope::OwnRecords { .. } => own_record,
                Scope::Provider(_) => false,
            },
            Operation::GiveFeedback { own_record } => {
                own_record && matches!(self.scope(), Scope::OwnRecords { .. })
            }
            Operation::EditComuneContacts(code) => match self.scope() {
                Scope::Province => true,
                Scope::Comune(own) => &own == code,
                _ => false,
            },
        };
        if allowed { Ok(()) } else { Err(AccessDenied) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> IstatCode {
        IstatCode::parse(s).unwrap()
    }

    fn actor(role: Role, affiliation: Affiliation) -> Actor {
        Actor {
            user_id: 7,
            role,
            affiliation,
        }
    }

    #[test]
    fn only_the_admin_manages_users() {
        let admin = actor(Role::Admin, Affiliation::Province);
        let referente = actor(Role::Referente, Affiliation::Comune(code("008031")));
        assert!(admin.authorize(Operation::ManageUsers).is_ok());
        assert_eq!(
            referente.authorize(Operation::ManageUsers),
            Err(AccessDenied)
        );
    }

    #[test]
    fn a_referente_edits_only_their_own_comune() {
        let imperia = code("008031");
        let sanremo = code("008055");
        let referente = actor(Role::Referente, Affiliation::Comune(imperia.clone()));
        assert!(
            referente
                .authorize(Operation::EditComuneContacts(&imperia))
                .is_ok()
        );
        assert!(
            referente
                .authorize(Operation::EditComuneContacts(&sanremo))
                .is_err()
        );
    }

    #[test]
    fn employees_and_providers_edit_no_comune() {
        let imperia = code("008031");
        let employee = actor(Role::Employee, Affiliation::Comune(imperia.clone()));
        let provider = actor(Role::Provider, Affiliation::Provider(3));
        assert!(
            employee
                .authorize(Operation::EditComuneContacts(&imperia))
                .is_err()
        );
        assert!(
            provider
                .authorize(Operation::EditComuneContacts(&imperia))
                .is_err()
        );
    }

    #[test]
    fn provider_staff_manage_only_their_own_provider() {
        let provider = actor(Role::Provider, Affiliation::Provider(3));
        assert!(
            provider
                .authorize(Operation::EditProviderContacts(3))
                .is_ok()
        );
        assert!(provider.authorize(Operation::ManageEditionsOf(3)).is_ok());
        assert!(provider.authorize(Operation::ManageEditionsOf(4)).is_err());
        assert!(provider.authorize(Operation::ManageCatalogue).is_err());
        let referente = actor(Role::Referente, Affiliation::Comune(code("008031")));
        assert!(referente.authorize(Operation::ReadCatalogueSetup).is_err());
        assert!(referente.authorize(Operation::ManageEditionsOf(3)).is_err());
    }

    #[test]
    fn referenti_manage_their_own_comunes_employees_only() {
        let imperia = code("008031");
        let sanremo = code("008055");
        let referente = actor(Role::Referente, Affiliation::Comune(imperia.clone()));
        assert!(
            referente
                .authorize(Operation::ManageEmployeesOf(&imperia))
                .is_ok()
        );
        assert!(
            referente
                .authorize(Operation::ManageEmployeesOf(&sanremo))
                .is_err()
        );
        let employee = actor(Role::Employee, Affiliation::Comune(imperia.clone()));
        assert!(
            employee
                .authorize(Operation::ManageEmployeesOf(&imperia))
                .is_err()
        );
        assert!(referente.authorize(Operation::ReadAuditLog).is_err());
    }

    #[test]
    fn scope_follows_role_and_affiliation() {
        let imperia = code("008031");
        assert_eq!(
            actor(Role::Admin, Affiliation::Province).scope(),
            Scope::Province
        );
        assert_eq!(
            actor(Role::Referente, Affiliation::Comune(imperia.clone())).scope(),
            Scope::Comune(imperia.clone())
        );
        assert_eq!(
            actor(Role::Provider, Affiliation::Provider(3)).scope(),
            Scope::Provider(3)
        );
        assert_eq!(
            actor(Role::Employee, Affiliation::Comune(imperia.clone())).scope(),
            Scope::OwnRecords {
                user_id: 7,
                comune: imperia
            }
        );
    }

    #[test]
    fn employees_enrol_themselves_only_where_the_edition_allows_it() {
        let imperia = code("008031");
        let sanremo = code("008055");
        let employee = actor(Role::Employee, Affiliation::Comune(imperia.clone()));
        let referente = actor(Role::Referente, Affiliation::Comune(imperia.clone()));
        let enrol = |comune, own_record, self_enrolment| Operation::Enrol {
            comune,
            own_record,
            self_enrolment,
        };
        assert!(employee.authorize(enrol(&imperia, true, true)).is_ok());
        assert!(employee.authorize(enrol(&imperia, true, false)).is_err());
        assert!(employee.authorize(enrol(&imperia, false, true)).is_err());
        assert!(referente.authorize(enrol(&imperia, false, false)).is_ok());
        assert!(referente.authorize(enrol(&sanremo, false, true)).is_err());
        let provider = actor(Role::Provider, Affiliation::Provider(3));
        assert!(provider.authorize(enrol(&imperia, false, true)).is_err());
        let read = |provider| Operation::ReadEnrolment {
            comune: &sanremo,
            provider,
            own_record: false,
        };
        assert!(provider.authorize(read(3)).is_ok());
        assert!(provider.authorize(read(4)).is_err());
    }
}
