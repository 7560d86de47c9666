//! What an operator relies on: readiness told apart from liveness, a request id on every
//! answer, metrics that match the database, a configuration checked before serving, files
//! only their owner reads, and backups that restore every record — on SQLite with
//! `cabina backup`/`restore` while serving, on PostgreSQL with the README's `pg_dump`
//! procedure.
use std::collections::BTreeMap;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use rstest::rstest;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::helpers::{
    Backend, Server, TestDb, assert_problem, cabina_binary, spawn_app, spawn_app_on,
};

#[rstest]
#[tokio::test]
async fn readiness_fails_while_the_schema_is_behind_and_liveness_does_not(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    assert_problem(app.get("/status", None).await, 200).await;
    // The newest migration forgotten: the schema this version needs is not all there.
    app.execute(
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)",
    )
    .await;
    let not_ready = app.get("/status", None).await;
    assert_eq!(not_ready.headers()["retry-after"], "30");
    assert_problem(not_ready, 503).await;
    let live = assert_problem(app.get("/status/live", None).await, 200).await;
    assert_eq!(live["title"], "OK");
}

#[rstest]
#[tokio::test]
async fn liveness_answers_without_the_database(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.app_db.close_by_ref().await.unwrap();
    assert_problem(app.get("/status", None).await, 503).await;
    let live = app.get("/status/live", None).await;
    assert_eq!(live.headers()["cache-control"], "no-store");
    assert_problem(live, 200).await;
}

fn is_generated_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[rstest]
#[tokio::test]
async fn every_answer_carries_a_request_id_and_only_a_trusted_proxys_is_kept(
    #[values(Backend::Sqlite)] backend: Backend,
) {
    let direct = spawn_app(backend).await;
    let first = direct.get("/themes", None).await;
    let second = direct.get("/no-such-thing", None).await;
    let (a, b) = (
        first.headers()["x-request-id"].to_str().unwrap().to_owned(),
        second.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned(),
    );
    assert!(
        is_generated_id(&a) && is_generated_id(&b) && a != b,
        "{a} {b}"
    );
    // A client that is not a trusted proxy cannot choose the id in our logs.
    let forged = direct
        .client
        .get(direct.url("/themes"))
        .header("x-request-id", "chosen-by-the-client")
        .send()
        .await
        .unwrap();
    assert!(is_generated_id(
        forged.headers()["x-request-id"].to_str().unwrap()
    ));

    let db = TestDb::create(backend).await;
    let behind_proxy = spawn_app_on(db, backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let ask = |id: &'static str| {
        behind_proxy
            .client
            .get(behind_proxy.url("/themes"))
            .header("x-request-id", id)
            .send()
    };
    let kept = ask("3f2a9c1e-proxy.request_42").await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "3f2a9c1e-proxy.request_42");
    // Not a plausible token (a space, a log-injection attempt): replaced.
    let odd = ask("two words").await.unwrap();
    assert!(is_generated_id(
        odd.headers()["x-request-id"].to_str().unwrap()
    ));
}

/// The value of the sample `name{labels}` in a Prometheus text answer.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[rstest]
#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_report_the_real_outbox(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for id in [1_000_001, 1_000_002, 1_000_003] {
        assert_problem(app.get(&format!("/courses/{id}"), None).await, 401).await;
    }
    // Made-up methods (any token is one) share a single series rather than growing the set.
    for method in ["BREW", "PROPFIND", "X-FLOOD-1"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        app.client
            .request(method, app.url("/themes"))
            .send()
            .await
            .unwrap();
    }
    let admin = app.admin_token().await;
    // Three messages queued: the source of truth is the outbox table, not an API answer.
    app.execute(
        "INSERT INTO outbox_messages (kind, topic, recipient, subject, body, attempts, created_at, next_attempt_at) \
         VALUES ('notice', 't', 'a@example.org', 's', 'b', 0, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z'), \
                ('notice', 't', 'b@example.org', 's', 'b', 0, '2026-01-02T00:00:00Z', '2099-01-01T00:00:00Z'), \
                ('notice', 't', 'c@example.org', 's', 'b', 0, '2026-01-03T00:00:00Z', '2099-01-01T00:00:00Z')",
    )
    .await;
    let pending: i64 = scalar(
        app.db.url(),
        "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL",
    )
    .await;
    assert!(pending >= 3);

    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let metrics = response.text().await.unwrap();
    assert_eq!(
        sample(
            &metrics,
            r#"cabina_http_requests_total{method="GET",route="/api/v1/courses/{id}",status="401"}"#
        ),
        Some(3.0),
        "{metrics}"
    );
    assert!(!metrics.contains("BREW") && !metrics.contains("X-FLOOD"));
    assert!(metrics.contains(r#"method="OTHER""#), "{metrics}");
    assert!(
        !metrics.contains("1000001"),
        "paths, never ids, label the series"
    );
    assert_eq!(
        sample(
            &metrics,
            r#"cabina_http_request_duration_seconds_count{method="GET",route="/api/v1/courses/{id}",status="401"}"#
        ),
        Some(3.0),
        "a latency histogram per route and status: {metrics}"
    );
    assert_eq!(
        sample(&metrics, "cabina_outbox_pending_messages"),
        Some(pending as f64)
    );
    let oldest = sample(&metrics, "cabina_outbox_oldest_pending_age_seconds").unwrap();
    assert!(
        oldest > 300.0 * 86_400.0,
        "the oldest is from January: {oldest}"
    );
    assert!(sample(&metrics, r#"cabina_db_pool_connections{state="idle"}"#).is_some());
    assert!(
        !metrics.contains(&admin),
        "no token ever reaches the metrics"
    );
}

#[tokio::test]
async fn the_catalogue_cache_is_counted_as_hits_and_misses() {
    let app = spawn_app(Backend::Sqlite).await;
    for _ in 0..3 {
        app.get("/catalogue/courses", None).await;
    }
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        sample(
            &metrics,
            r#"cabina_catalogue_cache_lookups_total{outcome="miss"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &metrics,
            r#"cabina_catalogue_cache_lookups_total{outcome="hit"}"#
        ),
        Some(2.0)
    );
}

// --- the `cabina` command, run as an operator runs it ---

fn cabina(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(cabina_binary());
    command.args(args).env("CABINA_LOG", "error");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("cabina runs")
}

const STRONG_SECRET: &str = "9f1c2e7a4b8d03f6e5a1c7b9d2e4f608a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2";

#[test]
fn cabina_check_names_every_mistake_on_its_own_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/c.db?mode=rwc", dir.path().display());
    let out = cabina(
        &["check"],
        &[
            ("CABINA_ENV", "production"),
            ("CABINA_DATABASE_URL", &url),
            ("CABINA_JWT_SECRET", &"z".repeat(48)),
            ("CABINA_PUBLIC_URL", "http://formazione.provincia.example"),
            ("CABINA_ADMIN_PASSWORD", "qwerty123456"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for variable in [
        "CABINA_JWT_SECRET",
        "CABINA_PUBLIC_URL",
        "CABINA_ADMIN_PASSWORD",
    ] {
        assert_eq!(
            stderr.lines().filter(|l| l.contains(variable)).count(),
            1,
            "{variable} named once: {stderr}"
        );
    }
    assert!(!stderr.contains("qwerty123456") && !stderr.contains(&"z".repeat(48)));
    // `serve` refuses the same configuration before touching the database.
    let out = cabina(
        &["serve"],
        &[
            ("CABINA_ENV", "production"),
            ("CABINA_DATABASE_URL", &url),
            ("CABINA_JWT_SECRET", &"z".repeat(48)),
            ("CABINA_PUBLIC_URL", "https://formazione.provincia.example"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CABINA_JWT_SECRET"));
    assert!(!dir.path().join("c.db").exists(), "nothing was created");
}

#[test]
fn cabina_check_passes_a_sound_configuration_and_reports_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/c.db?mode=rwc", dir.path().display());
    let sound = [
        ("CABINA_ENV", "production"),
        ("CABINA_DATABASE_URL", url.as_str()),
        ("CABINA_JWT_SECRET", STRONG_SECRET),
        ("CABINA_PUBLIC_URL", "https://formazione.provincia.example"),
        ("CABINA_ADMIN_PASSWORD", "Lanterna-di-Capo-Mele-1872"),
    ];
    let out = cabina(&["check"], &sound);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("migrations will be applied"));
    assert!(cabina(&["migrate"], &sound).status.success());
    let out = cabina(&["check"], &sound);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("schema is current"),
        "{out:?}"
    );
}

#[test]
fn the_sqlite_database_is_readable_by_its_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/data/c.db?mode=rwc", dir.path().display());
    assert!(
        cabina(&["migrate"], &[("CABINA_DATABASE_URL", &url)])
            .status
            .success()
    );
    for file in ["c.db", "c.db-wal", "c.db-shm"] {
        let path = dir.path().join("data").join(file);
        if path.exists() {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{file} is {mode:o}");
        }
    }
}

/// Rows in each table of the database at `url`.
async fn row_counts(url: &str) -> BTreeMap<String, i64> {
    let db = Database::connect(url).await.unwrap();
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect();
    let mut counts = BTreeMap::new();
    for table in tables {
        let sql = format!("SELECT COUNT(*) AS n FROM \"{table}\"");
        let row = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .unwrap();
        counts.insert(table, row.try_get::<i64>("", "n").unwrap());
    }
    db.close().await.ok();
    counts
}

async fn scalar(url: &str, sql: &str) -> i64 {
    let db = Database::connect(url).await.unwrap();
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap();
    let value = row.try_get_by_index::<i64>(0).unwrap();
    db.close().await.ok();
    value
}

fn demo(url: &str) {
    let out = cabina(&["demo"], &[("CABINA_DATABASE_URL", url)]);
    assert!(out.status.success(), "cabina demo: {out:?}");
}

/// A full year: every table that should hold records does.
fn assert_full(counts: &BTreeMap<String, i64>) {
    for table in [
        "employees",
        "enrolments",
        "editions",
        "courses",
        "plans",
        "comuni",
    ] {
        assert!(
            counts.get(table).copied().unwrap_or(0) > 0,
            "{table} is empty: {counts:?}"
        );
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_until_ready(base: &str) {
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(format!("{base}/api/v1/status"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{base} never became ready");
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_every_record_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}/live.db?mode=rwc", dir.path().display());
    demo(&live);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Server(
        Command::new(cabina_binary())
            .arg("serve")
            .env("CABINA_DATABASE_URL", &live)
            .env("CABINA_LISTEN", format!("127.0.0.1:{port}"))
            .env("CABINA_DATA_DIR", dir.path())
            .env("CABINA_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until_ready(&base).await;
    // Reads keep coming while the copy is taken.
    let client = reqwest::Client::new();
    let traffic = tokio::spawn(async move {
        for _ in 0..50 {
            client
                .get(format!("{base}/api/v1/catalogue/courses"))
                .send()
                .await
                .unwrap();
        }
    });
    let backup = dir.path().join("copy.db");
    let out = cabina(
        &["backup", backup.to_str().unwrap()],
        &[("CABINA_DATABASE_URL", &live)],
    );
    assert!(out.status.success(), "{out:?}");
    traffic.await.unwrap();
    assert_eq!(
        std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // A second backup onto the same file is refused rather than overwriting it.
    let again = cabina(
        &["backup", backup.to_str().unwrap()],
        &[("CABINA_DATABASE_URL", &live)],
    );
    assert!(!again.status.success());
    let original = row_counts(&live).await;
    drop(server);

    let elsewhere = format!(
        "sqlite://{}/restored/cabina.db?mode=rwc",
        dir.path().display()
    );
    let out = cabina(
        &["restore", backup.to_str().unwrap()],
        &[("CABINA_DATABASE_URL", &elsewhere)],
    );
    assert!(out.status.success(), "{out:?}");
    let restored = row_counts(&elsewhere).await;
    assert_full(&restored);
    assert_eq!(restored, original);
}

#[tokio::test]
async fn restore_refuses_a_file_that_is_not_a_cabina_database_and_leaves_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}/live.db?mode=rwc", dir.path().display());
    assert!(
        cabina(&["migrate"], &[("CABINA_DATABASE_URL", &live)])
            .status
            .success()
    );
    let before = row_counts(&live).await;
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let out = cabina(
        &["restore", junk.to_str().unwrap()],
        &[("CABINA_DATABASE_URL", &live)],
    );
    assert!(!out.status.success());
    assert_eq!(row_counts(&live).await, before);
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {out:?}");
}

/// The README's PostgreSQL procedure, as written there.
#[tokio::test]
async fn pg_dump_and_pg_restore_carry_every_record_to_a_fresh_database() {
    let source = TestDb::create(Backend::Postgres).await;
    demo(source.url());
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("cabina.dump");
    run(
        "pg_dump",
        &[
            "--format=custom",
            "--file",
            dump.to_str().unwrap(),
            source.url(),
        ],
    );
    // `cabina backup` on PostgreSQL points at the same tools rather than half-doing it.
    let out = cabina(
        &["backup", dir.path().join("x").to_str().unwrap()],
        &[("CABINA_DATABASE_URL", source.url())],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));

    let target = TestDb::create(Backend::Postgres).await;
    run(
        "pg_restore",
        &[
            "--no-owner",
            "--dbname",
            target.url(),
            dump.to_str().unwrap(),
        ],
    );
    let restored = row_counts(target.url()).await;
    assert_full(&restored);
    assert_eq!(restored, row_counts(source.url()).await);
    assert!(Path::new(&dump).exists());
}

#[tokio::test]
async fn sigterm_lets_the_requests_in_flight_finish_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/c.db?mode=rwc", dir.path().display());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(cabina_binary())
        .arg("serve")
        .env("CABINA_DATABASE_URL", &url)
        .env("CABINA_LISTEN", format!("127.0.0.1:{port}"))
        .env("CABINA_DATA_DIR", dir.path())
        .env("CABINA_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_ready(&base).await;
    // Logins hash a password (tens of milliseconds each): they are in flight at the signal.
    let client = reqwest::Client::new();
    let logins: Vec<_> = (0..4)
        .map(|n| {
            let request = client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"email": format!("nessuno{n}@example.org"), "password": "una-password-sbagliata"}))
                .send();
            tokio::spawn(request)
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(30)).await;
    run("kill", &["-TERM", &server.id().to_string()]);
    for login in logins {
        let answer = login
            .await
            .unwrap()
            .expect("an answer, not a dropped connection");
        assert!(
            matches!(answer.status().as_u16(), 401 | 429 | 503),
            "{answer:?}"
        );
    }
    let status = tokio::task::spawn_blocking(move || server.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0));
}
