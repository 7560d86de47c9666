//! Copies of the database for `cabina backup` and `cabina restore`. SQLite is copied with
//! `VACUUM INTO`, which reads one consistent snapshot while the service keeps serving;
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`), which the README describes.
use std::path::Path;

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

const POSTGRES: &str = "PostgreSQL is backed up with its own tools: \
pg_dump --format=custom --file=FILE DATABASE_URL, and restored with \
pg_restore --no-owner --dbname=DATABASE_URL FILE (see the README, Operations)";

/// Writes a consistent copy of the SQLite database to `file`, which must not exist, readable
/// by its owner only.
///
/// # Errors
/// On PostgreSQL (with the commands to use instead), an existing `file`, or the database's
/// error.
pub async fn backup(db: &DatabaseConnection, file: &Path) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!("{POSTGRES}");
    }
    if file.exists() {
        bail!("{} exists: name a new file", file.display());
    }
    let target = file
        .to_str()
        .context("the backup file's name must be valid UTF-8")?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await
    .with_context(|| format!("cannot write {}", file.display()))?;
    super::make_private(file)?;
    Ok(())
}

/// Checks that `file` is a sound cabina database: SQLite's integrity check passes and the
/// schema's migrations are recorded. Returns how many migrations it holds.
///
/// # Errors
/// When it is not.
pub async fn verify(file: &Path) -> anyhow::Result<usize> {
    let url = format!("sqlite://{}?mode=ro", file.display());
    let copy = sea_orm::Database::connect(&url)
        .await
        .with_context(|| format!("cannot open {}", file.display()))?;
    let integrity = copy
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .with_context(|| format!("{} is not an SQLite database", file.display()))?
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    if integrity.as_deref() != Some("ok") {
        bail!("{} fails SQLite's integrity check", file.display());
    }
    let migrations = copy
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT version FROM seaql_migrations",
        ))
        .await
        .with_context(|| format!("{} is not a cabina database", file.display()))?
        .len();
    copy.close().await?;
    Ok(migrations)
}

/// Replaces the SQLite database at `database_url` with `file`, a copy made by [`backup`]:
/// checked first, then moved into place in one rename, so that a failure leaves the old
/// database as it was. The service must be stopped.
///
/// # Errors
/// On PostgreSQL, an unsound `file`, or a file-system error.
pub async fn restore(database_url: &str, file: &Path) -> anyhow::Result<usize> {
    let Some(target) = super::sqlite_file_path(database_url) else {
        bail!("{POSTGRES}");
    };
    let migrations = verify(file).await?;
    let target = Path::new(&target);
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let staging = target.with_extension("restoring");
    std::fs::copy(file, &staging)
        .with_context(|| format!("cannot copy {} next to the database", file.display()))?;
    super::make_private(&staging)?;
    std::fs::File::open(&staging)?.sync_all()?;
    // A write-ahead log left by the old database would be replayed into the new one.
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", target.display());
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot remove {side}"));
            }
            _ => {}
        }
    }
    std::fs::rename(&staging, target)
        .with_context(|| format!("cannot move the copy to {}", target.display()))?;
    Ok(migrations)
}
