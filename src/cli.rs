//! The command line. The doc comments are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// senda builds multilingual, low-bandwidth guides: Markdown and fact files in, a small static
/// site out, ready for any free static host.
#[derive(Debug, Parser)]
#[command(
    name = "senda",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("SENDA_COMMIT"), ")")
)]
pub struct Cli {
    /// The site folder (the one holding site.toml).
    #[arg(long, short = 'C', global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format of `check` and `status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For CI and other programs.
    Json,
    /// For GitHub Actions: a workflow command per problem (shown on the line in a pull
    /// request) and a Markdown job summary.
    Github,
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
    /// Build, serve on http://127.0.0.1:1111, rebuild on every change and reload the browser.
    Serve {
        /// Port to listen on.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Only loopback unless you ask: other devices on your network
        /// can see the preview if you pass 0.0.0.0.
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Every check of `build`, plus links, anchors, stale facts and translations. Writes
    /// nothing. Exit code 1 on errors.
    Check {
        /// text, json or github.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Warnings count as errors too.
        #[arg(long)]
        strict: bool,
    },
    /// Translation coverage: per language, the pages that are missing, stale or drafts.
    Status {
        /// Only this language.
        #[arg(long)]
        lang: Option<String>,
        /// text, json or github (the Markdown job summary).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Start a translation: copies PATH beside itself as NAME.LANG.md, marked as a draft.
    Translate {
        /// The source page, e.g. content/guide/apply-in-mexico.md.
        path: PathBuf,
        /// Language code of the translation, e.g. es.
        #[arg(long)]
        to: String,
        /// The translation is reviewed against the current source: record its version.
        #[arg(long)]
        mark_current: bool,
    },
    /// Start from a site made for another generator: writes site.toml from its settings and
    /// leaves its files as they are.
    Import {
        /// Which generator.
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Create a new, working guide in DIR.
    Init {
        /// The folder to create (must be empty or not exist).
        dir: PathBuf,
        /// Languages, the default first.
        #[arg(long, default_value = "en,es", value_delimiter = ',')]
        languages: Vec<String>,
    },
}

/// Generators `senda import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A Zola site: writes site.toml from config.toml (kept, as is content/) and prints what
    /// senda cannot carry over.
    Zola {
        /// The Zola site's folder (the one holding config.toml); the site folder when absent.
        dir: Option<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
