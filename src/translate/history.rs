//! How a source page changed since a translation was made: a short `git diff` from the commit
//! whose version of the file has the recorded hash, else the file's modification date.

use std::path::Path;
use std::process::Command;

use super::coverage::Change;
use crate::config::Config;

/// Lines of diff shown at most; the rest is counted.
const MAX_DIFF_LINES: usize = 20;
/// Commits of the file's history looked at, newest first.
const MAX_COMMITS: usize = 200;

/// How `file` (relative to the site folder) changed since its version hashed `recorded`.
pub(super) fn change(config: &Config, file: &Path, recorded: &str) -> Change {
    if let Some(change) = git_diff(config, file, recorded) {
        return change;
    }
    Change::Date {
        modified: modified(&config.root.join(file)),
    }
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn git_diff(config: &Config, file: &Path, recorded: &str) -> Option<Change> {
    let path = file.to_string_lossy().replace('\\', "/");
    let log = git(&config.root, &["log", "--format=%H", "--", &path])?;
    for commit in log.lines().take(MAX_COMMITS) {
        let Some(text) = git(&config.root, &["show", &format!("{commit}:./{path}")]) else {
            continue;
        };
        if crate::content::source_hash_of(file, &text).as_deref() != Some(recorded) {
            continue;
        }
        let diff = git(
            &config.root,
            &[
                "diff",
                "--no-color",
                "--no-ext-diff",
                "-U1",
                commit,
                "--",
                &path,
            ],
        )?;
        let lines: Vec<&str> = diff.lines().skip_while(|l| !l.starts_with("@@")).collect();
        let mut shown = lines
            .iter()
            .take(MAX_DIFF_LINES)
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        if lines.len() > MAX_DIFF_LINES {
            shown.push_str(&format!(
                "\n… {} more lines: git diff {} -- {path}",
                lines.len() - MAX_DIFF_LINES,
                &commit[..commit.len().min(10)]
            ));
        }
        let date = git(&config.root, &["show", "-s", "--format=%cs", commit])
            .map(|d| d.trim().to_string())
            .unwrap_or_default();
        return Some(Change::Diff {
            commit: commit.to_string(),
            date,
            diff: shown,
        });
    }
    None
}

/// The file's modification date, `YYYY-MM-DD`, or empty when the system does not say.
fn modified(path: &Path) -> String {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system())
                .date()
                .to_string()
        })
        .unwrap_or_default()
}
