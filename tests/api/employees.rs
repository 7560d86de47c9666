//! Employees: scoped to the comune, imported from spreadsheets, exported, erased, logged.
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_problem, fields_at_fault, spawn_app,
};

pub fn employee_body(tax_code: &str) -> Value {
    json!({"given_name": "Maria", "family_name": "Rossi", "email": "m.rossi@comune.imperia.it", "tax_code": tax_code,
           "office_area": "tributi", "job_profile": "istruttore", "safety_roles": ["preposto"], "hire_date": "2010-02-01"})
}

async fn import(app: &TestApp, token: &str, query: &str, csv: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/employee-imports{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
}

#[rstest]
#[tokio::test]
async fn a_referente_manages_only_their_own_comunes_employees(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let created = app
        .post_json(
            "/employees",
            Some(&imperia.token),
            &employee_body("rssmra85t10a562s"),
        )
        .await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        created["comune_istat_code"], IMPERIA,
        "the referente's comune by default"
    );
    assert_eq!(created["tax_code"], "RSSMRA85T10A562S");
    let path = format!("/employees/{}", created["id"]);

    assert_problem(app.get(&path, Some(&sanremo.token)).await, 403).await;
    assert_problem(
        app.patch_merge(&path, &sanremo.token, &json!({"active": false}), None)
            .await,
        403,
    )
    .await;
    assert_problem(app.delete(&path, &sanremo.token).await, 403).await;
    let page: Value = app
        .get("/employees", Some(&sanremo.token))
        .await
        .json()
        .await
        .unwrap();
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
    let mut other = employee_body("BLTMHL77S04E889G");
    other["comune_istat_code"] = json!(IMPERIA);
    assert_problem(
        app.post_json("/employees", Some(&sanremo.token), &other)
            .await,
        403,
    )
    .await;
    // Nor can Imperia's referente move someone to Sanremo.
    assert_problem(
        app.patch_merge(
            &path,
            &imperia.token,
            &json!({"comune_istat_code": SANREMO}),
            None,
        )
        .await,
        403,
    )
    .await;

    let page: Value = app
        .get("/employees?q=rossi", Some(&imperia.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    let response = app
        .patch_merge(
            &path,
            &imperia.token,
            &json!({"email": null, "safety_roles": ["antincendio", "preposto"]}),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert!(updated.get("email").is_none());
    assert_eq!(updated["safety_roles"], json!(["preposto", "antincendio"]));

    assert_problem(
        app.post_json(
            "/employees",
            Some(&imperia.token),
            &employee_body("RSSMRA85T10A562S"),
        )
        .await,
        409,
    )
    .await;
    let mut bad = employee_body("RSSMRA85T10A562T");
    bad["job_profile"] = json!("capo");
    bad["given_name"] = json!("");
    let problem = assert_problem(
        app.post_json("/employees", Some(&imperia.token), &bad)
            .await,
        422,
    )
    .await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/given_name", "#/job_profile", "#/tax_code"]
    );
    for role in ["employee", "provider"] {
        let user = app
            .login_as(
                role,
                if role == "employee" {
                    Some(IMPERIA)
                } else {
                    None
                },
            )
            .await;
        assert_problem(app.get("/employees", Some(&user.token)).await, 403).await;
    }
}

#[rstest]
#[tokio::test]
async fn a_spreadsheet_import_reports_bad_rows_and_is_all_or_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    // Excel's export: Windows-1252, semicolons, Italian headers and labels, dd/mm/yyyy.
    let text = "Codice fiscale;Nome;Cognome;Area;Profilo;Ruoli sicurezza;Data assunzione\r\n\
                RSSMRA85T10A562S;Niccol\u{f2};Rossi;Tributi;Istruttori;preposto;01/02/2010\r\n\
                BLTMHL77S04E889G;Michele;Beltrame;Servizi demografici;operatore;;\r\n\
                RSSMRA85T10A562T;Anna;Bianchi;Tributi;istruttore;;\r\n\
                MRARSS80A01H501Z;Luca;;Nessuna;capo;;31/02/2020\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);

    let dry_run = import(&app, &referente.token, "?dry_run=true", bytes.to_vec()).await;
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
    let page: Value = app
        .get("/employees", Some(&referente.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 0, "a dry run writes nothing");

    let problem = assert_problem(
        import(&app, &referente.token, "", bytes.to_vec()).await,
        422,
    )
    .await;
    assert!(fields_at_fault(&problem).contains(&"#/rows/4/tax_code".to_owned()));
    let page: Value = app
        .get("/employees", Some(&referente.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 0, "nothing half-imported");

    // The good rows alone import; importing again updates instead of duplicating.
    let good: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&good);
    let report: Value = import(&app, &referente.token, "", bytes.to_vec())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(2), Some(0))
    );
    let report: Value = import(&app, &referente.token, "", bytes.to_vec())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(0), Some(2))
    );
    let page: Value = app
        .get("/employees", Some(&referente.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 2);
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["given_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Michele", "Niccolò"]);

    // Another comune's referente cannot take over these people by importing them.
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let problem = assert_problem(import(&app, &sanremo.token, "", bytes.to_vec()).await, 422).await;
    assert!(fields_at_fault(&problem).contains(&"#/rows/2/tax_code".to_owned()));

    // The admin names the comune in a column; it must be one of the Province's.
    let admin = app.admin_token().await;
    let csv = "cf,nome,cognome,area,profilo,comune\nMRARSS80A01H501T,Luca,Neri,tributi,operatore,001001\n";
    let report: Value = import(&app, &admin, "?dry_run=true", csv.into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["errors"][0]["field"], "comune_istat_code");
    let problem = assert_problem(import(&app, &admin, "", csv.into()).await, 422).await;
    assert_eq!(fields_at_fault(&problem), ["#/rows/2/comune_istat_code"]);
    // A file without the required columns is refused, dry run or not.
    let problem = assert_problem(
        import(
            &app,
            &referente.token,
            "?dry_run=true",
            b"nome\nLuca\n".to_vec(),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/rows/1/codice_fiscale"]);

    // Not CSV, or nothing: refused.
    let response = app
        .client
        .post(app.url("/employee-imports"))
        .bearer_auth(&referente.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 415).await;
    assert_problem(import(&app, &referente.token, "", Vec::new()).await, 400).await;
}

#[rstest]
#[tokio::test]
async fn exports_erasure_and_the_access_log_serve_the_gdpr(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let admin = app.admin_token().await;
    let created: Value = app
        .post_json(
            "/employees",
            Some(&referente.token),
            &employee_body("RSSMRA85T10A562S"),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post_json(
        "/employees",
        Some(&referente.token),
        &employee_body("BLTMHL77S04E889G"),
    )
    .await;
    let path = format!("/employees/{}", created["id"]);

    // CSV export, readable back by the import.
    let csv = app
        .client
        .get(app.url("/employees"))
        .bearer_auth(&referente.token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("codice_fiscale,nome,cognome"));
    assert_eq!(csv.lines().count(), 3);
    let report: Value = import(&app, &referente.token, "?dry_run=true", csv.into_bytes())
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

    let export: Value = app
        .get(&format!("{path}/personal-data"), Some(&referente.token))
        .await
        .json()
        .await
        .unwrap();
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

    assert_eq!(app.delete(&path, &referente.token).await.status(), 204);
    assert_problem(app.get(&path, Some(&referente.token)).await, 404).await;
    assert_problem(app.delete(&path, &referente.token).await, 404).await;
    let page: Value = app
        .get("/employees", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    // The tax code is free again: the person is gone, not hidden.
    assert_eq!(
        app.post_json(
            "/employees",
            Some(&referente.token),
            &employee_body("RSSMRA85T10A562S")
        )
        .await
        .status(),
        201
    );

    let log: Value = app
        .get(
            &format!("/audit-events?employee_id={}", created["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
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
    let mut body = employee_body("RSSMRA85T10A562S");
    body["comune_istat_code"] = json!(IMPERIA);
    body["given_name"] = json!("=HYPERLINK(\"http://x.test\";\"clic\")");
    body["family_name"] = json!("@SUM(A1)");
    let created = app.post_json("/employees", Some(&admin), &body).await;
    assert_eq!(created.status(), 201);
    let csv = app
        .client
        .get(app.url("/employees"))
        .bearer_auth(&admin)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
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
    let edition = crate::enrolments::open_edition(&app, &admin, 1, None).await;
    let people = crate::enrolments::staff(&app, &admin, IMPERIA, 7100, 2).await;
    let (erased, next) = (people[0], people[1]);
    let tax = crate::helpers::tax_code(7100);
    let account = json!({"email": "p7100@comune.test", "full_name": "Persona Numero 7100",
                         "password": "password-di-prova-utente", "role": "employee", "comune_istat_code": IMPERIA});
    assert_eq!(
        app.post_json("/users", Some(&admin), &account)
            .await
            .status(),
        201
    );
    let mut seats = Vec::new();
    for person in [erased, next] {
        let e = crate::courses::create(
            &app,
            &admin,
            "/enrolments",
            &json!({"edition_id": edition["id"], "employee_id": person}),
        )
        .await;
        seats.push(e);
    }
    assert_eq!(seats[0]["status"], "confirmed");
    assert_eq!(seats[1]["status"], "waitlisted");

    let erase = app.delete(&format!("/employees/{erased}"), &admin).await;
    assert_eq!(erase.status(), 204);

    // The seat went to the next in line.
    let promoted: Value = app
        .get(&format!("/enrolments/{}", seats[1]["id"]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(promoted["status"], "confirmed");
    let freed: Value = app
        .get(&format!("/enrolments/{}", seats[0]["id"]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(freed["status"], "cancelled");
    // The account is closed.
    assert_problem(
        app.login("p7100@comune.test", "password-di-prova-utente")
            .await,
        401,
    )
    .await;
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
    let edition = crate::enrolments::open_edition(&app, &admin, 5, None).await;
    let person = crate::enrolments::staff(&app, &admin, IMPERIA, 7200, 1).await[0];
    let enrolment = crate::courses::create(
        &app,
        &admin,
        "/enrolments",
        &json!({"edition_id": edition["id"], "employee_id": person}),
    )
    .await;
    let path = format!("/enrolments/{}", enrolment["id"]);
    let old = app.login_as("referente", Some(IMPERIA)).await;
    let new = app
        .login_as("referente", Some(crate::helpers::SANREMO))
        .await;
    assert_eq!(app.get(&path, Some(&old.token)).await.status(), 200);
    let moved = app
        .patch_merge(
            &format!("/employees/{person}"),
            &admin,
            &json!({"comune_istat_code": crate::helpers::SANREMO}),
            None,
        )
        .await;
    assert_eq!(moved.status(), 200, "{}", moved.text().await.unwrap());
    assert_problem(app.get(&path, Some(&old.token)).await, 403).await;
    assert_eq!(app.get(&path, Some(&new.token)).await.status(), 200);
    let log: Value = app
        .get("/audit-events?limit=200", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
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
            crate::helpers::tax_code(n)
        ));
    }
    let import = app
        .client
        .post(app.url(&format!("/employee-imports?comune_istat_code={IMPERIA}")))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send();
    let writes = (0..30).map(|i| {
        let venue = json!({"name": format!("Sala {i}"), "address": "Via Roma 1", "comune_istat_code": IMPERIA, "capacity": 10});
        let contacts = json!({"phone": format!("0183 {i}")});
        let app = &app;
        let admin = admin.clone();
        async move {
            let a = app.post_json("/venues", Some(&admin), &venue).await.status().as_u16();
            let b = app.patch_merge(&format!("/comuni/{IMPERIA}"), &admin, &contacts, None).await.status().as_u16();
            [a, b]
        }
    });
    let (imported, statuses) = tokio::join!(import, futures::future::join_all(writes));
    assert_eq!(imported.unwrap().status(), 200);
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
    let tc = crate::helpers::tax_code;
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
    let report: Value = import(&app, &admin, &query, csv.clone().into_bytes())
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
    let imported = import(&app, &admin, &query, good.into_bytes()).await;
    assert_eq!(imported.status(), 200);
    let page: Value = app
        .get(
            &format!("/employees?comune_istat_code={IMPERIA}&limit=200"),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
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
