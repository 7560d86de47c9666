//! The needs survey beyond the answers: named employees on need lines, reminders through
//! the outbox (kept when there is no SMTP, delivered when there is), and the downloads.
use std::io::Cursor;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use calamine::{DataType, Reader, Xlsx};
use rstest::rstest;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::campaigns::{campaign_body, need_body};
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, TestDb, assert_problem, fields_at_fault, spawn_app,
    spawn_app_on, tax_code,
};

/// Each test database is fresh; a counter keeps the tax codes of one test distinct.
static NEXT_PERSON: AtomicU32 = AtomicU32::new(100);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn open_campaign(app: &TestApp, admin: &str) -> Value {
    let campaign: Value = app
        .post_json("/campaigns", Some(admin), &campaign_body())
        .await
        .json()
        .await
        .unwrap();
    let opened = app
        .patch_merge(
            &format!("/campaigns/{}", campaign["id"]),
            admin,
            &json!({"status": "open"}),
            None,
        )
        .await;
    assert_eq!(opened.status(), 200);
    opened.json().await.unwrap()
}

async fn add_employee(app: &TestApp, token: &str, comune: &str, family_name: &str) -> i64 {
    let body = json!({"given_name": "Anna", "family_name": family_name, "office_area": "demografici",
                      "job_profile": "istruttore", "comune_istat_code": comune,
                      "tax_code": tax_code(NEXT_PERSON.fetch_add(1, Ordering::Relaxed))});
    let response = app.post_json("/employees", Some(token), &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[rstest]
#[tokio::test]
async fn need_lines_may_name_the_comunes_own_employees(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let campaign = open_campaign(&app, &admin).await;
    let anna = add_employee(&app, &imperia.token, IMPERIA, "Bianchi").await;
    let bruno = add_employee(&app, &imperia.token, IMPERIA, "Verdi").await;
    let stranger = add_employee(&app, &admin, SANREMO, "Neri").await;

    let mut body = need_body(&campaign, "privacy", "demografici");
    body["headcount"] = json!(2);
    body["employee_ids"] = json!([anna, stranger]);
    let problem = assert_problem(
        app.post_json("/needs", Some(&imperia.token), &body).await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/employee_ids/1"]);
    body["employee_ids"] = json!([anna, bruno, 999_999]);
    let problem = assert_problem(
        app.post_json("/needs", Some(&imperia.token), &body).await,
        422,
    )
    .await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/employee_ids"],
        "three names for two people"
    );
    let lines: Value = app
        .get("/needs", Some(&imperia.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lines["items"], json!([]), "nothing half-written");

    body["employee_ids"] = json!([bruno, anna, bruno]);
    let line: Value = app
        .post_json("/needs", Some(&imperia.token), &body)
        .await
        .json()
        .await
        .unwrap();
    let mut both = vec![anna, bruno];
    both.sort_unstable();
    assert_eq!(line["employee_ids"], json!(both));

    // The person's data export shows the need line naming them.
    let export: Value = app
        .get(
            &format!("/employees/{anna}/personal-data"),
            Some(&imperia.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        export["training_needs"],
        json!([{"campaign_id": campaign["id"], "theme_code": "privacy", "office_area": "demografici"}])
    );

    // Erasure keeps the headcount but removes the name.
    assert_eq!(
        app.delete(&format!("/employees/{anna}"), &imperia.token)
            .await
            .status(),
        204
    );
    let line: Value = app
        .get("/needs", Some(&imperia.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(line["items"][0]["employee_ids"], json!([bruno]));
    assert_eq!(line["items"][0]["headcount"], 2);

    // A patch replaces the names; fewer people than names is refused.
    let path = format!("/needs/{}", line["items"][0]["id"]);
    let problem = assert_problem(
        app.patch_merge(
            &path,
            &imperia.token,
            &json!({"headcount": 1, "employee_ids": [bruno, anna]}),
            None,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/employee_ids"]);
    let cleared: Value = app
        .patch_merge(&path, &imperia.token, &json!({"employee_ids": []}), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["employee_ids"], json!([]));
}

#[rstest]
#[tokio::test]
async fn reminders_go_to_the_comuni_that_have_not_answered_and_wait_in_the_outbox(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let draft: Value = app
        .post_json("/campaigns", Some(&admin), &campaign_body())
        .await
        .json()
        .await
        .unwrap();
    assert_problem(
        app.post_json(
            &format!("/campaigns/{}/reminders", draft["id"]),
            Some(&admin),
            &json!({}),
        )
        .await,
        409,
    )
    .await;
    let campaign = open_campaign(&app, &admin).await;
    let reminders = format!("/campaigns/{}/reminders", campaign["id"]);

    // Imperia answers; Sanremo also has a contact address besides its referente.
    app.post_json(
        "/needs",
        Some(&imperia.token),
        &need_body(&campaign, "privacy", "demografici"),
    )
    .await;
    let submitted = app
        .client
        .put(app.url(&format!(
            "/campaigns/{}/responses/{IMPERIA}",
            campaign["id"]
        )))
        .bearer_auth(&imperia.token)
        .json(&json!({"status": "submitted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 204);
    let contact = app
        .patch_merge(
            &format!("/comuni/{SANREMO}"),
            &admin,
            &json!({"referente_email": "formazione@comune.sanremo.test"}),
            None,
        )
        .await;
    assert_eq!(contact.status(), 200);

    assert_problem(
        app.post_json(&reminders, Some(&sanremo.token), &json!({}))
            .await,
        403,
    )
    .await;
    let problem = assert_problem(
        app.post_json(
            &reminders,
            Some(&admin),
            &json!({"istat_codes": [SANREMO, "099999"]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/istat_codes/1"]);

    let response = app.post_json(&reminders, Some(&admin), &json!({})).await;
    assert_eq!(response.status(), 202);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["messages"], 2, "{report}");
    assert_eq!(
        report["reminded"],
        json!([{"comune_istat_code": SANREMO, "comune_name": "Sanremo", "messages": 2}])
    );
    let unreachable = report["unreachable"].as_array().unwrap();
    assert_eq!(unreachable.len(), 64, "every other comune but Imperia");
    assert!(
        unreachable
            .iter()
            .all(|c| c["comune_istat_code"] != IMPERIA)
    );

    // No SMTP configured: the messages wait in the outbox, readable by the admin only.
    let outbox: Value = app
        .get("/outbox?delivery=pending", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outbox["total"], 2);
    let mut recipients: Vec<&str> = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        ["formazione@comune.sanremo.test", sanremo.email.as_str()]
    );
    let message = &outbox["items"][0];
    assert_eq!(message["kind"], "campaign_reminder");
    assert_eq!(message["delivery"], "pending");
    assert!(message["subject"].as_str().unwrap().contains("Sanremo"));
    assert!(
        message["body"]
            .as_str()
            .unwrap()
            .contains(&format!("/campagne/{}", campaign["id"]))
    );
    assert_problem(app.get("/outbox", Some(&sanremo.token)).await, 403).await;
    let sent: Value = app
        .get("/outbox?delivery=sent", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["total"], 0);

    // The tracking shows when each comune was last reminded.
    let answers: Value = app
        .get(
            &format!("/campaigns/{}/responses", campaign["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let of = |code: &str| {
        answers["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["comune_istat_code"] == code)
            .unwrap()
            .clone()
    };
    assert!(of(SANREMO)["reminded_at"].is_string());
    assert!(of(IMPERIA).get("reminded_at").is_none());
}

/// A minimal SMTP server that accepts every message and keeps what it received.
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(message) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-fake\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

async fn outbox_until(app: &TestApp, admin: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let outbox: Value = app.get("/outbox", Some(admin)).await.json().await.unwrap();
        if done(&outbox) {
            return outbox;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox never reached the expected state");
}

#[rstest]
#[tokio::test]
async fn with_smtp_configured_reminders_are_delivered_and_failures_kept_for_retry(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let (port, received) = fake_smtp().await;
    let app = spawn_app_on(TestDb::create(backend).await, backend, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
    })
    .await;
    let admin = app.admin_token().await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let campaign = open_campaign(&app, &admin).await;
    let response = app
        .post_json(
            &format!("/campaigns/{}/reminders", campaign["id"]),
            Some(&admin),
            &json!({"istat_codes": [SANREMO]}),
        )
        .await;
    assert_eq!(response.status(), 202);
    let outbox = outbox_until(&app, &admin, |o| o["items"][0]["delivery"] == "sent").await;
    assert_eq!(outbox["items"][0]["attempts"], 1);
    assert!(outbox["items"][0]["sent_at"].is_string());
    let mail = received.lock().unwrap().join("\n");
    assert!(mail.contains(&format!("To: {}", sanremo.email)), "{mail}");
    assert!(mail.contains("Sanremo"), "{mail}");

    // An unreachable server: the message stays pending with the error, for a later retry.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_port = closed.local_addr().unwrap().port();
    drop(closed);
    let broken = spawn_app_on(TestDb::create(backend).await, backend, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{dead_port}").into());
    })
    .await;
    let admin = broken.admin_token().await;
    broken.login_as("referente", Some(SANREMO)).await;
    let campaign = open_campaign(&broken, &admin).await;
    broken
        .post_json(
            &format!("/campaigns/{}/reminders", campaign["id"]),
            Some(&admin),
            &json!({"istat_codes": [SANREMO]}),
        )
        .await;
    let outbox = outbox_until(&broken, &admin, |o| o["items"][0]["attempts"] == 1).await;
    assert_eq!(outbox["items"][0]["delivery"], "pending");
    assert!(outbox["items"][0]["last_error"].is_string());
}

#[rstest]
#[tokio::test]
async fn need_lines_and_the_summary_download_as_csv_and_xlsx(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let campaign = open_campaign(&app, &admin).await;
    for (login, theme, area, people) in [
        (&imperia, "privacy", "demografici", 3),
        (&imperia, "anticorruzione_trasparenza", "tributi", 2),
        (&sanremo, "privacy", "tributi", 5),
    ] {
        let mut body = need_body(&campaign, theme, area);
        body["headcount"] = json!(people);
        body["notes"] = json!("Turni; \"part-time\"");
        assert_eq!(
            app.post_json("/needs", Some(&login.token), &body)
                .await
                .status(),
            201
        );
    }
    let download = |path: String, token: String, accept: &'static str| {
        let request = app
            .client
            .get(app.url(&path))
            .bearer_auth(token)
            .header("accept", accept);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let disposition = response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .to_owned();
            (disposition, response.bytes().await.unwrap().to_vec())
        }
    };

    // A referente downloads their own lines only.
    let (disposition, bytes) = download(
        format!("/needs?campaign_id={}", campaign["id"]),
        sanremo.token.clone(),
        "text/csv",
    )
    .await;
    assert!(disposition.contains(".csv"));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("comune")], "Sanremo");
    assert_eq!(&rows[0][column("persone")], "5");
    assert_eq!(&rows[0][column("note")], "Turni; \"part-time\"");

    // The admin's workbook: every line, numbers as numbers.
    let (disposition, bytes) = download(
        format!("/needs?campaign_id={}", campaign["id"]),
        admin.clone(),
        XLSX,
    )
    .await;
    assert!(disposition.contains(".xlsx"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("Fabbisogni").unwrap();
    assert_eq!(sheet.height(), 4, "a header and three lines");
    let total: f64 = sheet
        .rows()
        .skip(1)
        .map(|r| r[7].get_float().unwrap())
        .sum();
    assert_eq!(total, 10.0);

    // The summary: one worksheet per breakdown, and the same figures as the JSON.
    let summary_path = format!("/campaigns/{}/summary", campaign["id"]);
    let (_, bytes) = download(summary_path.clone(), admin.clone(), XLSX).await;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Riepilogo",
            "Per tema",
            "Per area",
            "Per comune",
            "Per distanza"
        ]
    );
    let themes = workbook.worksheet_range("Per tema").unwrap();
    assert_eq!(themes.get((1, 0)).unwrap().to_string(), "privacy");
    assert_eq!(themes.get((1, 2)).unwrap().get_float(), Some(8.0));
    let (_, bytes) = download(summary_path.clone(), admin.clone(), "text/csv").await;
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("sezione,chiave,descrizione,persone,comuni,righe\n"));
    assert!(text.contains("Per comune,008055,Sanremo,5,1,1\n"), "{text}");
    assert_problem(
        app.client
            .get(app.url(&summary_path))
            .bearer_auth(&imperia.token)
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
}
