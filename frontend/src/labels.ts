// The Italian words for the API's enumerations, defined once. Each map is a Record over the
// enum of the generated schema, so a value added to the API fails the type check until it
// has its label here.
import type { components } from './api/schema';

type Schemas = components['schemas'];
export type EnrolmentStatus = Schemas['EnrolmentStatusName'];
export type EditionStatus = Schemas['EditionStatusName'];
export type CourseStatus = Schemas['CourseStatusName'];
export type CampaignStatus = Schemas['CampaignStatusName'];
export type ResponseStatus = Schemas['ResponseStatusName'];
export type Modality = Schemas['ModalityName'];
export type Language = Schemas['LanguageCode'];
export type Priority = Schemas['PriorityName'];
export type Role = Schemas['RoleName'];
export type Qualification = Schemas['QualificationName'];
export type MessageDelivery = Schemas['DeliveryName'];
export type PlanStatus = Schemas['PlanStatusName'];
export type PlannedModality = Schemas['PlannedModality'];
export type UnservedReason = Schemas['UnservedReasonName'];
export type BoundStatus = Schemas['BoundStatusName'];
export type ProposalStatus = Schemas['ProposalStatusName'];

/** A label and the Bootstrap Italia colour of its badge. */
export interface Tag {
  label: string;
  color: string;
}

export const ENROLMENT_STATUS: Record<EnrolmentStatus, Tag> = {
  confirmed: { label: 'Confermata', color: 'success' },
  waitlisted: { label: "In lista d'attesa", color: 'warning' },
  cancelled: { label: 'Annullata', color: 'secondary' },
  completed: { label: 'Completata', color: 'primary' },
};

export const EDITION_STATUS: Record<EditionStatus, Tag> = {
  draft: { label: 'Bozza', color: 'secondary' },
  open: { label: 'Iscrizioni aperte', color: 'success' },
  closed: { label: 'Iscrizioni chiuse', color: 'warning' },
  completed: { label: 'Conclusa', color: 'primary' },
  cancelled: { label: 'Annullata', color: 'dark' },
};

export const PROPOSAL_STATUS: Record<ProposalStatus, Tag> = {
  pending: { label: 'Da decidere', color: 'warning' },
  approved: { label: 'Approvata', color: 'success' },
  rejected: { label: 'Respinta', color: 'danger' },
  superseded: { label: 'Sostituita da una più recente', color: 'secondary' },
};

export const COURSE_STATUS: Record<CourseStatus, Tag> = {
  draft: { label: 'Bozza', color: 'secondary' },
  published: { label: 'Pubblicato', color: 'success' },
  archived: { label: 'Archiviato', color: 'dark' },
};

export const CAMPAIGN_STATUS: Record<CampaignStatus, Tag> = {
  draft: { label: 'In preparazione', color: 'secondary' },
  open: { label: 'Aperta', color: 'success' },
  closed: { label: 'Chiusa', color: 'dark' },
};

/** A comune's answer to a campaign; `fill` colours it on the dashboard's map. */
export const RESPONSE_STATUS: Record<ResponseStatus, Tag & { fill: string }> = {
  not_started: { label: 'Non iniziata', color: 'danger', fill: '#d9364f' },
  draft: { label: 'In compilazione', color: 'warning', fill: '#a66300' },
  submitted: { label: 'Inviata', color: 'success', fill: '#008055' },
};

export const MODALITY: Record<Modality, string> = {
  in_person: 'In presenza',
  live_webinar: 'Webinar in diretta',
  async_webinar: 'Webinar registrato',
  blended: 'Mista',
};

/** The languages a course can be taught in (ISO 639-1 codes, as the API names them). */
export const LANGUAGE: Record<Language, string> = {
  it: 'Italiano',
  en: 'Inglese',
  fr: 'Francese',
  de: 'Tedesco',
  es: 'Spagnolo',
};

/** The modality a comune prefers for a need: "blended" there means any will do. */
export const PREFERRED_MODALITY: Record<Modality, string> = { ...MODALITY, blended: 'Nessuna preferenza' };

export const PRIORITY: Record<Priority, string> = { alta: 'Alta', media: 'Media', bassa: 'Bassa' };

export const ROLE: Record<Role, string> = {
  admin: 'Amministratore (Provincia)',
  referente: 'Referente del comune',
  provider: 'Ente formatore',
  employee: 'Dipendente',
};

export const QUALIFICATION: Record<Qualification, Tag> = {
  pending: { label: 'In attesa di qualificazione', color: 'warning' },
  qualified: { label: 'Qualificato', color: 'success' },
  suspended: { label: 'Sospeso', color: 'secondary' },
};

/** An outbox message: `filter` is the option that shows only messages in that state. */
export const MESSAGE_DELIVERY: Record<MessageDelivery, Tag & { filter: string }> = {
  pending: { label: 'In attesa', color: 'warning', filter: 'In attesa di invio' },
  sent: { label: 'Inviato', color: 'success', filter: 'Inviati' },
};

export const PLAN_STATUS: Record<PlanStatus, Tag> = {
  draft: { label: 'Bozza', color: 'secondary' },
  approved: { label: 'Approvato', color: 'primary' },
  published: { label: 'Pubblicato', color: 'success' },
};

/** How a planned edition is delivered. */
export const PLANNED_MODALITY: Record<PlannedModality, string> = {
  in_person: 'In presenza',
  webinar: 'Webinar',
};

/** Why people are left out of a plan. */
export const UNSERVED_REASON: Record<UnservedReason, string> = {
  below_threshold: 'Troppo poche persone per attivare un’edizione',
  over_budget: 'Oltre il tetto di spesa',
  no_lawful_modality: 'Nessuna modalità ammessa per questo tema',
  no_venue: 'Nessuna sede raggiungibile',
  calendar_full: 'Calendario pieno nel periodo del piano',
  removed_by_officer: 'Tolte dall’ufficio con una modifica',
};

/** How far the optimiser proved a theme's plan. */
export const BOUND_STATUS: Record<BoundStatus, Tag> = {
  optimal: { label: 'Ottimo dimostrato', color: 'success' },
  node_limit: { label: 'Limite di calcolo raggiunto', color: 'warning' },
  empty: { label: 'Nessuna persona', color: 'secondary' },
};

/** The options of a select over one of these maps, in their declared order. */
export function optionsOf<K extends string>(labels: Record<K, string | Tag>, only?: readonly K[]): { value: K; label: string }[] {
  return (only ?? (Object.keys(labels) as K[])).map((value) => {
    const entry = labels[value];
    return { value, label: typeof entry === 'string' ? entry : entry.label };
  });
}

/** "In lista d'attesa (2°)" and the like. */
export function enrolmentStatusText(e: { status: EnrolmentStatus; waitlist_position?: number }): string {
  const label = ENROLMENT_STATUS[e.status].label;
  return e.waitlist_position ? `${label} (${e.waitlist_position}°)` : label;
}

/** A provider's standing: qualified now, or why not (a qualification can also lapse). */
export function qualificationTag(p: { qualified: boolean; qualification_status: Qualification }): Tag {
  if (p.qualified) return QUALIFICATION.qualified;
  if (p.qualification_status === 'qualified') return { label: 'Qualificazione scaduta', color: 'secondary' };
  return QUALIFICATION[p.qualification_status];
}

/** One person's job profile (the API's `job_profile` codes), in the singular. */
export const JOB_PROFILE: Record<string, string> = {
  operatore: 'Operatore',
  operatore_esperto: 'Operatore esperto',
  istruttore: 'Istruttore',
  funzionario_eq: 'Funzionario / EQ',
  dirigente: 'Dirigente',
  segretario: 'Segretario comunale',
};
