//! `senda init`: a new, working guide. (Being written: see issue 9.)

use std::path::Path;
use std::process::ExitCode;

/// Creates a guide in `dir`.
pub fn run(_dir: &Path, _languages: &[String]) -> anyhow::Result<ExitCode> {
    anyhow::bail!("senda init is not available in this version yet")
}
