//! The `cabina` command: `serve`, `check`, `migrate`, `backup`, `restore`, `openapi`, `demo`.
use secrecy::ExposeSecret;
use std::process::ExitCode;

use cabina::configuration::{Cli, Command, Settings};
use cabina::startup::Application;
use cabina::{openapi, store, telemetry};
use clap::Parser;
use migration::{Migrator, MigratorTrait};

#[tokio::main]
async fn main() -> ExitCode {
    cabina::auth::password::release_large_allocations();
    let cli = Cli::parse();
    telemetry::init();
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cabina: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(settings) => {
            refuse_problems(&settings)?;
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await?
        }
        Command::Check(settings) => check(&settings).await?,
        Command::Backup(args) => {
            let db = store::connect(args.database.database_url.expose_secret()).await?;
            store::backup::backup(&db, &args.file).await?;
            println!("cabina backup: {} written", args.file.display());
        }
        Command::Restore(args) => {
            let migrations =
                store::backup::restore(args.database.database_url.expose_secret(), &args.file)
                    .await?;
            println!(
                "cabina restore: {} restored ({migrations} migrations); start the service",
                args.file.display()
            );
        }
        Command::Migrate(args) => {
            let db = store::connect(args.database_url.expose_secret()).await?;
            let migrating = store::StartupLock::take(&db).await?;
            Migrator::up(&db, None).await?;
            migrating.release().await?;
            tracing::info!("migrations applied");
        }
        Command::Demo(args) => {
            args.check_allowed()?;
            let db = store::connect(args.database.database_url.expose_secret()).await?;
            Migrator::up(&db, None).await?;
            store::seed::seed_reference_data(&db, &args.province).await?;
            cabina::startup::bootstrap_admin(
                &db,
                args.admin_email.as_deref(),
                args.admin_password
                    .as_ref()
                    .map(ExposeSecret::expose_secret),
            )
            .await?;
            let report = cabina::demo::fill(&db, &args.province.to_uppercase(), args.seed).await?;
            match report.skipped {
                Some(why) => println!("cabina demo: nothing done, {why}"),
                None => println!(
                    "cabina demo: {} providers, {} courses, {} editions, {} employees, {} comuni answered the survey, \
                     {} enrolments, {} certificates, {} feedback questionnaires; an approved annual plan of {} editions for {} people.\n\
                     Accounts (password {}): formazione@provincia.demo.example (admin), \
                     referente@imperia.demo.example, referente@sanremo.demo.example, dipendente@imperia.demo.example",
                    report.providers,
                    report.courses,
                    report.editions,
                    report.employees,
                    report.comuni_answering,
                    report.enrolments,
                    report.certificates,
                    report.feedback,
                    report.plan_editions,
                    report.plan_people,
                    cabina::demo::DEMO_PASSWORD,
                ),
            }
        }
        Command::Openapi(args) => {
            use std::io::Write;
            std::io::stdout().write_all(openapi::openapi_json(&args.public_url).as_bytes())?;
        }
    }
    Ok(())
}

/// Stops before anything is touched when the configuration has mistakes, naming each.
fn refuse_problems(settings: &Settings) -> anyhow::Result<()> {
    let problems = settings.problems();
    for problem in &problems {
        eprintln!("cabina: {problem}");
    }
    match problems.len() {
        0 => Ok(()),
        1 => anyhow::bail!("1 mistake in the configuration"),
        n => anyhow::bail!("{n} mistakes in the configuration"),
    }
}

/// `cabina check`: the configuration, then the database it names and its schema.
async fn check(settings: &Settings) -> anyhow::Result<()> {
    refuse_problems(settings)?;
    let db = store::connect(settings.database.database_url.expose_secret())
        .await
        .map_err(|e| anyhow::anyhow!("CABINA_DATABASE_URL: cannot connect: {e}"))?;
    let pending = Migrator::get_pending_migrations(&db).await?.len();
    match pending {
        0 => println!(
            "cabina check: the configuration is sound; the database answers and its schema is current"
        ),
        n => println!(
            "cabina check: the configuration is sound; the database answers; {n} migrations will be applied at start"
        ),
    }
    Ok(())
}
