//! The `cabina` command: `serve`, `migrate`, `openapi`, `demo`.
use secrecy::ExposeSecret;
use std::process::ExitCode;

use cabina::configuration::{Cli, Command};
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
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await?
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
