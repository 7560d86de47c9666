//! Idempotent seeding of reference data: the comuni of the configured Province, the
//! office areas and the themes. Running it again changes nothing unless the shipped data
//! changed; contacts the Province entered are never touched.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryOrder, TransactionTrait,
};
use serde::Deserialize;

use super::StoreError;
use crate::domain::reference::{OFFICE_AREAS, THEMES};
use crate::entities::{comune, course, office_area, theme, venue};

/// Every Italian comune (ISTAT, ANPR, Wikidata; see `backend/seed/SOURCES.md`).
const COMUNI_ITALIA_CSV: &str = include_str!("../../seed/comuni-italia.csv");

/// One row of `comuni-italia.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct ComuneRecord {
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
    pub province_sigla: String,
    pub cadastral_code: String,
    pub postal_code: Option<String>,
    pub is_provincial_capital: bool,
    pub population: Option<i32>,
    pub population_date: Option<NaiveDate>,
    pub latitude: f64,
    pub longitude: f64,
    pub region_name: String,
}

/// The shipped comuni of one Province, by sigla (e.g. `IM`).
///
/// # Errors
/// A message when the shipped file cannot be read (a build defect) or no comune has
/// that sigla.
pub fn comuni_of_province(sigla: &str) -> Result<Vec<ComuneRecord>, String> {
    let mut reader = csv::Reader::from_reader(COMUNI_ITALIA_CSV.as_bytes());
    let mut rows = Vec::new();
    for record in reader.deserialize::<ComuneRecord>() {
        let record = record.map_err(|e| format!("comuni-italia.csv: {e}"))?;
        if record.province_sigla == sigla {
            rows.push(record);
        }
    }
    if rows.is_empty() {
        return Err(format!(
            "no comune has province sigla {sigla:?}: CABINA_PROVINCE takes a sigla such as IM, SV, GE"
        ));
    }
    Ok(rows)
}

/// Seeds the office areas, the themes and the comuni of `province`, in one transaction.
///
/// # Errors
/// `StoreError::Invalid` for an unknown province sigla; database errors otherwise.
pub async fn seed_reference_data(
    db: &DatabaseConnection,
    province: &str,
) -> Result<(), StoreError> {
    let comuni = comuni_of_province(province)
        .map_err(|e| crate::domain::DomainError::invalid("CABINA_PROVINCE", e))?;
    let txn = db.begin().await?;
    seed_office_areas(&txn).await?;
    seed_themes(&txn).await?;
    let capital = comuni.iter().find(|c| c.is_provincial_capital).cloned();
    seed_comuni(&txn, comuni).await?;
    if let Some(capital) = capital {
        seed_province_seat(&txn, &capital).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A new installation gets the Province's seat in the capital as its first venue, the
/// obvious candidate of every plan. Only on a fresh database (no venue, no course): a seat
/// the office deleted later does not come back.
async fn seed_province_seat(
    db: &impl ConnectionTrait,
    capital: &ComuneRecord,
) -> Result<(), StoreError> {
    if venue::Entity::find().count(db).await? > 0 || course::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let now = super::now();
    let address = if capital.istat_code == "008031" {
        "Viale Matteotti 147, Imperia".to_owned()
    } else {
        format!("Sede della Provincia, {}", capital.name)
    };
    venue::ActiveModel {
        name: Set(format!("Sede della Provincia, {}", capital.name)),
        address: Set(address),
        comune_istat_code: Set(capital.istat_code.clone()),
        capacity: Set(50),
        latitude: Set(capital.latitude),
        longitude: Set(capital.longitude),
        accessibility_notes: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn seed_office_areas(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    let wanted: Vec<office_area::Model> = OFFICE_AREAS
        .iter()
        .zip(0..)
        .map(|(a, position)| office_area::Model {
            code: a.code.to_owned(),
            name: a.name.to_owned(),
            description: a.description.to_owned(),
            position,
        })
        .collect();
    let stored = office_area::Entity::find()
        .order_by_asc(office_area::Column::Position)
        .all(db)
        .await?;
    // Unchanged reference data are not written again, so that a server can start on a
    // database that refuses writes and still serve reads.
    if stored == wanted {
        return Ok(());
    }
    let rows = wanted.into_iter().map(office_area::ActiveModel::from);
    office_area::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(office_area::Column::Code)
                .update_columns([
                    office_area::Column::Name,
                    office_area::Column::Description,
                    office_area::Column::Position,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

async fn seed_themes(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    let wanted: Vec<theme::Model> = THEMES
        .iter()
        .zip(0..)
        .map(|(t, position)| theme::Model {
            code: t.code.to_owned(),
            name: t.name.to_owned(),
            description: t.description.to_owned(),
            priority: t.priority,
            mandatory: t.mandatory,
            refresher_months: t.refresher_months,
            forbids_elearning: t.forbids_elearning,
            position,
        })
        .collect();
    let stored = theme::Entity::find()
        .order_by_asc(theme::Column::Position)
        .all(db)
        .await?;
    if stored == wanted {
        return Ok(());
    }
    let rows = wanted.into_iter().map(theme::ActiveModel::from);
    theme::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(theme::Column::Code)
                .update_columns([
                    theme::Column::Name,
                    theme::Column::Description,
                    theme::Column::Priority,
                    theme::Column::Mandatory,
                    theme::Column::RefresherMonths,
                    theme::Column::ForbidsElearning,
                    theme::Column::Position,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Inserts missing comuni and refreshes the reference columns of those whose shipped
/// data changed, leaving `updated_at` (and so their ETag) alone otherwise.
async fn seed_comuni(
    db: &impl ConnectionTrait,
    records: Vec<ComuneRecord>,
) -> Result<(), StoreError> {
    let existing: HashMap<String, comune::Model> = comune::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.istat_code.clone(), m))
        .collect();
    let now = super::now();
    let mut new_rows = Vec::new();
    for record in records {
        match existing.get(&record.istat_code) {
            None => new_rows.push(reference_columns(
                &record,
                comune::ActiveModel {
                    referente_email: Set(None),
                    pec: Set(None),
                    phone: Set(None),
                    unione: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                },
            )),
            Some(current) if differs(current, &record) => {
                let mut row =
                    reference_columns(&record, <comune::ActiveModel as Default>::default());
                row.updated_at = Set(now);
                comune::Entity::update(row).exec(db).await?;
            }
            Some(_) => {}
        }
    }
    for chunk in new_rows.chunks(500) {
        comune::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(())
}

fn reference_columns(r: &ComuneRecord, mut row: comune::ActiveModel) -> comune::ActiveModel {
    row.istat_code = Set(r.istat_code.clone());
    row.name = Set(r.name.clone());
    row.province_code = Set(r.province_code.clone());
    row.province_sigla = Set(r.province_sigla.clone());
    row.region_name = Set(r.region_name.clone());
    row.cadastral_code = Set(r.cadastral_code.clone());
    row.postal_code = Set(r.postal_code.clone());
    row.is_provincial_capital = Set(r.is_provincial_capital);
    row.population = Set(r.population);
    row.population_date = Set(r.population_date);
    row.latitude = Set(r.latitude);
    row.longitude = Set(r.longitude);
    row
}

fn differs(m: &comune::Model, r: &ComuneRecord) -> bool {
    (
        &m.name,
        &m.province_code,
        &m.province_sigla,
        &m.region_name,
        &m.cadastral_code,
        &m.postal_code,
    ) != (
        &r.name,
        &r.province_code,
        &r.province_sigla,
        &r.region_name,
        &r.cadastral_code,
        &r.postal_code,
    ) || (m.is_provincial_capital, m.population, m.population_date)
        != (r.is_provincial_capital, r.population, r.population_date)
        || (m.latitude, m.longitude) != (r.latitude, r.longitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMUNI_IMPERIA_CSV: &str = include_str!("../../seed/comuni-imperia.csv");

    #[test]
    fn imperia_has_66_comuni_with_one_capital() {
        let rows = comuni_of_province("IM").unwrap();
        assert_eq!(rows.len(), 66);
        let capitals: Vec<_> = rows.iter().filter(|r| r.is_provincial_capital).collect();
        assert_eq!(capitals.len(), 1);
        assert_eq!(capitals[0].name, "Imperia");
    }

    /// The national file is the one seeded; the Imperia file is the reviewed source of
    /// truth for the first Province, so the two must agree on every shared column.
    #[test]
    fn national_rows_for_imperia_equal_the_imperia_file() {
        let national: Vec<String> = COMUNI_ITALIA_CSV
            .lines()
            .filter(|l| l.split(',').nth(3) == Some("IM"))
            .map(|l| l.split(',').take(13).collect::<Vec<_>>().join(","))
            .collect();
        let imperia: Vec<String> = COMUNI_IMPERIA_CSV
            .lines()
            .skip(1)
            .map(str::to_owned)
            .collect();
        assert_eq!(national, imperia);
    }

    #[test]
    fn an_unknown_sigla_is_refused_with_a_hint() {
        assert!(
            comuni_of_province("ZZ")
                .unwrap_err()
                .contains("CABINA_PROVINCE")
        );
    }

    #[test]
    fn every_province_has_a_capital_with_coordinates() {
        for sigla in ["IM", "SV", "GE", "SP", "TO", "RM"] {
            let rows = comuni_of_province(sigla).unwrap();
            assert!(rows.iter().any(|r| r.is_provincial_capital), "{sigla}");
        }
    }
}
