//! `senda serve`: build, serve, watch, rebuild, reload. (Being written: see issue 5.)

use std::path::Path;
use std::process::ExitCode;

/// Runs the preview server until Ctrl-C.
pub fn run(_root: &Path, _interface: &str, _port: u16, _open: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("senda serve is not available in this version yet")
}
