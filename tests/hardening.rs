//! Hardening of the build (issue 15): nothing from outside the site folder is published,
//! translations without a partner are reported, a failed build leaves the old output as it was.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::{Build, copy_fixture, senda, snapshot, write};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_symlink_out_of_the_site_is_refused_with_the_file_named() {
    let outside = tempfile::TempDir::new().expect("temporary folder");
    write(
        outside.path(),
        "secret.md",
        "+++\ntitle = \"secret\"\n+++\nTOP SECRET\n",
    );
    write(outside.path(), "key.txt", "TOP SECRET");
    for (link, target) in [
        ("content/guide/leak.md", "secret.md"),
        ("content/guide/key.txt", "key.txt"),
        ("themes/default/static/key.txt", "key.txt"),
        ("i18n/key.ftl", "key.txt"),
    ] {
        let site = copy_fixture("basic");
        let path = site.path().join(link);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
        symlink(outside.path().join(target), &path).expect("symlink");
        let b = Build::run(site, &[]);
        assert_eq!(b.code, Some(1), "{link}: {}", b.stderr);
        assert!(
            b.stderr
                .contains(&format!("`{link}` is a symbolic link to")),
            "{}",
            b.stderr
        );
        assert!(b.stderr.contains("outside the site folder"), "{}", b.stderr);
        assert!(
            b.stderr.contains("copy the file into the site"),
            "{}",
            b.stderr
        );
        assert!(!b.out().exists(), "{link}: nothing is written");
    }

    // A whole folder linked from outside is refused too.
    let site = copy_fixture("basic");
    symlink(outside.path(), site.path().join("content/elsewhere")).expect("symlink");
    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(1), "{}", b.stderr);
    assert!(
        b.stderr.contains("`content/elsewhere` is a symbolic link"),
        "{}",
        b.stderr
    );
}

#[test]
fn symlinks_inside_the_site_keep_working() {
    let site = copy_fixture("basic");
    write(
        site.path(),
        "shared/note.md",
        "+++\ntitle = \"Shared note\"\n+++\nShared text.\n",
    );
    symlink(
        "../../shared/note.md",
        site.path().join("content/guide/note.md"),
    )
    .expect("symlink");
    write(
        site.path(),
        "shared/box/other.md",
        "+++\ntitle = \"Other\"\n+++\nOther text.\n",
    );
    symlink("../../shared/box", site.path().join("content/guide/box")).expect("symlink");
    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(b.page("en/guide/note/index.html").contains("Shared text."));
    assert!(
        b.page("en/guide/box/other/index.html")
            .contains("Other text.")
    );
}

#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let site = copy_fixture("basic");
    symlink("..", site.path().join("content/guide/loop")).expect("symlink");
    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(1), "{}", b.stderr);
    assert!(b.stderr.contains("content/guide/loop"), "{}", b.stderr);
}

#[test]
fn orphan_translations_and_untranslated_pages_are_reported() {
    let site = copy_fixture("basic");
    write(
        site.path(),
        "content/guide/gone.es.md",
        "+++\ntitle = \"Huérfana\"\n+++\nTexto.\n",
    );
    let o = senda(site.path(), &["check", "--strict"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("content/guide/gone.es.md: this translation has no original: `content/guide/gone.md` does not exist"),
        "{out}"
    );

    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(
        b.stderr
            .contains("warning: content/guide/gone.es.md: this translation has no original"),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr.contains(
            "warning: content: 1 page has no Español (es) translation, readers of the Español site see them in English: content/guide/untranslated.md"
        ),
        "{}",
        b.stderr
    );
}

#[test]
fn a_site_whose_pages_are_all_translated_builds_without_those_warnings() {
    let site = copy_fixture("basic");
    write(
        site.path(),
        "content/guide/untranslated.es.md",
        "+++\ntitle = \"Traducida\"\n+++\nTexto.\n",
    );
    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(!b.stderr.contains("translation"), "{}", b.stderr);
}

#[test]
fn a_site_without_content_says_so_once() {
    let site = copy_fixture("basic");
    std::fs::remove_dir_all(site.path().join("content")).expect("remove");
    let o = senda(site.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(err.matches("content").count(), 1, "{err}");
    assert!(
        err.contains("this site has no `content` folder: create it"),
        "{err}"
    );
    assert!(!err.contains(&site.path().display().to_string()), "{err}");
}

/// Output checks need the path of the output folder.
fn build_into(site: &Path, out: &str) -> std::process::Output {
    senda(site, &["build", "--out", out])
}

/// Marks `path` immutable (`chattr +i`): the one kind of read-only that stops root too, and
/// tests run as root. `false` when the file system or the user cannot.
fn make_immutable(path: &Path, on: bool) -> bool {
    std::process::Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// No `.public.senda-*` folder beside the output.
fn leftovers(site: &Path) -> Vec<String> {
    std::fs::read_dir(site)
        .expect("read the site folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains("senda-"))
        .collect()
}

#[test]
fn an_output_path_that_is_a_file_fails_and_leaves_it_alone() {
    let site = copy_fixture("basic");
    write(site.path(), "public", "not a folder");
    let o = build_into(site.path(), "public");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(err.contains("--out"), "{err}");
    assert_eq!(
        std::fs::read_to_string(site.path().join("public")).expect("still a file"),
        "not a folder"
    );
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn an_output_that_cannot_be_removed_fails_and_stays_as_it_was() {
    let site = copy_fixture("basic");
    let o = build_into(site.path(), "public");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = site.path().join("public");
    let before = snapshot(&out);
    // A file of the site changes, so that a build that went through would be seen.
    write(
        site.path(),
        "content/guide/new.md",
        "+++\ntitle = \"New\"\n+++\nNew.\n",
    );
    for locked in [out.join("en/guide"), out.join("en/index.html")] {
        if !make_immutable(&locked, true) {
            eprintln!("skipped: chattr +i is not available here");
            return;
        }
        let o = build_into(site.path(), "public");
        make_immutable(&locked, false);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("cannot replace the output"), "{err}");
        assert!(err.contains("chattr -i"), "{err}");
        assert!(err.contains("nothing was changed"), "{err}");
        assert_eq!(snapshot(&out), before, "the old output is as it was");
        assert_eq!(leftovers(site.path()), Vec::<String>::new());
    }
    // Unlocked, the build goes through.
    let o = build_into(site.path(), "public");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_ne!(snapshot(&out), before);
}

#[test]
fn a_tiny_favicon_is_shipped_and_linked_from_every_page() {
    let b = Build::fixture("basic", &[]);
    let icon = std::fs::read(b.out().join("favicon.ico")).expect("favicon.ico");
    assert!(icon.len() < 1024, "{} bytes", icon.len());
    assert_eq!(&icon[..4], &[0, 0, 1, 0], "an ICO file");
    for file in b.html_files() {
        let page = b.page(&file);
        // The copies of the guide to pass on link no file at all (tests/pass_on.rs).
        if page.contains("<meta http-equiv=\"Content-Security-Policy\"") {
            continue;
        }
        assert!(
            page.contains(r#"<link rel="icon" href="/favicon.ico">"#),
            "{file}"
        );
    }
}
