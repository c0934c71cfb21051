//! The command line. The doc comments are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// senda builds multilingual, low-bandwidth guides: Markdown and fact files in, a small static
/// site out, ready for any free static host.
#[derive(Debug, Parser)]
#[command(name = "senda", version)]
pub struct Cli {
    /// The site folder (the one holding site.toml).
    #[arg(long, short = 'C', global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --out DIR). Writes nothing if there is an error.
    Build {
        /// Output folder, relative to the site folder.
        #[arg(long, short, default_value = "public")]
        out: PathBuf,
        /// Public URL of the site, instead of base_url in site.toml
        /// (e.g. https://user.github.io/repo/).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
}
