//! Persistence: the only layer that speaks SQL (through sea-orm). Functions take a
//! connection and domain types and give back domain types or a [`StoreError`]. Every
//! public write runs in one transaction, so it is never half-applied.
pub mod account_tokens;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod catalogue;
pub mod comuni;
pub mod courses;
pub mod edition_proposals;
pub mod employees;
pub mod enrolments;
pub mod outbox;
pub mod plans;
pub mod providers;
pub mod reference;
pub mod seed;
pub mod users;
pub mod venues;

use std::time::Duration;

use chrono::{DateTime, Utc};

use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, TransactionTrait,
};

use crate::domain::DomainError;

/// Why a store operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A business key is already taken or still referenced; `detail` is for the client.
    #[error("conflict: {detail}")]
    Conflict { detail: String },
    /// The caller's precondition (an `If-Match` ETag) no longer holds.
    #[error("precondition failed")]
    PreconditionFailed,
    /// A value broke a rule that needs the database to check (e.g. an unknown reference).
    #[error(transparent)]
    Invalid(#[from] DomainError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// A LIKE pattern matching `text` anywhere, case-folded, with its wildcards escaped so that
/// user input matches literally (`ESCAPE` is spelled out: the databases' defaults differ).
pub(crate) fn contains(text: &str) -> sea_orm::sea_query::LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// Whether `err` is a foreign-key violation. sea-orm recognises SQLite's plain code (787)
/// but not the one an `ON DELETE RESTRICT` action raises, so the message is checked too.
pub(crate) fn is_foreign_key_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
    ) || err.to_string().contains("FOREIGN KEY constraint failed")
}

/// Whether `err` says the database cannot store anything right now — its disk is full or
/// it is read-only (a replica, a remount after a disk error) — rather than that the
/// statement was wrong. The transaction was rolled back: nothing was written, nothing
/// acknowledged is lost, and the same request succeeds once an operator frees space.
///
/// PostgreSQL: SQLSTATE class 53 (insufficient resources: `disk_full` 53100, out of
/// memory 53200) and `read_only_sql_transaction` (25006). SQLite: the primary result codes
/// `SQLITE_READONLY` (8), `SQLITE_IOERR` (10) and `SQLITE_FULL` (13), with any extended
/// code.
pub fn cannot_write(err: &DbErr) -> bool {
    match error_code(err) {
        Some(ErrorCode::Postgres(state)) => state.starts_with("53") || state == "25006",
        Some(ErrorCode::Sqlite(code)) => matches!(code & 0xff, 8 | 10 | 13),
        None => false,
    }
}

/// Whether `err` says other work held what this statement needed for longer than the
/// database waits (SQLite's busy timeout, a PostgreSQL deadlock or serialization failure):
/// the request can simply be tried again.
pub fn contended(err: &DbErr) -> bool {
    match error_code(err) {
        Some(ErrorCode::Postgres(state)) => matches!(state.as_str(), "40001" | "40P01" | "55P03"),
        Some(ErrorCode::Sqlite(code)) => matches!(code & 0xff, 5 | 6),
        None => false,
    }
}

enum ErrorCode {
    /// A SQLSTATE.
    Postgres(String),
    /// An extended result code.
    Sqlite(i32),
}

fn error_code(err: &DbErr) -> Option<ErrorCode> {
    use sea_orm::RuntimeErr;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let sea_orm::sqlx::Error::Database(e) = e.as_ref() else {
        return None;
    };
    let code = e.code()?.into_owned();
    if e.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()
        .is_some()
    {
        Some(ErrorCode::Postgres(code))
    } else {
        code.parse().ok().map(ErrorCode::Sqlite)
    }
}

/// The current time at the microsecond resolution both databases store, so that a value
/// written and read back compares equal (timestamps double as version stamps).
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t - chrono::Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos() % 1_000))
}

/// A new version stamp strictly after `previous`, even when two writes land within the
/// clock's resolution.
pub(crate) fn version_after(previous: DateTime<Utc>) -> DateTime<Utc> {
    let now = now();
    if now > previous {
        now
    } else {
        previous + chrono::Duration::microseconds(1)
    }
}

/// Begins a transaction that will write after it reads. On SQLite its first statement
/// takes the database's write lock (an update of nothing still takes it): a transaction
/// that reads first cannot upgrade to writing once another writer has committed, and
/// would fail with "database is locked" instead of waiting its turn. PostgreSQL needs no
/// such step.
///
/// # Errors
/// Database errors (the busy timeout elapsed, the server is away).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared("UPDATE comuni SET istat_code = istat_code WHERE 1 = 0")
            .await?;
    }
    Ok(txn)
}

/// Locks one row until the transaction ends (`SELECT … FOR UPDATE` on PostgreSQL; an
/// SQLite write transaction already excludes every other writer), so that a
/// read-check-write cannot lose a race to a concurrent writer: the version check after it
/// then fails only for a client's stale `If-Match`, never for the race (a 412 the client
/// did not ask for). A row that does not exist is left to the read that follows.
///
/// # Errors
/// Database errors only.
pub(crate) async fn lock_row<E: sea_orm::EntityTrait>(
    txn: &DatabaseTransaction,
    id: impl Into<<E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType>,
) -> Result<(), StoreError> {
    use sea_orm::QuerySelect;
    E::find_by_id(id).lock_exclusive().one(txn).await?;
    Ok(())
}

/// Begins a transaction that will write what the public catalogue shows (a course, an
/// edition, its sessions, a venue, a provider, a seat). On PostgreSQL it takes the change
/// log's lock first, the one the log's triggers take (`migration::CHANGE_LOG_LOCK`):
/// taken by a trigger after the transaction has locked rows, it could close a cycle with
/// another writer that holds the lock and waits for those rows. Taken first, every such
/// writer waits in one line. SQLite has one writer at a time already.
///
/// # Errors
/// Database errors (the busy timeout elapsed, the server is away).
pub async fn begin_catalogue_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT pg_advisory_xact_lock({})",
            migration::CHANGE_LOG_LOCK
        ))
        .await?;
    }
    Ok(txn)
}

/// Held while one process migrates and seeds the database. Replicas started together on an
/// empty PostgreSQL database would otherwise each create the same tables and collide
/// (`duplicate key … pg_type_typname_nsp_index`), and in a rolling upgrade two of them would
/// run the same migration. A transaction of its own, on another connection of the pool,
/// holds the lock until [`release`](Self::release); SQLite's file lock already lets one
/// writer in at a time.
pub struct StartupLock(Option<DatabaseTransaction>);

/// The advisory lock of [`StartupLock`] (an arbitrary constant: "startup").
const STARTUP_LOCK: i64 = 0x0073_7461_7274_7570;

impl StartupLock {
    /// Waits for any other process preparing the database, then holds the lock.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn take(db: &DatabaseConnection) -> Result<Self, DbErr> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(Self(None));
        }
        let txn = db.begin().await?;
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({STARTUP_LOCK})"))
            .await?;
        Ok(Self(Some(txn)))
    }

    /// Lets the next process in.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn release(self) -> Result<(), DbErr> {
        match self.0 {
            Some(txn) => txn.commit().await,
            None => Ok(()),
        }
    }
}

/// After an erasure on SQLite, moves every page out of the write-ahead log into the
/// database file, where `secure_delete` has zeroed what was freed: the erased values are
/// then nowhere in the files. PostgreSQL rewrites rows with MVCC; its vacuum reclaims them.
///
/// # Errors
/// Database errors only.
pub async fn compact_after_erasure(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(())
}

/// Opens a pool on `url` (`sqlite:` or `postgres:`). SQLite gets WAL, so that readers do
/// not wait for writers, and foreign keys on (sqlx's default); the parent folder of an
/// SQLite file is created when missing.
///
/// # Errors
/// The database error when the server cannot be reached or the file cannot be opened.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(url)
        && url.contains("mode=rwc")
    {
        create_private_file(std::path::Path::new(&path))
            .map_err(|e| DbErr::Custom(format!("cannot create {path}: {e}")))?;
    }
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(if url.starts_with("sqlite") { 8 } else { 20 })
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                // Freed content is overwritten with zeros: an erased person's data must
                // not linger in the file's free pages.
                .pragma("secure_delete", "ON")
        });
    Database::connect(options).await
}

/// Creates an empty SQLite file (and its folder) readable by its owner only, if it is
/// missing: SQLite would create it with the process's umask, often world-readable, and it
/// holds personal data. Its `-wal` and `-shm` companions take the same permissions.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

/// Makes `path` readable and writable by its owner only.
fn make_private(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    let _ = path;
    Ok(())
}

/// The file behind an `sqlite:` URL, if it names one (not `:memory:`).
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's real "database or disk is full", produced by capping the file's size.
    #[tokio::test]
    async fn a_full_disk_is_told_apart_from_a_bad_statement() {
        let db = Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared("CREATE TABLE t (x TEXT)")
            .await
            .unwrap();
        let bad = db
            .execute_unprepared("INSERT INTO nowhere VALUES (1)")
            .await
            .unwrap_err();
        assert!(!cannot_write(&bad), "{bad}");
        let pages: i64 = 4;
        db.execute_unprepared(&format!("PRAGMA max_page_count = {pages}"))
            .await
            .unwrap();
        let full = db
            .execute_unprepared("INSERT INTO t SELECT hex(zeroblob(100000))")
            .await
            .unwrap_err();
        assert!(full.to_string().contains("full"), "{full}");
        assert!(cannot_write(&full), "{full:?}");
        assert!(!contended(&full));
    }

    /// A writer that waits longer than the busy timeout is told to retry, not a defect.
    #[tokio::test]
    async fn a_writer_kept_waiting_is_contention() {
        let path = std::env::temp_dir().join(format!("cabina-busy-{}.db", rand::random::<u64>()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let holder = Database::connect(&url).await.unwrap();
        holder
            .execute_unprepared("CREATE TABLE t (x INTEGER)")
            .await
            .unwrap();
        let txn = holder.begin().await.unwrap();
        txn.execute_unprepared("INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let waiting = Database::connect(&url).await.unwrap();
        waiting
            .execute_unprepared("PRAGMA busy_timeout = 0")
            .await
            .unwrap();
        let busy = waiting
            .execute_unprepared("INSERT INTO t VALUES (2)")
            .await
            .unwrap_err();
        assert!(contended(&busy), "{busy:?}");
        assert!(!cannot_write(&busy));
        txn.rollback().await.unwrap();
        std::fs::remove_file(path).ok();
    }

    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(
            sqlite_file_path("sqlite://data/cabina.db?mode=rwc").as_deref(),
            Some("data/cabina.db")
        );
        assert_eq!(
            sqlite_file_path("sqlite:///tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/x"), None);
    }
}
