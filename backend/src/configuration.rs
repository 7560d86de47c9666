//! The operator contract: the `cabina` command line and its `CABINA_*` environment
//! variables. People script against these names; keep them stable and documented in the
//! README.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use secrecy::{ExposeSecret, SecretString};

/// The default SQLite database, created (with its folder) when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/cabina.db?mode=rwc";
/// The public URL when none is configured: the default listen address.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";
/// The shortest JWT secret accepted in production (256 bits for HS256).
pub const MIN_JWT_SECRET_BYTES: usize = 32;
/// The least entropy a production JWT secret must show, estimated from how often each of
/// its characters occurs: 32 random bytes in hex carry about 250 bits, a word repeated to
/// length far fewer.
pub const MIN_JWT_SECRET_BITS: f64 = 128.0;

#[derive(Debug, Parser)]
#[command(
    name = "cabina",
    version,
    about = "cabina: the training control room of a Province for its comuni"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once at start-up: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, seed reference data, create the first admin if needed, and serve the API
    /// (and the built frontend, when present).
    Serve(Settings),
    /// Check a configuration (the same variables as `serve`) and the database it names,
    /// without serving: one line per mistake, exit status 1 if there is any.
    Check(Settings),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Copy the database to FILE while it is in use (SQLite; PostgreSQL: see the README's
    /// `pg_dump` procedure).
    Backup(BackupArgs),
    /// Replace the database (SQLite) with the copy in FILE made by `cabina backup`. Run it
    /// with the service stopped.
    Restore(BackupArgs),
    /// Print the OpenAPI document to stdout.
    Openapi(OpenapiArgs),
    /// Fill an empty database with a fictitious year (providers, courses, editions, staff,
    /// a campaign, enrolments, attendance, certificates, feedback) and demo accounts.
    /// Leaves a database that already has data alone.
    Demo(DemoArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The backup file.
    pub file: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Car-plate code of the Province whose comuni are seeded.
    #[arg(long, env = "CABINA_PROVINCE", default_value = "IM")]
    pub province: String,
    /// Seed of the random choices: the same seed gives the same data.
    #[arg(long, default_value_t = 2027)]
    pub seed: u64,
    /// As for `serve`: the first admin, created if no admin exists yet (the demo adds its
    /// own demo admin too).
    #[arg(long, env = "CABINA_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    #[arg(long, env = "CABINA_ADMIN_PASSWORD", hide_env_values = true, value_parser = secret)]
    pub admin_password: Option<SecretString>,
    /// A production installation refuses the demo: fictitious people among real ones.
    #[arg(long, env = "CABINA_ENV", value_enum, default_value = "development")]
    pub env: Environment,
}

impl DemoArgs {
    /// # Errors
    /// `DemoInProduction` when `CABINA_ENV` is `production`.
    pub fn check_allowed(&self) -> Result<(), SettingsError> {
        match self.env {
            Environment::Production => Err(SettingsError::DemoInProduction),
            Environment::Development => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://PATH?mode=rwc` (embedded) or `postgres://USER@HOST/DB`.
    /// A secret: a PostgreSQL URL may carry a password.
    #[arg(long, env = "CABINA_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_parser = secret)]
    pub database_url: SecretString,
}

#[derive(Debug, Clone, clap::Args)]
pub struct OpenapiArgs {
    /// Absolute base URL the API is reached at, used for the document's `servers`.
    #[arg(long, env = "CABINA_PUBLIC_URL", default_value = DEFAULT_PUBLIC_URL)]
    pub public_url: String,
}

/// Reads a secret from the command line or the environment: it never prints (`Debug`
/// shows `[REDACTED]`), so a logged `Settings` cannot leak it.
fn secret(value: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(value))
}

/// Everything `cabina serve` needs.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "CABINA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Absolute base URL the service is reached at (OpenAPI `servers`, links).
    #[arg(long, env = "CABINA_PUBLIC_URL", default_value = DEFAULT_PUBLIC_URL)]
    pub public_url: String,
    /// `development` generates and keeps a JWT secret if none is given; `production`
    /// refuses to start without a strong one.
    #[arg(long, env = "CABINA_ENV", value_enum, default_value = "development")]
    pub env: Environment,
    /// Secret for signing access tokens (at least 32 bytes; required in production).
    #[arg(long, env = "CABINA_JWT_SECRET", hide_env_values = true, value_parser = secret)]
    pub jwt_secret: Option<SecretString>,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "CABINA_TOKEN_TTL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(60..=86_400))]
    pub token_ttl: u64,
    /// E-mail of the first admin, created at start when no admin exists.
    #[arg(long, env = "CABINA_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    /// Password of the first admin (at least 12 characters); never changes an existing account.
    #[arg(long, env = "CABINA_ADMIN_PASSWORD", hide_env_values = true, value_parser = secret)]
    pub admin_password: Option<SecretString>,
    /// Sigla of the Province whose comuni are seeded (e.g. IM, SV, GE).
    #[arg(long, env = "CABINA_PROVINCE", default_value = "IM")]
    pub province: String,
    /// The body that organises the training, as aggregators and open-data portals show it.
    #[arg(
        long,
        env = "CABINA_ORGANISER_NAME",
        default_value = "Provincia di Imperia"
    )]
    pub organiser_name: String,
    /// Its code in the Indice delle Pubbliche Amministrazioni (IPA).
    #[arg(long, env = "CABINA_ORGANISER_IPA_CODE", default_value = "p_im")]
    pub organiser_ipa_code: String,
    /// The licence of the catalogue's open data (a URL); CC BY 4.0 unless told otherwise.
    #[arg(
        long,
        env = "CABINA_OPEN_DATA_LICENCE",
        default_value = "https://creativecommons.org/licenses/by/4.0/"
    )]
    pub open_data_licence: String,
    /// Who answers for the API, named in its OpenAPI document.
    #[arg(
        long,
        env = "CABINA_API_CONTACT_NAME",
        default_value = "Ufficio formazione della Provincia"
    )]
    pub api_contact_name: String,
    /// The e-mail address integrators write to, in the OpenAPI document.
    #[arg(
        long,
        env = "CABINA_API_CONTACT_EMAIL",
        default_value = "formazione@cabina.invalid"
    )]
    pub api_contact_email: String,
    /// This API's stable identifier in catalogues (PDND), `x-api-id` in the document;
    /// once published, never change it.
    #[arg(
        long,
        env = "CABINA_API_ID",
        default_value = "c4b1a0e2-9d7f-4c6a-8e3b-2f5d1a7c9e40"
    )]
    pub api_id: String,
    /// Folder of the built frontend, served at `/` when it exists.
    #[arg(long, env = "CABINA_FRONTEND_DIR", default_value = "frontend/dist")]
    pub frontend_dir: PathBuf,
    /// Comma-separated origins allowed by CORS; empty (the default) turns CORS off.
    #[arg(
        long,
        env = "CABINA_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = ""
    )]
    pub cors_origins: Vec<String>,
    /// Origins whose browser scripts may read the public catalogue: `*` for any,
    /// comma-separated origins, or empty (the default) for none. Separate from
    /// `CABINA_CORS_ORIGINS`, which opens the signed-in API.
    #[arg(
        long,
        env = "CABINA_CATALOGUE_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = ""
    )]
    pub catalogue_cors_origins: Vec<String>,
    /// Comma-separated addresses or CIDR networks of reverse proxies whose
    /// `X-Forwarded-For` is believed; empty trusts none.
    #[arg(
        long,
        env = "CABINA_TRUSTED_PROXIES",
        value_delimiter = ',',
        default_value = ""
    )]
    pub trusted_proxies: Vec<String>,
    /// API requests allowed per client address per minute (429 beyond).
    #[arg(long, env = "CABINA_RATE_LIMIT", default_value_t = 1200, value_parser = clap::value_parser!(u32).range(1..=1_000_000_000))]
    pub rate_limit: u32,
    /// SMTP server for e-mail, e.g. `smtp://user:pass@mail.example:587?tls=required`.
    /// Unset: messages stay in the outbox, readable by the admin.
    #[arg(long, env = "CABINA_SMTP_URL", hide_env_values = true, value_parser = secret)]
    pub smtp_url: Option<SecretString>,
    /// Sender of e-mail.
    #[arg(
        long,
        env = "CABINA_MAIL_FROM",
        default_value = "cabina <noreply@localhost>"
    )]
    pub mail_from: String,
    /// Where the development JWT secret is kept between runs.
    #[arg(long, env = "CABINA_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

/// Why the service refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "cabina demo refuses to run with CABINA_ENV=production: it would mix fictitious people with real ones"
    )]
    DemoInProduction,
    #[error(
        "CABINA_JWT_SECRET is required in production and must be at least {MIN_JWT_SECRET_BYTES} bytes \
         (generate one with: openssl rand -hex 32)"
    )]
    WeakJwtSecret,
    #[error(
        "CABINA_JWT_SECRET is too predictable (repeated characters, words or patterns; \
         about {0:.0} bits of entropy by character, {MIN_JWT_SECRET_BITS} needed): generate one with: openssl rand -hex 32"
    )]
    PredictableJwtSecret(f64),
    #[error(
        "CABINA_PUBLIC_URL must be an https:// URL in production: it is printed on every certificate \
         and in every e-mail link, got {0:?}"
    )]
    PublicUrlNotHttps(String),
    #[error(
        "CABINA_ADMIN_PASSWORD is too easy to guess (a common password or a simple pattern): \
         choose a longer, unusual one"
    )]
    CommonAdminPassword,
    #[error("CABINA_PUBLIC_URL must be an absolute http:// or https:// URL, got {0:?}")]
    PublicUrl(String),
    #[error("cannot keep the development JWT secret in {path}: {source}")]
    SecretFile {
        path: String,
        source: std::io::Error,
    },
}

impl Settings {
    /// The public URL without a trailing slash.
    ///
    /// # Errors
    /// `SettingsError::PublicUrl` unless it is an absolute http(s) URL.
    pub fn public_base(&self) -> Result<String, SettingsError> {
        let url = self.public_url.trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
                Ok(url.to_owned())
            }
            _ => Err(SettingsError::PublicUrl(self.public_url.clone())),
        }
    }

    pub fn token_ttl(&self) -> Duration {
        Duration::from_secs(self.token_ttl)
    }

    /// The signing secret: the configured one (checked for strength in production), or
    /// in development one generated once and kept in the data folder.
    ///
    /// # Errors
    /// `WeakJwtSecret` in production without a strong secret; `SecretFile` when the
    /// development secret cannot be read or written.
    pub fn jwt_secret(&self) -> Result<Vec<u8>, SettingsError> {
        match (&self.jwt_secret, self.env) {
            (Some(secret), Environment::Production)
                if secret.expose_secret().len() >= MIN_JWT_SECRET_BYTES
                    && is_predictable(secret.expose_secret()) =>
            {
                Err(SettingsError::PredictableJwtSecret(entropy_bits(
                    secret.expose_secret(),
                )))
            }
            (Some(secret), _) if secret.expose_secret().len() >= MIN_JWT_SECRET_BYTES => {
                Ok(secret.expose_secret().as_bytes().to_vec())
            }
            (_, Environment::Production) => Err(SettingsError::WeakJwtSecret),
            (Some(_), Environment::Development) => Err(SettingsError::WeakJwtSecret),
            (None, Environment::Development) => self.development_secret(),
        }
    }

    /// Every mistake in the configuration, one sentence each, naming the variable: what
    /// `cabina check` prints and what stops `cabina serve` before it touches anything.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let production = self.env == Environment::Production;
        match self.public_base() {
            Err(e) => problems.push(e.to_string()),
            // A trial on the operator's own machine (`docker compose up` on a laptop) is
            // reached at http://localhost; anything others reach must be https.
            Ok(url) if production && !url.starts_with("https://") && !is_loopback(&url) => {
                problems.push(SettingsError::PublicUrlNotHttps(url).to_string());
            }
            Ok(_) => {}
        }
        // In development a missing secret is generated; only a given one is judged here.
        if (production || self.jwt_secret.is_some())
            && let Err(e) = self.jwt_secret_as_given()
        {
            problems.push(e.to_string());
        }
        if let Some(password) = &self.admin_password
            && production
            && zxcvbn::zxcvbn(password.expose_secret(), &[]).score() < zxcvbn::Score::Three
        {
            problems.push(SettingsError::CommonAdminPassword.to_string());
        }
        if let Err(e) = crate::client_address::TrustedProxies::parse(&self.trusted_proxies) {
            problems.push(e);
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            problems.push(format!(
                "CABINA_MAIL_FROM must be an address such as \"Formazione <noreply@example.org>\", got {:?}",
                self.mail_from
            ));
        } else if let Some(url) = self
            .smtp_url
            .as_ref()
            .map(ExposeSecret::expose_secret)
            .filter(|u| !u.trim().is_empty())
            && let Err(e) = crate::mailer::Mailer::new(url, &self.mail_from)
        {
            problems.push(e.to_string());
        }
        problems
    }

    /// The secret's rules without generating a development one.
    fn jwt_secret_as_given(&self) -> Result<(), SettingsError> {
        match &self.jwt_secret {
            None if self.env == Environment::Development => Ok(()),
            _ => self.jwt_secret().map(|_| ()),
        }
    }

    fn development_secret(&self) -> Result<Vec<u8>, SettingsError> {
        let path = self.data_dir.join("jwt-secret");
        let fail = |source| SettingsError::SecretFile {
            path: path.display().to_string(),
            source,
        };
        if let Ok(existing) = std::fs::read_to_string(&path)
            && existing.trim().len() >= MIN_JWT_SECRET_BYTES
        {
            return Ok(existing.trim().as_bytes().to_vec());
        }
        std::fs::create_dir_all(&self.data_dir).map_err(fail)?;
        let secret = hex::encode(rand::random::<[u8; 32]>());
        write_private(&path, &secret).map_err(fail)?;
        Ok(secret.into_bytes())
    }
}

/// Whether `url` (http or https) names this machine: `localhost` or a loopback address.
fn is_loopback(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?'])
        .next()
        .unwrap_or_default();
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(h, _)| h);
    host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a long enough secret is still easy to guess: few distinct characters (Shannon
/// entropy below [`MIN_JWT_SECRET_BITS`]), or words and patterns (a repeated word, a
/// keyboard walk) that zxcvbn recognises.
fn is_predictable(secret: &str) -> bool {
    entropy_bits(secret) < MIN_JWT_SECRET_BITS
        || zxcvbn::zxcvbn(secret, &[]).score() < zxcvbn::Score::Four
}

/// Bits of entropy of `secret` as a string of independent characters with the
/// frequencies it shows (Shannon): low for repeated letters or a repeated word.
fn entropy_bits(secret: &str) -> f64 {
    let mut counts = std::collections::HashMap::<char, usize>::new();
    for c in secret.chars() {
        *counts.entry(c).or_default() += 1;
    }
    let total = secret.chars().count() as f64;
    let per_char: f64 = counts
        .values()
        .map(|&n| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum();
    // `abs`: a single repeated letter gives -0.0, which would print as "-0 bits".
    (per_char * total).abs()
}

/// Writes a file readable by its owner only.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `openssl rand -hex 32` prints.
    const STRONG_SECRET: &str = "9f1c2e7a4b8d03f6e5a1c7b9d2e4f608a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2";

    fn settings(args: &[&str]) -> Settings {
        let mut argv = vec!["cabina", "serve"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Serve(s) => s,
            _ => unreachable!(),
        }
    }

    #[test]
    fn production_refuses_a_missing_or_short_secret() {
        let s = settings(&["--env", "production"]);
        assert!(matches!(s.jwt_secret(), Err(SettingsError::WeakJwtSecret)));
        let s = settings(&["--env", "production", "--jwt-secret", "short"]);
        assert!(matches!(s.jwt_secret(), Err(SettingsError::WeakJwtSecret)));
        let strong = STRONG_SECRET;
        let s = settings(&["--env", "production", "--jwt-secret", strong]);
        assert_eq!(s.jwt_secret().unwrap(), strong.as_bytes());
    }

    #[test]
    fn production_refuses_a_predictable_secret_of_any_length() {
        for weak in ["x".repeat(64), "segreto!".repeat(8), "ab".repeat(40)] {
            let s = settings(&["--env", "production", "--jwt-secret", &weak]);
            assert!(
                matches!(s.jwt_secret(), Err(SettingsError::PredictableJwtSecret(_))),
                "{weak} was accepted"
            );
        }
        // Development keeps working with whatever the developer typed.
        let s = settings(&["--jwt-secret", &"x".repeat(32)]);
        assert!(s.jwt_secret().is_ok());
        // A long phrase of several words passes: what the tests' own settings use.
        let s = settings(&[
            "--env",
            "production",
            "--jwt-secret",
            "a-test-secret-that-is-long-enough-for-hs256",
        ]);
        assert!(s.jwt_secret().is_ok());
    }

    #[test]
    fn a_production_configuration_names_each_mistake_on_its_own_line() {
        let s = settings(&[
            "--env",
            "production",
            "--jwt-secret",
            &"a".repeat(40),
            "--public-url",
            "http://formazione.provincia.example",
            "--admin-password",
            "password123",
            "--trusted-proxies",
            "nginx",
        ]);
        let problems = s.problems();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        for variable in [
            "CABINA_JWT_SECRET",
            "CABINA_PUBLIC_URL",
            "CABINA_ADMIN_PASSWORD",
            "CABINA_TRUSTED_PROXIES",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(variable)),
                "{variable} not named in {problems:#?}"
            );
        }
        assert!(problems.iter().all(|p| !p.contains('\n')));
    }

    #[test]
    fn a_sound_production_configuration_has_no_problems() {
        let s = settings(&[
            "--env",
            "production",
            "--jwt-secret",
            STRONG_SECRET,
            "--public-url",
            "https://formazione.provincia.example",
            "--admin-password",
            "Lanterna-di-Capo-Mele-1872",
        ]);
        assert_eq!(s.problems(), Vec::<String>::new());
        // A trial on the operator's own machine may use plain http.
        for local in [
            "http://localhost:8080",
            "http://127.0.0.1:8080/",
            "http://[::1]:8080",
        ] {
            let s = settings(&[
                "--env",
                "production",
                "--jwt-secret",
                STRONG_SECRET,
                "--public-url",
                local,
            ]);
            assert_eq!(s.problems(), Vec::<String>::new(), "{local}");
        }
        let s = settings(&[
            "--env",
            "production",
            "--jwt-secret",
            STRONG_SECRET,
            "--public-url",
            "http://localhost.evil.example",
        ]);
        assert_eq!(s.problems().len(), 1);
        // Development accepts plain http and the developers' default password.
        let s = settings(&["--admin-password", "cambiami-subito"]);
        assert_eq!(s.problems(), Vec::<String>::new());
    }

    #[test]
    fn the_demo_refuses_a_production_installation() {
        let demo = |args: &[&str]| {
            let mut argv = vec!["cabina", "demo"];
            argv.extend_from_slice(args);
            match Cli::try_parse_from(argv).unwrap().command {
                Command::Demo(d) => d,
                _ => unreachable!(),
            }
        };
        assert!(matches!(
            demo(&["--env", "production"]).check_allowed(),
            Err(SettingsError::DemoInProduction)
        ));
        assert!(demo(&[]).check_allowed().is_ok());
    }

    #[test]
    fn settings_never_print_their_secrets() {
        let s = settings(&[
            "--jwt-secret",
            "jwt-secret-jwt-secret-jwt-secret-jwt",
            "--admin-password",
            "admin-password-value",
            "--smtp-url",
            "smtp://user:smtp-password@mail.example:587",
            "--database-url",
            "postgres://cabina:db-password@db/cabina",
        ]);
        let printed = format!("{s:?}");
        for secret in [
            "jwt-secret-jwt",
            "admin-password-value",
            "smtp-password",
            "db-password",
        ] {
            assert!(!printed.contains(secret), "{secret} printed in {printed}");
        }
    }

    #[test]
    fn development_generates_a_secret_once_and_keeps_it() {
        let dir = std::env::temp_dir().join(format!("cabina-secret-{}", std::process::id()));
        let s = settings(&["--data-dir", dir.to_str().unwrap()]);
        let first = s.jwt_secret().unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(s.jwt_secret().unwrap(), first);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn public_url_must_be_absolute() {
        assert_eq!(
            settings(&["--public-url", "https://x.it/"])
                .public_base()
                .unwrap(),
            "https://x.it"
        );
        assert!(settings(&["--public-url", "x.it"]).public_base().is_err());
    }
}
