//! Translators' commands: `status`, `translate`, `check`. (Being written: see issue 6.)

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Format;

/// `senda check`.
pub fn check(_root: &Path, _format: Format, _strict: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("senda check is not available in this version yet")
}

/// `senda status`.
pub fn status(_root: &Path, _lang: Option<&str>, _format: Format) -> anyhow::Result<ExitCode> {
    anyhow::bail!("senda status is not available in this version yet")
}

/// `senda translate`.
pub fn translate(
    _root: &Path,
    _path: &Path,
    _to: &str,
    _mark_current: bool,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("senda translate is not available in this version yet")
}
