//! sea-orm entities: the shape of each table, mirrored from the migrations in
//! `backend/migration`. Only the store uses them; they never reach an HTTP body.
pub mod account_token;
pub mod attendance;
pub mod audit_event;
pub mod campaign;
pub mod campaign_response;
pub mod comune;
pub mod course;
pub mod course_office_area;
pub mod edition;
pub mod edition_change_proposal;
pub mod employee;
pub mod enrolment;
pub mod enrolment_event;
pub mod feedback;
pub mod need;
pub mod need_employee;
pub mod office_area;
pub mod outbox_message;
pub mod plan;
pub mod plan_publication;
pub mod provider;
pub mod provider_theme;
pub mod session;
pub mod theme;
pub mod user;
pub mod venue;
