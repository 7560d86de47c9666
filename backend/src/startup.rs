//! Building and running the application: database, migrations, seed, first admin,
//! routes and middleware.
use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, Condition, DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use utoipa_actix_web::AppExt;

use crate::auth::jwt::JwtKeys;
use crate::auth::password;
use crate::auth::throttle::LoginThrottle;
use crate::client_address::TrustedProxies;
use crate::configuration::Settings;
use crate::domain::user::{Affiliation, Email, NewUser, Role, check_password_strength};
use crate::error::ApiError;
use crate::fallback::{Frontend, RouteTable, fallback, files_fallback};
use crate::public_web::{self, CatalogueOrigins};
use crate::rate_limit::{self, RateLimiter};
use crate::state::{AppState, Publisher};
use crate::{api, openapi, store, telemetry};

/// Largest JSON body accepted (bulk imports will set their own, larger limits).
const JSON_BODY_LIMIT: usize = 256 * 1024;

/// The content security policy: scripts and styles from our own origin only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Every hour, queues a reminder to the people whose course starts within two days.
async fn remind_before_start(state: web::Data<AppState>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match store::enrolments::queue_start_reminders(&state.db, chrono::Duration::hours(48)).await
        {
            Ok(0) => {}
            Ok(queued) => {
                tracing::info!(queued, "reminders before the first session queued");
                state.outbox_filled();
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not queue the reminders before the first session")
            }
        }
    }
}

/// A built, bound application, ready to run.
pub struct Application {
    port: u16,
    db: DatabaseConnection,
    server: Server,
    /// Tells the e-mail sender to stop between two messages.
    stop_mailer: tokio::sync::watch::Sender<bool>,
    mailer: Option<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Connects, migrates, seeds, creates the first admin if configured, and binds.
    ///
    /// # Errors
    /// Any configuration, database or binding failure, with context.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let jwt_secret = settings.jwt_secret()?;
        let public_url = settings.public_base()?;
        let db = store::connect(settings.database.database_url.expose_secret())
            .await
            .context("cannot open the database (CABINA_DATABASE_URL)")?;
        let preparing = store::StartupLock::take(&db)
            .await
            .context("cannot take the start-up lock")?;
        Migrator::up(&db, None)
            .await
            .context("database migration failed")?;
        store::seed::seed_reference_data(&db, &settings.province)
            .await
            .context("seeding reference data failed")?;
        bootstrap_admin(
            &db,
            settings.admin_email.as_deref(),
            settings
                .admin_password
                .as_ref()
                .map(ExposeSecret::expose_secret),
        )
        .await?;
        preparing
            .release()
            .await
            .context("cannot release the start-up lock")?;
        let mailer = settings
            .smtp_url
            .as_ref()
            .map(ExposeSecret::expose_secret)
            .filter(|url| !url.trim().is_empty())
            .map(|url| crate::mailer::Mailer::new(url, &settings.mail_from))
            .transpose()?;
        let listener = TcpListener::bind(settings.listen)
            .with_context(|| format!("cannot listen on {} (CABINA_LISTEN)", settings.listen))?;
        let port = listener.local_addr()?.port();
        let state = AppState {
            db: db.clone(),
            jwt: JwtKeys::new(&jwt_secret, settings.token_ttl()),
            login_throttle: LoginThrottle::default(),
            link_throttle: LoginThrottle::default(),
            openapi_json: openapi::openapi_json_for(
                &public_url,
                &openapi::DocumentIdentity {
                    contact_name: settings.api_contact_name.clone(),
                    contact_email: settings.api_contact_email.clone(),
                    api_id: settings.api_id.clone(),
                },
            )
            .into(),
            catalogue_cache: Default::default(),
            outbox_waker: Default::default(),
            metrics: Default::default(),
            province: settings.province.to_uppercase(),
            publisher: Publisher {
                name: settings.organiser_name.clone(),
                ipa_code: settings.organiser_ipa_code.clone(),
                licence: settings.open_data_licence.clone(),
                contact_name: settings.api_contact_name.clone(),
                contact_email: settings.api_contact_email.clone(),
            },
            public_url,
        };
        let state = web::Data::new(state);
        tokio::spawn(remind_before_start(state.clone()));
        let (stop_mailer, stopping) = tokio::sync::watch::channel(false);
        let mailer = match mailer {
            Some(mailer) => Some(tokio::spawn(mailer.run(
                db.clone(),
                state.outbox_waker.clone(),
                stopping,
            ))),
            None => {
                tracing::info!("CABINA_SMTP_URL not set: e-mail stays in the outbox");
                None
            }
        };
        let frontend = settings
            .frontend_dir
            .join("index.html")
            .is_file()
            .then(|| settings.frontend_dir.clone());
        let limiter = RateLimiter::new(settings.rate_limit, std::time::Duration::from_secs(60));
        let proxies =
            TrustedProxies::parse(&settings.trusted_proxies).map_err(anyhow::Error::msg)?;
        let server = run(
            listener,
            state,
            (limiter, proxies),
            frontend,
            (
                settings.cors_origins.clone(),
                CatalogueOrigins::from_setting(&settings.catalogue_cors_origins),
            ),
        )?;
        tracing::info!(port, "cabina is listening");
        Ok(Self {
            port,
            db,
            server,
            stop_mailer,
            mailer,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The application's database pool (tests use it to simulate outages).
    pub fn db(&self) -> DatabaseConnection {
        self.db.clone()
    }

    /// Serves until the process is told to stop.
    ///
    /// # Errors
    /// I/O errors of the server.
    /// On SIGTERM or SIGINT the server stops accepting, lets the requests in flight finish
    /// (up to 30 seconds), then the e-mail sender finishes the message it is sending.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        tracing::info!("stopping: requests answered, letting the e-mail sender finish");
        let _ = self.stop_mailer.send(true);
        if let Some(mailer) = self.mailer
            && tokio::time::timeout(std::time::Duration::from_secs(30), mailer)
                .await
                .is_err()
        {
            tracing::warn!("the e-mail sender did not stop within 30 seconds");
        }
        served
    }
}

fn run(
    listener: TcpListener,
    state: web::Data<AppState>,
    (limiter, proxies): (RateLimiter, TrustedProxies),
    frontend: Option<std::path::PathBuf>,
    (cors_origins, catalogue_origins): (Vec<String>, CatalogueOrigins),
) -> anyhow::Result<Server> {
    let catalogue_origins = web::Data::new(catalogue_origins);
    let limiter = web::Data::new(limiter);
    let proxies = web::Data::new(proxies);
    let routes = web::Data::new(RouteTable::from_openapi(&openapi::openapi(
        &state.public_url,
    )));
    let frontend = web::Data::new(Frontend(frontend));
    let cors_origins: Vec<String> = cors_origins
        .into_iter()
        .filter(|o| !o.trim().is_empty())
        .collect();
    let server = HttpServer::new(move || {
        let app = App::new()
            .app_data(state.clone())
            .app_data(routes.clone())
            .app_data(limiter.clone())
            .app_data(proxies.clone())
            .app_data(frontend.clone())
            .app_data(catalogue_origins.clone())
            .app_data(web::PayloadConfig::new(JSON_BODY_LIMIT))
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
            // Innermost first: `HEAD` becomes `GET` just before routing.
            .wrap(from_fn(public_web::head_as_get))
            .wrap(from_fn(rate_limit::limit_requests))
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                cors(&cors_origins),
            ))
            .wrap(from_fn(default_cache_control))
            .wrap(security_headers())
            .wrap(Compress::default())
            .wrap(from_fn(public_web::compress_public_only))
            .wrap(from_fn(public_web::catalogue_cors))
            .wrap(from_fn(telemetry::log_request))
            .into_utoipa_app()
            .service(utoipa_actix_web::scope(openapi::API_PREFIX).configure(api::configure))
            .into_app()
            .route("/metrics", web::get().to(telemetry::serve_metrics))
            .default_service(web::to(fallback));
        match &frontend.0 {
            Some(dir) => app.service(
                actix_files::Files::new("/", dir)
                    .index_file("index.html")
                    .redirect_to_slash_directory()
                    .use_etag(true)
                    .default_handler(actix_web::dev::fn_service(files_fallback)),
            ),
            None => app,
        }
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// CORS is off unless origins are configured; then only those, only for the API.
fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static(crate::telemetry::REQUEST_ID),
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin.trim());
    }
    cors
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "geolocation=(), camera=(), microphone=()",
        ))
}

/// Responses say how they may be cached. API answers that do not say are never stored;
/// the SPA's fingerprinted assets are immutable; its pages are revalidated.
async fn default_cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let policy = match req.path() {
        p if p.starts_with("/api/") => "no-store",
        p if p.starts_with("/assets/") => "public, max-age=31536000, immutable",
        _ => "no-cache",
    };
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(response)
}

/// Creates the first admin from `CABINA_ADMIN_EMAIL` / `CABINA_ADMIN_PASSWORD` when no
/// active admin exists; never touches an existing account.
/// Creates the first admin from `CABINA_ADMIN_EMAIL` and `CABINA_ADMIN_PASSWORD` when no
/// active admin exists (`cabina serve` and `cabina demo`).
///
/// # Errors
/// An invalid e-mail or weak password, or a database error.
pub async fn bootstrap_admin(
    db: &DatabaseConnection,
    email: Option<&str>,
    password: Option<&str>,
) -> anyhow::Result<()> {
    if store::users::active_admin_exists(db).await? {
        return Ok(());
    }
    let (Some(email), Some(password)) = (email, password) else {
        tracing::warn!(
            "no admin account exists: set CABINA_ADMIN_EMAIL and CABINA_ADMIN_PASSWORD to create one"
        );
        return Ok(());
    };
    let email = Email::parse("CABINA_ADMIN_EMAIL", email).map_err(|e| anyhow::anyhow!("{e}"))?;
    check_password_strength(password)
        .map_err(|e| anyhow::anyhow!("CABINA_ADMIN_PASSWORD: {}", e.message))?;
    let new = NewUser {
        email,
        full_name: "Amministratore".into(),
        role: Role::Admin,
        affiliation: Affiliation::Province,
        password_hash: password::hash(password.to_owned()).await?,
    };
    match store::users::create(db, new).await {
        Ok(_) => tracing::info!("created the first admin account from CABINA_ADMIN_EMAIL"),
        // An inactive account with that e-mail exists: leave it alone, as promised.
        Err(store::StoreError::Conflict { .. }) => {
            tracing::warn!(
                "CABINA_ADMIN_EMAIL belongs to an existing (inactive) account; not changed"
            )
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
