//! `senda check --format github` (issue 18): one GitHub workflow command per problem, with
//! the file from the repository's root, the line and the message, and a Markdown job summary
//! of the translations. On a copy of `tests/fixtures/translate/site` with a broken anchor.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// A copy of the translate fixture in `<tmp>/guide`, with a link to a missing anchor on the
/// last line of `content/guide/apply.md`; returns the folder and that line's number.
fn broken_site() -> (TempDir, usize) {
    let tmp = TempDir::new().expect("temporary folder");
    common::copy_dir(
        &common::fixture("translate/site"),
        &tmp.path().join("guide"),
    );
    let apply = tmp.path().join("guide/content/guide/apply.md");
    let text = std::fs::read_to_string(&apply).expect("read apply.md");
    let text = format!("{text}\nBack to [the start](#nowhere).\n");
    std::fs::write(&apply, &text).expect("write apply.md");
    (tmp, text.lines().count())
}

/// `senda -C guide ARGS` run from `tmp`, as a workflow runs it from the repository's root.
fn senda(tmp: &Path, args: &[&str], summary: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_senda"));
    command.current_dir(tmp).args(["-C", "guide"]).args(args);
    match summary {
        Some(path) => command.env("GITHUB_STEP_SUMMARY", path),
        None => command.env_remove("GITHUB_STEP_SUMMARY"),
    };
    command.output().expect("run senda")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn each_problem_is_a_workflow_command_on_its_line() {
    let (tmp, line) = broken_site();
    let summary = tmp.path().join("summary.md");
    let o = senda(tmp.path(), &["check", "--format", "github"], Some(&summary));
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");

    // The same problem as --format json reports it, in GitHub's exact shape: properties
    // after the command name, the help on a second line of the message, escaped as %0A.
    let json = senda(tmp.path(), &["check", "--format", "json"], None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    let error = &json["errors"][0];
    assert_eq!(error["file"], "content/guide/apply.md");
    let (message, help) = (
        error["message"].as_str().expect("a message"),
        error["help"].as_str().expect("a help"),
    );
    assert!(message.contains("#nowhere"), "{message}");
    let expected =
        format!("::error file=guide/content/guide/apply.md,line={line}::{message}%0Ahelp: {help}");
    assert_eq!(out.lines().next(), Some(expected.as_str()), "{out}");

    // Warnings: a stale fact at its line; a missing translation concerns the whole file.
    assert!(
        out.lines().any(|l| l.starts_with(
            "::warning file=guide/content/facts/old.toml,line=3::the fact `old.claims`"
        )),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with(
            "::warning file=guide/content/guide/extra.md::no Español (es) translation yet"
        )),
        "{out}"
    );
    // A generated page is no file of the repository: named in the message, not as the file.
    assert!(
        out.lines().any(|l| l.starts_with(
            "::error::guide/en/whole-guide/index.html: the anchor `#p-guide-apply--nowhere`"
        )),
        "{out}"
    );
    // Nothing but workflow commands on stdout: the summary went to its file.
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");

    let summary = std::fs::read_to_string(&summary).expect("the job summary");
    assert!(
        summary.starts_with("## senda check\n\n**Failed**: "),
        "{summary}"
    );
    assert!(
        summary.contains("| error | content/guide/apply.md |"),
        "{summary}"
    );
    assert!(summary.contains("| Español (es) | "), "{summary}");
    assert!(
        summary.contains(
            "- `content/guide/extra.es.md`: to start: `senda translate content/guide/extra.md --to es`"
        ),
        "{summary}"
    );
}

#[test]
fn strict_makes_warnings_errors_and_the_summary_prints_without_github() {
    let (tmp, _) = broken_site();
    let o = senda(
        tmp.path(),
        &["check", "--format", "github", "--strict"],
        None,
    );
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(!out.contains("::warning"), "{out}");
    assert!(
        out.contains("::error file=guide/content/guide/extra.md::no Español (es) translation yet"),
        "{out}"
    );
    assert!(out.contains("\n## senda check\n\n**Failed**: "), "{out}");
    assert!(out.contains("\n## Translations\n"), "{out}");
}
