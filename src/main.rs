//! The `senda` binary: parse the command line, run, print problems, return the exit code.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use senda::cli::{Cli, Command, ImportFrom};
use senda::config::Config;
use senda::diag::Report;

// Rendering allocates many short-lived strings on every thread; mimalloc's per-thread heaps
// made a full build of the benchmark corpus markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let root = cli.root;
    match cli.command {
        Command::Build {
            out,
            base_url,
            drafts,
        } => {
            let started = Instant::now();
            let mut config = Config::load(&root)?;
            if let Some(url) = base_url {
                config = config.with_base_url(&url)?;
            }
            let report = Report::default();
            let options = senda::BuildOptions {
                drafts,
                ..Default::default()
            };
            let out = root.join(out);
            let result = senda::build_to(&config, &options, &report, &out);
            print_warnings(&report);
            let (site, written) = result?;
            println!(
                "{}",
                senda::summary(
                    &site,
                    written,
                    &out,
                    started.elapsed(),
                    report.warnings().len()
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            port,
            interface,
            open,
        } => senda::serve::run(&root, &interface, port, open),
        Command::Check { format, strict } => senda::translate::check(&root, format, strict),
        Command::Status { lang, format } => {
            senda::translate::status(&root, lang.as_deref(), format)
        }
        Command::Translate {
            path,
            to,
            mark_current,
        } => senda::translate::translate(&root, &path, &to, mark_current),
        Command::Init { dir, languages } => senda::init::run(&dir, &languages),
        Command::Import {
            from: ImportFrom::Zola { dir },
        } => {
            let dir = dir.map_or(root, |dir| dir);
            let imported = senda::import::zola(&dir)?;
            println!("Wrote {}", dir.join("site.toml").display());
            if !imported.not_carried.is_empty() {
                println!("\nWhat senda does not carry over, and what to do:");
                for line in &imported.not_carried {
                    println!("  - {line}");
                }
            }
            println!("\nNext: senda build (config.toml and content/ are unchanged)");
            println!(
                "Broken links and pictures without a description are warnings for now ([checks] in site.toml): `senda check` lists them to fix"
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_warnings(report: &Report) {
    for warning in report.warnings() {
        eprintln!("warning: {warning}");
    }
}
