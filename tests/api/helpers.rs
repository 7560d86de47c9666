//! The test harness: a fresh database per test (dropped afterwards), the application on
//! 127.0.0.1:0, and typed helpers for the calls tests make.
use std::path::PathBuf;
use std::sync::Once;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cabina::configuration::{DatabaseArgs, Environment, Settings};
use cabina::startup::Application;
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

pub const ADMIN_EMAIL: &str = "admin@provincia.test";
pub const ADMIN_PASSWORD: &str = "password-di-prova-admin";
pub const PROBLEM_JSON: &str = "application/problem+json";
/// Two comuni of Imperia, for scoping tests.
pub const IMPERIA: &str = "008031";
pub const SANREMO: &str = "008055";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is dropped with it.
pub enum TestDb {
    Sqlite {
        url: String,
        _dir: tempfile::TempDir,
    },
    Postgres {
        url: String,
        name: String,
    },
    /// Another handle on a database some other `TestDb` owns (a second replica).
    Shared {
        url: String,
    },
}

fn postgres_server() -> String {
    std::env::var("CABINA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

impl TestDb {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("cabina.db").display()
                );
                TestDb::Sqlite { url, _dir: dir }
            }
            Backend::Postgres => {
                static SWEEP: Once = Once::new();
                let admin = Database::connect(format!("{}/postgres", postgres_server()))
                    .await
                    .expect("PostgreSQL must run at 127.0.0.1:5432 (user postgres, trust auth)");
                let mut sweep = false;
                SWEEP.call_once(|| sweep = true);
                if sweep {
                    sweep_stale_databases(&admin).await;
                }
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let name = format!("cabina_test_{now}_{:08x}", rand::random::<u32>());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                TestDb::Postgres {
                    url: format!("{}/{name}", postgres_server()),
                    name,
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } | TestDb::Shared { url } => {
                url
            }
        }
    }
}

/// Drops test databases left behind by runs that crashed more than two hours ago (the
/// name carries its creation time, so concurrent runs are never touched).
async fn sweep_stale_databases(admin: &DatabaseConnection) {
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'cabina_test_%'",
        ))
        .await
        .unwrap_or_default();
    let cutoff = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 2 * 3600;
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let created: u64 = name
            .split('_')
            .nth(2)
            .and_then(|t| t.parse().ok())
            .unwrap_or(u64::MAX);
        if created < cutoff {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { name, .. } = self {
            let name = name.clone();
            // Drop runs inside the test's runtime; a thread with its own runtime may block.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    if let Ok(admin) =
                        Database::connect(format!("{}/postgres", postgres_server())).await
                    {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running application and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The application's own pool (to simulate an outage).
    pub app_db: DatabaseConnection,
    pub db: TestDb,
}

/// Settings as an operator would give them, for `url`.
pub fn test_settings(url: &str, data_dir: PathBuf) -> Settings {
    Settings {
        database: DatabaseArgs {
            database_url: url.into(),
        },
        listen: "127.0.0.1:0".parse().unwrap(),
        public_url: "http://127.0.0.1".into(),
        env: Environment::Production,
        jwt_secret: Some("a-test-secret-that-is-long-enough-for-hs256".into()),
        token_ttl: 900,
        admin_email: Some(ADMIN_EMAIL.into()),
        admin_password: Some(ADMIN_PASSWORD.into()),
        province: "IM".into(),
        frontend_dir: PathBuf::from("/nonexistent"),
        cors_origins: Vec::new(),
        catalogue_cors_origins: Vec::new(),
        organiser_name: "Provincia di Imperia".into(),
        organiser_ipa_code: "p_im".into(),
        open_data_licence: "https://creativecommons.org/licenses/by/4.0/".into(),
        api_contact_name: "Ufficio formazione della Provincia".into(),
        api_contact_email: "formazione@cabina.invalid".into(),
        api_id: "c4b1a0e2-9d7f-4c6a-8e3b-2f5d1a7c9e40".into(),
        rate_limit: 100_000,
        trusted_proxies: Vec::new(),
        smtp_url: None,
        mail_from: "cabina <noreply@cabina.test>".into(),
        data_dir,
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    init_logging();
    let db = TestDb::create(backend).await;
    spawn_app_on(db, backend, |_| {}).await
}

/// Spawns the application on an existing test database, with settings adjusted by `tweak`.
pub async fn spawn_app_on(
    db: TestDb,
    _backend: Backend,
    tweak: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = test_settings(db.url(), std::env::temp_dir());
    tweak(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let app_db = app.db();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        app_db,
        db,
    }
}

fn init_logging() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            cabina::telemetry::init();
        }
    });
}

/// A signed-in user of some role, created by the admin.
pub struct Login {
    pub token: String,
    pub user_id: i64,
    pub email: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn patch_merge(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .patch(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/merge-patch+json")
            .body(body.to_string());
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send().await.expect("request sent")
    }

    /// An anonymous GET of `path` carrying `If-None-Match: etag`.
    pub async fn get_if_none_match(&self, path: &str, etag: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .expect("request sent")
    }

    /// Reads a public, revalidated answer: 200 OK with `Cache-Control: public, no-cache`.
    pub async fn read_public(&self, path: &str) -> Value {
        let response = self.get(path, None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "public, no-cache");
        response.json().await.unwrap()
    }

    /// A merge patch without a precondition.
    pub async fn merge_patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.patch_merge(path, token, body, None).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn admin_token(&self) -> String {
        let response = self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates a user of `role` (attached to `comune` or a fresh provider) and logs in.
    pub async fn login_as(&self, role: &str, comune: Option<&str>) -> Login {
        let admin = self.admin_token().await;
        let email = format!("{role}.{}@comune.test", rand::random::<u32>());
        let password = "password-di-prova-utente";
        let mut body = json!({"email": email, "full_name": format!("Utente {role}"), "password": password, "role": role});
        if let Some(code) = comune {
            body["comune_istat_code"] = json!(code);
        }
        if role == "provider" {
            body["provider_id"] = json!(self.insert_provider("Ente di prova").await);
        }
        let created = self.post_json("/users", Some(&admin), &body).await;
        assert_eq!(
            created.status(),
            StatusCode::CREATED,
            "{}",
            created.text().await.unwrap()
        );
        let user_id = created.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();
        let response = self.login(&email, password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let token = response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        Login {
            token,
            user_id,
            email,
        }
    }

    /// Registers a qualified provider through the API and returns its id.
    pub async fn insert_provider(&self, name: &str) -> i64 {
        let admin = self.admin_token().await;
        let body = json!({"name": name, "tax_code": "00743110157", "qualification_status": "qualified",
                          "themes": ["privacy", "sicurezza_preposti", "digitalizzazione", "primo_soccorso"]});
        let response = self.post_json("/providers", Some(&admin), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// Runs raw SQL on the test database through a connection of its own.
    pub async fn execute(&self, sql: &str) {
        let db = Database::connect(self.db.url()).await.unwrap();
        db.execute_unprepared(sql).await.unwrap();
        db.close().await.ok();
    }
}

/// Asserts a problem+json response with `status`, and returns its body.
pub async fn assert_problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some(PROBLEM_JSON),
        "a problem must be application/problem+json"
    );
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status);
    assert!(
        body["title"].is_string() && body["detail"].is_string() && body["type"].is_string(),
        "{body}"
    );
    assert!(body.get("message").is_none() && body.get("code").is_none());
    body
}

/// Asserts a 422 problem naming exactly `fields` (JSON pointers, in the problem's order).
pub async fn assert_invalid(response: Response, fields: &[&str]) -> Value {
    let problem = assert_problem(response, 422).await;
    assert_eq!(fields_at_fault(&problem), fields, "{problem}");
    problem
}

/// The JSON pointers (or parameter names) a problem lists.
pub fn fields_at_fault(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["pointer"]
                        .as_str()
                        .or(e["parameter"].as_str())
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A valid codice fiscale, different for each `n` below 17,576 (synthetic: family name
/// letters from `n`, born 01/01/1980 in Imperia).
pub fn tax_code(n: u32) -> String {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let letter = |i: u32| char::from(b'A' + u8::try_from(i % 26).unwrap());
    let stem = format!(
        "{}{}{}MRA80A01E290",
        letter(n / 676),
        letter(n / 26),
        letter(n)
    );
    let sum: u32 = stem
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let value = if c.is_ascii_digit() {
                c.to_digit(10).unwrap()
            } else {
                u32::from(c) - u32::from('A')
            };
            if i % 2 == 0 {
                ODD[value as usize]
            } else {
                value
            }
        })
        .sum();
    format!("{stem}{}", letter(sum % 26))
}

/// The server binary built next to this test (`cargo test --workspace` builds it;
/// `CABINA_BIN` names another).
pub fn cabina_binary() -> std::path::PathBuf {
    if let Ok(path) = std::env::var("CABINA_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let debug = exe
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/<profile>/deps");
    let binary = debug.join("cabina");
    assert!(
        binary.exists(),
        "{} is missing: build it with `cargo build -p cabina-backend`",
        binary.display()
    );
    binary
}

/// A `cabina serve` process, stopped when dropped.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}
