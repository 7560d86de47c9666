//! The `cabina` command: `serve`, `migrate`, `openapi`.
use std::process::ExitCode;

use cabina::configuration::{Cli, Command};
use cabina::startup::Application;
use cabina::{openapi, store, telemetry};
use clap::Parser;
use migration::{Migrator, MigratorTrait};

#[tokio::main]
async fn main() -> ExitCode {
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
            let db = store::connect(&args.database_url).await?;
            Migrator::up(&db, None).await?;
            tracing::info!("migrations applied");
        }
        Command::Openapi(args) => {
            use std::io::Write;
            std::io::stdout().write_all(openapi::openapi_json(&args.public_url).as_bytes())?;
        }
    }
    Ok(())
}
