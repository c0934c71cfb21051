//! The `senda` binary: parse the command line, run, print problems, return the exit code.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use senda::cli::{Cli, Command};
use senda::config::Config;
use senda::diag::Report;

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
    match cli.command {
        Command::Build {
            out,
            base_url,
            drafts,
        } => {
            let started = Instant::now();
            let mut config = Config::load(&cli.root)?;
            if let Some(url) = base_url {
                config = config.with_base_url(&url)?;
            }
            let report = Report::default();
            let options = senda::BuildOptions {
                drafts,
                ..Default::default()
            };
            let result = senda::build(&config, &options, &report);
            print_warnings(&report);
            let site = result?;
            let out = cli.root.join(out);
            let written = senda::output::write(&site, &out)?;
            let pages: Vec<String> = site
                .pages
                .iter()
                .map(|(lang, n)| format!("{lang} {n}"))
                .collect();
            let warnings = report.warnings().len();
            println!(
                "Built {} pages ({}), {written} files in {}, {:.2} s{}",
                site.pages.values().sum::<usize>(),
                pages.join(", "),
                out.display(),
                started.elapsed().as_secs_f64(),
                if warnings > 0 {
                    format!(
                        ", {warnings} warning{}",
                        if warnings == 1 { "" } else { "s" }
                    )
                } else {
                    String::new()
                }
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
