//! Employees: scoped to the comune, imported from spreadsheets, exported, erased, logged.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Created, EmployeeId, USER_PASSWORD, employee_body};
use crate::helpers::{
    Backend, IMPERIA, Login, SANREMO, TestApp, assert_invalid, assert_problem, fields_at_fault,
    spawn_app, tax_code,
};

/// Maria Rossi, created by Imperia's referente; and Sanremo's referente.
struct TwoReferenti {
    imperia: Login,
    sanremo: Login,
    maria: EmployeeId,
}

async fn two_referenti(app: &TestApp) -> TwoReferenti {
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let maria = app
        .employee(&imperia.token)
        .tax_code("rssmra85t10a562s")
        .create()
        .await
        .id;
    TwoReferenti {
        imperia,
        sanremo,
        maria,
    }
}

#[rstest]
#[tokio::test]
async fn a_referentes_new_employee_belongs_to_their_comune(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let created = app
        .employee(&imperia.token)
        .tax_code("rssmra85t10a562s")
        .send()
        .await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        created["comune_istat_code"], IMPERIA,
        "the referente's comune by default"
    );
    assert_eq!(created["tax_code"], "RSSMRA85T10A562S");
}

#[rstest]
#[tokio::test]
async fn another_comunes_referente_can_neither_see_nor_change_nor_add_its_employees(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoReferenti { sanremo, maria, .. } = two_referenti(&app).await;
    let path = maria.path();
    assert_problem(app.get(&path, Some(&sanremo.token)).await, 403).await;
    assert_problem(
        app.merge_patch(&path, &sanremo.token, &json!({"active": false}))
            .await,
        403,
    )
    .await;
    assert_problem(app.delete(&path, &sanremo.token).await, 403).await;
    let page = app.read("/employees", Some(&sanremo.token)).await;
    assert_eq!(page["total"], 0, "Sanremo sees none of Imperia's staff");
    assert_problem(
        app.get(
            &format!("/employees?comune_istat_code={IMPERIA}"),
            Some(&sanremo.token),
        )
        .await,
        403,
    )
    .await;
    let for_imperia = app
        .employee(&sanremo.token)
        .tax_code("BLTMHL77S04E889G")
        .in_comune(IMPERIA)
        .send()
        .await;
    assert_problem(for_imperia, 403).await;
}

#[rstest]
#[tokio::test]
async fn a_referente_cannot_move_an_employee_to_another_comune(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoReferenti { imperia, maria, .. } = two_referenti(&app).await;
    let moved = app
        .merge_patch(
            &maria.path(),
            &imperia.token,
            &json!({"comune_istat_code": SANREMO}),
        )
        .await;
    assert_problem(moved, 403).await;
}

#[rstest]
#[tokio::test]
async fn employees_are_found_by_name_and_changed_by_merge_patch(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoReferenti { imperia, maria, .. } = two_referenti(&app).await;
    let page = app.read("/employees?q=rossi", Some(&imperia.token)).await;
    assert_eq!(page["total"], 1);
    let patch = json!({"email": null, "safety_roles": ["antincendio", "preposto"]});
    let updated = app.change(&imperia.token, &maria.path(), patch).await;
    assert!(updated.get("email").is_none());
    assert_eq!(updated["safety_roles"], json!(["preposto", "antincendio"]));
}

#[rstest]
#[tokio::test]
async fn a_tax_code_is_registered_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoReferenti { imperia, .. } = two_referenti(&app).await;
    let again = app
        .employee(&imperia.token)
        .tax_code("RSSMRA85T10A562S")
        .send()
        .await;
    assert_problem(again, 409).await;
}

#[rstest]
#[tokio::test]
async fn an_invalid_employee_is_refused_naming_every_bad_field(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let mut bad = employee_body("RSSMRA85T10A562T");
    bad["job_profile"] = json!("capo");
    bad["given_name"] = json!("");
    assert_invalid(
        app.post_json("/employees", Some(&imperia.token), &bad)
            .await,
        &["#/given_name", "#/job_profile", "#/tax_code"],
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn employees_and_provider_staff_cannot_list_employees(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let employee = app.login_as("employee", Some(IMPERIA)).await;
    let provider = app.login_as("provider", None).await;
    for user in [employee, provider] {
        assert_problem(app.get("/employees", Some(&user.token)).await, 403).await;
    }
}

/// Excel's export: Windows-1252, semicolons, Italian headers and labels, dd/mm/yyyy; two
/// good rows (lines 2 and 3), a bad tax code (line 4) and a row wrong in five ways (line 5).
const SPREADSHEET: &str = "Codice fiscale;Nome;Cognome;Area;Profilo;Ruoli sicurezza;Data assunzione\r\n\
            RSSMRA85T10A562S;Niccol\u{f2};Rossi;Tributi;Istruttori;preposto;01/02/2010\r\n\
            BLTMHL77S04E889G;Michele;Beltrame;Servizi demografici;operatore;;\r\n\
            RSSMRA85T10A562T;Anna;Bianchi;Tributi;istruttore;;\r\n\
            MRARSS80A01H501Z;Luca;;Nessuna;capo;;31/02/2020\r\n";

fn windows_1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

/// The spreadsheet's header and good rows only.
fn good_rows() -> Vec<u8> {
    let good: String = SPREADSHEET
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    windows_1252(&good)
}

async fn employees_total(app: &TestApp, token: &str) -> Value {
    app.read("/employees", Some(token)).await["total"].clone()
}

#[rstest]
#[tokio::test]
async fn a_dry_run_reports_every_bad_row_and_writes_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let dry_run = app
        .import_employees(&referente.token, "?dry_run=true", windows_1252(SPREADSHEET))
        .await;
    assert_eq!(dry_run.status(), 200);
    let report: Value = dry_run.json().await.unwrap();
    assert_eq!(
        (report["rows"].as_i64(), report["created"].as_i64()),
        (Some(2), Some(2))
    );
    let bad: Vec<(i64, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        bad,
        [
            (4, "tax_code"),
            (5, "tax_code"),
            (5, "family_name"),
            (5, "office_area"),
            (5, "job_profile"),
            (5, "hire_date")
        ]
    );
    assert_eq!(
        employees_total(&app, &referente.token).await,
        0,
        "a dry run writes nothing"
    );
}

#[rstest]
#[tokio::test]
async fn an_import_with_a_bad_row_is_refused_whole(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let problem = assert_problem(
        app.import_employees(&referente.token, "", windows_1252(SPREADSHEET))
            .await,
        422,
    )
    .await;
    assert!(fields_at_fault(&problem).contains(&"#/rows/4/tax_code".to_owned()));
    assert_eq!(
        employees_total(&app, &referente.token).await,
        0,
        "nothing half-imported"
    );
}

#[rstest]
#[tokio::test]
async fn good_rows_import_and_importing_them_again_updates_instead_of_duplicating(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let report: Value = app
        .import_employees(&referente.token, "", good_rows())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(2), Some(0))
    );
    let report: Value = app
        .import_employees(&referente.token, "", good_rows())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(0), Some(2))
    );
    let page = app.read("/employees", Some(&referente.token)).await;
    assert_eq!(page["total"], 2);
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["given_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Michele", "Niccolò"]);
}

#[rstest]
#[tokio::test]
async fn another_comunes_referente_cannot_take_people_over_by_importing_them(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let imported = app
        .import_employees(&referente.token, "", good_rows())
        .await;
    assert_eq!(imported.status(), 200);
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let problem = assert_problem(
        app.import_employees(&sanremo.token, "", good_rows()).await,
        422,
    )
    .await;
    assert!(fields_at_fault(&problem).contains(&"#/rows/2/tax_code".to_owned()));
}

#[rstest]
#[tokio::test]
async fn the_admin_names_the_comune_in_a_column_and_it_must_be_the_provinces(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let csv = "cf,nome,cognome,area,profilo,comune\nMRARSS80A01H501T,Luca,Neri,tributi,operatore,001001\n";
    let report: Value = app
        .import_employees(&admin, "?dry_run=true", csv)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["errors"][0]["field"], "comune_istat_code");
    assert_invalid(
        app.import_employees(&admin, "", csv).await,
        &["#/rows/2/comune_istat_code"],
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn a_file_without_the_required_columns_is_refused_even_in_a_dry_run(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_invalid(
        app.import_employees(&referente.token, "?dry_run=true", "nome\nLuca\n")
            .await,
        &["#/rows/1/codice_fiscale"],
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn an_import_that_is_not_csv_or_is_empty_is_refused(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let response = app
        .client
        .post(app.url("/employee-imports"))
        .bearer_auth(&referente.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 415).await;
    assert_problem(
        app.import_employees(&referente.token, "", Vec::new()).await,
        400,
    )
    .await;
}

/// Two employees of Imperia created by its referente: Maria Rossi (RSSMRA85T10A562S) and
/// another (BLTMHL77S04E889G).
struct TwoEmployees {
    referente: Login,
    admin: String,
    maria: Created<EmployeeId>,
}

async fn two_employees(app: &TestApp) -> TwoEmployees {
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let admin = app.admin_token().await;
    let maria = app
        .employee(&referente.token)
        .tax_code("RSSMRA85T10A562S")
        .create()
        .await;
    app.employee(&referente.token)
        .tax_code("BLTMHL77S04E889G")
        .create()
        .await;
    TwoEmployees {
        referente,
        admin,
        maria,
    }
}

#[rstest]
#[tokio::test]
async fn the_csv_export_reads_back_through_the_import(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoEmployees { referente, .. } = two_employees(&app).await;
    let csv = app.get_as("/employees", &referente.token, "text/csv").await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = csv.bytes().await.unwrap();
    assert!(
        bytes.starts_with("\u{feff}codice_fiscale;nome;cognome".as_bytes()),
        "Italian Excel's dialect: a BOM and semicolons"
    );
    let csv = String::from_utf8(bytes.to_vec()).unwrap();
    assert_eq!(csv.split("\r\n").filter(|l| !l.is_empty()).count(), 3);
    let report: Value = app
        .import_employees(&referente.token, "?dry_run=true", csv)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            report["updated"].as_i64(),
            report["errors"].as_array().unwrap().len()
        ),
        (Some(2), 0)
    );
}

#[rstest]
#[tokio::test]
async fn a_personal_data_export_holds_the_record_and_its_access_log(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoEmployees {
        referente, maria, ..
    } = two_employees(&app).await;
    let export = app
        .read(
            &format!("{}/personal-data", maria.id.path()),
            Some(&referente.token),
        )
        .await;
    assert_eq!(export["employee"]["tax_code"], "RSSMRA85T10A562S");
    let actions: Vec<&str> = export["access_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"create") && actions.contains(&"export"),
        "{actions:?}"
    );
}

#[rstest]
#[tokio::test]
async fn an_erased_employee_is_gone_and_their_tax_code_free_again(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoEmployees {
        referente,
        admin,
        maria,
    } = two_employees(&app).await;
    let path = maria.id.path();
    assert_eq!(app.delete(&path, &referente.token).await.status(), 204);
    assert_problem(app.get(&path, Some(&referente.token)).await, 404).await;
    assert_problem(app.delete(&path, &referente.token).await, 404).await;
    assert_eq!(employees_total(&app, &admin).await, 1);
    // The tax code is free again: the person is gone, not hidden.
    let again = app
        .employee(&referente.token)
        .tax_code("RSSMRA85T10A562S")
        .send()
        .await;
    assert_eq!(again.status(), 201);
}

#[rstest]
#[tokio::test]
async fn the_access_log_records_an_erasure_with_ids_not_personal_data(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let TwoEmployees {
        referente,
        admin,
        maria,
    } = two_employees(&app).await;
    app.read(
        &format!("{}/personal-data", maria.id.path()),
        Some(&referente.token),
    )
    .await;
    assert_eq!(
        app.delete(&maria.id.path(), &referente.token)
            .await
            .status(),
        204
    );
    let log = app
        .read(
            &format!("/audit-events?employee_id={}", maria.id),
            Some(&admin),
        )
        .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"erase"));
    assert!(
        !log.to_string().contains("Rossi"),
        "the log holds ids, not personal data"
    );
    assert_problem(app.get("/audit-events", Some(&referente.token)).await, 403).await;
}

/// A name that starts like a formula reached the admin's spreadsheet as a live formula:
/// every CSV the system writes defuses it with a leading apostrophe; XLSX text stays text.
#[rstest]
#[tokio::test]
async fn exported_cells_never_carry_a_formula(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let created = app
        .employee(&admin)
        .in_comune(IMPERIA)
        .named("=HYPERLINK(\"http://x.test\";\"clic\")", "@SUM(A1)")
        .send()
        .await;
    assert_eq!(created.status(), 201);
    let csv = app
        .get_as("/employees", &admin, "text/csv")
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://x.test\";\"clic\")");
    assert_eq!(&row[2], "'@SUM(A1)");
    assert!(
        row.iter()
            .all(|cell| !cell.starts_with(['=', '+', '-', '@'])),
        "{row:?}"
    );
}

/// After erasure the person's e-mail and name stayed in the outbox (pending messages
/// would still go out), their login worked, their future seats stayed taken, and on
/// SQLite the old values stayed in the file. Now nothing of them is left anywhere.
#[rstest]
#[tokio::test]
async fn erasure_leaves_nothing_of_the_person_behind(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 1).await.id;
    let people = app.staff(&admin, IMPERIA, 7100, 2).await;
    let (erased, next) = (people[0], people[1]);
    let tax = tax_code(7100);
    app.user(&admin, "p7100@comune.test", "employee")
        .full_name("Persona Numero 7100")
        .in_comune(IMPERIA)
        .create()
        .await;
    let seat = app.enrolment(&admin, edition, erased).await;
    let waiting = app.enrolment(&admin, edition, next).await;
    assert_eq!(seat["status"], "confirmed");
    assert_eq!(waiting["status"], "waitlisted");

    let erase = app.delete(&erased.path(), &admin).await;
    assert_eq!(erase.status(), 204);

    // The seat went to the next in line.
    let promoted = app.read_enrolment(&admin, waiting.id).await;
    assert_eq!(promoted["status"], "confirmed");
    let freed = app.read_enrolment(&admin, seat.id).await;
    assert_eq!(freed["status"], "cancelled");
    // The account is closed.
    assert_problem(app.login("p7100@comune.test", USER_PASSWORD).await, 401).await;
    // The outbox keeps nothing of them.
    let outbox = app
        .get("/outbox?limit=200", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    for trace in ["p7100@comune.test", "Numero 7100", tax.as_str()] {
        assert!(!outbox.contains(trace), "{trace} left in the outbox");
    }
    // Nor does the SQLite file (with its write-ahead log).
    if let Some(path) = app
        .db
        .url()
        .strip_prefix("sqlite://")
        .map(|u| u.split('?').next().unwrap().to_owned())
    {
        assert!(
            std::fs::metadata(&path).is_ok(),
            "the database file is read"
        );
        for file in [path.clone(), format!("{path}-wal")] {
            let Ok(bytes) = std::fs::read(&file) else {
                continue;
            };
            for trace in ["p7100@comune.test", "Numero 7100", tax.as_str()] {
                assert!(
                    !bytes.windows(trace.len()).any(|w| w == trace.as_bytes()),
                    "{trace} left in {file}"
                );
            }
        }
    }
}

/// After a move to another comune the old referente still read the person's enrolments
/// and the new one could not: scope follows the employee's current comune, and the move
/// is in the log of both comuni.
#[rstest]
#[tokio::test]
async fn a_transferred_employee_is_read_by_the_new_comune_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 5).await.id;
    let person = app.staff(&admin, IMPERIA, 7200, 1).await[0];
    let path = app.enrolment(&admin, edition, person).await.id.path();
    let old = app.login_as("referente", Some(IMPERIA)).await;
    let new = app.login_as("referente", Some(SANREMO)).await;
    assert_eq!(app.get(&path, Some(&old.token)).await.status(), 200);
    let to_sanremo = json!({"comune_istat_code": SANREMO});
    app.change(&admin, &person.path(), to_sanremo).await;
    assert_problem(app.get(&path, Some(&old.token)).await, 403).await;
    assert_eq!(app.get(&path, Some(&new.token)).await.status(), 200);
    let log = app.read("/audit-events?limit=200", Some(&admin)).await;
    let transfers = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "transfer")
        .count();
    assert_eq!(transfers, 2, "{log}");
}

/// On SQLite a transaction that read before writing failed with "database is locked"
/// (500) when another writer committed in between: an import next to other writes was a
/// 500. Writing transactions now take the write lock first and wait their turn.
#[rstest]
#[tokio::test]
async fn an_import_next_to_other_writes_never_fails_with_a_locked_database(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let mut csv = String::from("codice_fiscale,nome,cognome,area,profilo\n");
    for n in 8000..8600 {
        csv.push_str(&format!(
            "{},Persona,Numero {n},tributi,istruttore\n",
            tax_code(n)
        ));
    }
    let query = format!("?comune_istat_code={IMPERIA}");
    let import = app.import_employees(&admin, &query, csv);
    let writes = (0..30).map(|i| {
        let contacts = json!({"phone": format!("0183 {i}")});
        let app = &app;
        let admin = admin.clone();
        async move {
            let venue = app
                .venue(&admin)
                .named(&format!("Sala {i}"))
                .set("address", "Via Roma 1")
                .capacity(10);
            let a = venue.send().await.status().as_u16();
            let b = app
                .merge_patch(&format!("/comuni/{IMPERIA}"), &admin, &contacts)
                .await
                .status()
                .as_u16();
            [a, b]
        }
    });
    let (imported, statuses) = tokio::join!(import, futures::future::join_all(writes));
    assert_eq!(imported.status(), 200);
    let statuses: Vec<u16> = statuses.into_iter().flatten().collect();
    assert!(statuses.iter().all(|s| *s < 500), "{statuses:?}");
}

/// Comuni write job titles their own way: the old categories, the old profiles' names. The
/// import reads them as contract areas and says, once per title, what it understood; a
/// title it cannot place is a bad row naming the title.
#[rstest]
#[tokio::test]
async fn job_titles_in_the_comunes_own_words_are_read_and_reported(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let tc = tax_code;
    let csv = format!(
        "codice_fiscale;nome;cognome;area;profilo\n\
         {};Anna;Uno;tributi;Istruttore direttivo contabile\n\
         {};Bruno;Due;tributi;cat. C\n\
         {};Carla;Tre;tributi;istruttore\n\
         {};Dario;Quattro;tributi;CAT. C\n\
         {};Elena;Cinque;tributi;Astronauta\n",
        tc(7301),
        tc(7302),
        tc(7303),
        tc(7304),
        tc(7305)
    );
    let query = format!("?comune_istat_code={IMPERIA}&dry_run=true");
    let report: Value = app
        .import_employees(&admin, &query, csv.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["rows"], 4);
    assert_eq!(
        report["mapped_job_titles"],
        json!([
            {"title": "Istruttore direttivo contabile", "job_profile": "funzionario_eq", "job_profile_label": "Funzionari ed EQ"},
            {"title": "cat. C", "job_profile": "istruttore", "job_profile_label": "Istruttori"},
        ])
    );
    assert_eq!(report["errors"][0]["line"], 6);
    assert_eq!(report["errors"][0]["field"], "job_profile");
    assert!(
        report["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("Astronauta"),
        "{report}"
    );

    let good: String = csv.lines().take(5).map(|l| format!("{l}\n")).collect();
    let query = format!("?comune_istat_code={IMPERIA}");
    let imported = app.import_employees(&admin, &query, good).await;
    assert_eq!(imported.status(), 200);
    let page = app
        .read(
            &format!("/employees?comune_istat_code={IMPERIA}&limit=200"),
            Some(&admin),
        )
        .await;
    let profile_of = |family: &str| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["family_name"] == family)
            .map(|e| e["job_profile"].clone())
            .unwrap()
    };
    assert_eq!(profile_of("Uno"), "funzionario_eq");
    assert_eq!(profile_of("Due"), "istruttore");
}
