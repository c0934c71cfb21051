//! `senda init`: writes a small, working guide into a new folder, in the languages asked for.
//!
//! The guide has one page of each kind (home, section, article, glossary entry, circumstance)
//! and one fact file, so a new editor sees every feature once and can copy from it. Texts are
//! written in English, Spanish and French; any other language gets the default language's text
//! as a draft translation, and interface strings to translate when senda has none for it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::diag::Report;

/// Creates a guide in `dir`, which must be empty or not exist. `languages` are codes, the
/// default language first.
pub fn run(dir: &Path, languages: &[String]) -> Result<ExitCode> {
    let langs = resolve_languages(languages)?;
    check_folder(dir)?;
    let today = jiff::ZonedDateTime::now().date();
    let mut files = site_files(&langs, today);

    // The site must load as senda will load it; this also tells which languages have
    // interface strings built in.
    let site_toml = files
        .get(Path::new("site.toml"))
        .context("site.toml was not generated")?;
    let config = Config::parse(dir, site_toml)
        .context("the generated site.toml does not load (this is a bug in senda init)")?;
    let theme = crate::theme::load(&config)?;
    let mut warnings = interface_strings(&langs, &theme, &mut files)?;
    warnings.extend(page_warnings(&langs));

    write_all(dir, &files)?;
    stamp_translations(&config)?;

    print_summary(dir, &langs, files.len(), &warnings);
    Ok(ExitCode::SUCCESS)
}

/// Adds to `files` an `i18n/<code>.ftl` to translate for each language senda has no interface
/// strings for (a copy of the default language's, or English); returns what to tell the user,
/// with a language whose name senda does not know.
fn interface_strings(
    langs: &[Lang],
    theme: &crate::theme::Theme,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<Vec<String>> {
    let default = &langs[0];
    // The strings to copy: the default language's if senda has them, else English.
    let model = [format!("{}.ftl", default.code), "en.ftl".to_string()]
        .into_iter()
        .find_map(|name| theme.strings.get(&name).map(|f| (name, f)));
    let mut warnings = Vec::new();
    for lang in langs {
        if !lang.known {
            warnings.push(format!(
                "senda does not know the name of the language `{0}`, so site.toml calls it \"{0}\": \
                 write its name, in that language, as `name` under [languages.{0}]",
                lang.code
            ));
        }
        if theme.strings.contains_key(&format!("{}.ftl", lang.code)) {
            continue;
        }
        let Some((model_name, model_file)) = &model else {
            bail!("senda has no interface strings to copy (this is a bug in senda init)");
        };
        let text = String::from_utf8_lossy(&model_file.bytes);
        files.insert(
            PathBuf::from("i18n").join(format!("{}.ftl", lang.code)),
            format!(
                "### TRANSLATE THIS FILE into {name} ({code}).\n\
                 ### senda has no interface strings for {name} yet, so this is a copy of\n\
                 ### i18n/{model_name}. Translate the text after each `=` (keep the key before it,\n\
                 ### and keep {{ $name }} placeholders as they are), then delete these lines.\n\n{text}",
                name = lang.name,
                code = lang.code,
            ),
        );
        warnings.push(format!(
            "senda has no interface strings (menus, notices) for {} (`{}`): i18n/{}.ftl is a copy \
             of i18n/{model_name} and must be translated",
            lang.name, lang.code, lang.code
        ));
    }
    Ok(warnings)
}

/// What to tell the user of languages senda has no example pages in.
fn page_warnings(langs: &[Lang]) -> Vec<String> {
    let default = &langs[0];
    let mut warnings = Vec::new();
    for lang in langs.iter().filter(|l| texts(&l.code).is_none()) {
        if lang.code == default.code {
            warnings.push(format!(
                "the pages in {} (`{}`) are in English: senda has no example text in that \
                 language, so translate them",
                lang.name, lang.code
            ));
        } else {
            warnings.push(format!(
                "the pages in {} (`{}`) are drafts with the {} text: translate them, then \
                 remove `draft = true` from each",
                lang.name,
                lang.code,
                if texts(&default.code).is_some() {
                    default.name.as_str()
                } else {
                    "English"
                }
            ));
        }
    }
    warnings
}

/// Tells the user what was made, the warnings, and what to do next.
fn print_summary(dir: &Path, langs: &[Lang], files: usize, warnings: &[String]) {
    let names: Vec<String> = langs
        .iter()
        .map(|l| format!("{} ({})", l.name, l.code))
        .collect();
    println!(
        "Created a new guide in `{}`, in {}: {} files.",
        dir.display(),
        names.join(", "),
        files
    );
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "\nNext steps:\n\
         \x20 cd {dir} && senda serve\n\
         \x20     shows the guide at http://127.0.0.1:1111 and updates it as you edit;\n\
         \x20 senda build\n\
         \x20     writes the finished site into {dir}/public/.\n\
         Before you publish, write your site's address as base_url in site.toml.\n\
         The manuals for editors, translators and theme authors are in senda's docs/ folder.",
        dir = shell_word(dir)
    );
}

/// A language of the new site.
#[derive(Debug, Clone)]
struct Lang {
    code: String,
    /// Its name in itself; the code when senda does not know it.
    name: String,
    locale: Option<&'static str>,
    rtl: bool,
    /// Whether senda knows the name.
    known: bool,
}

/// Names (in the language itself), usual locales and direction of common languages.
const KNOWN: &[(&str, &str, Option<&str>, bool)] = &[
    ("am", "አማርኛ", None, false),
    ("ar", "العربية", None, true),
    ("bn", "বাংলা", None, false),
    ("de", "Deutsch", None, false),
    ("en", "English", Some("en-US"), false),
    ("es", "Español", Some("es-MX"), false),
    ("fa", "فارسی", None, true),
    ("fr", "Français", None, false),
    ("he", "עברית", None, true),
    ("hi", "हिन्दी", None, false),
    ("ht", "Kreyòl ayisyen", Some("fr-HT"), false),
    ("it", "Italiano", None, false),
    ("ps", "پښتو", None, true),
    ("pt", "Português", None, false),
    ("ru", "Русский", None, false),
    ("so", "Soomaali", None, false),
    ("sw", "Kiswahili", None, false),
    ("ti", "ትግርኛ", None, false),
    ("tr", "Türkçe", None, false),
    ("uk", "Українська", None, false),
    ("ur", "اردو", None, true),
    ("vi", "Tiếng Việt", None, false),
    ("zh", "中文", None, false),
];

fn resolve_languages(codes: &[String]) -> Result<Vec<Lang>> {
    let mut langs: Vec<Lang> = Vec::new();
    for raw in codes {
        let code = raw.trim().to_lowercase();
        if code.is_empty() {
            continue;
        }
        if !crate::config::is_language_code(&code) {
            bail!(
                "`{raw}` is not a language code: write 2 or 3 letters, optionally with a region \
                 (en, es, ht, pt-br), separated by commas: --languages en,es"
            );
        }
        if langs.iter().any(|l| l.code == code) {
            bail!("`{code}` is listed twice in --languages: list each language once");
        }
        let primary = code.split('-').next().unwrap_or_default();
        let known = KNOWN.iter().find(|(c, ..)| *c == primary);
        langs.push(Lang {
            name: known.map_or_else(|| code.clone(), |k| k.1.to_string()),
            locale: known.and_then(|k| k.2).filter(|_| primary == code),
            rtl: known.is_some_and(|k| k.3),
            known: known.is_some(),
            code,
        });
    }
    if langs.is_empty() {
        bail!("no language given: write at least one, the default first: --languages en,es");
    }
    Ok(langs)
}

/// `dir` must not exist, or be an empty folder: init never overwrites anything.
fn check_folder(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "`{}` is not empty: senda init only writes into a new or empty folder, so \
                     that nothing of yours is overwritten. Choose a new folder name, for \
                     example: senda init my-guide",
                    dir.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() => bail!(
            "`{}` exists and is not a folder senda can read: choose a new folder name",
            dir.display()
        ),
        Err(e) => Err(e).with_context(|| format!("cannot read folder `{}`", dir.display())),
    }
}

fn write_all(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<()> {
    crate::fsx::create_dir_all(dir)?;
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::fsx::create_dir_all(parent)?;
        }
        crate::fsx::write(&path, text.as_bytes())?;
    }
    Ok(())
}

/// Records in each translation the version of its source it was written from, as
/// `senda translate` does, so that `senda status` knows they are current.
fn stamp_translations(config: &Config) -> Result<()> {
    let report = Report::default();
    let content = crate::content::load(
        config,
        crate::content::LoadOptions { drafts: true },
        &report,
    )?;
    let default = &config.default_language().code;
    for page in content.pages.iter().filter(|p| &p.lang != default) {
        let Some(source) = content.get(&page.key, default) else {
            continue;
        };
        let hash = crate::content::source_hash(source);
        let Some(rest) = page.source.strip_prefix("+++\n") else {
            continue;
        };
        let text = format!("+++\nsource_hash = \"{hash}\"\n{rest}");
        crate::fsx::write(&config.root.join(&page.file), text.as_bytes())?;
    }
    Ok(())
}

/// `dir` as a word a shell reads back as it is.
fn shell_word(dir: &Path) -> String {
    let s = dir.display().to_string();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The example texts of the new guide in one language.
struct Texts {
    site_title: &'static str,
    site_description: &'static str,
    home_body: &'static str,
    guide: Section,
    article: Section,
    glossary: Section,
    term: Section,
    term_alias: &'static str,
    situations: Section,
    circumstance: Section,
    recommendation: &'static str,
    steps: [&'static str; 3],
    days_label: &'static str,
    since_label: &'static str,
    /// The three lines of the printable flyer: what the guide covers.
    flyer: [&'static str; 3],
}

/// Title, description, slug (empty: the file name) and body of one page.
struct Section {
    title: &'static str,
    description: &'static str,
    slug: &'static str,
    body: &'static str,
}

/// The example texts in `code`, for the languages senda can write them in.
fn texts(code: &str) -> Option<Texts> {
    match code {
        "en" => Some(english()),
        "es" => Some(spanish()),
        "fr" => Some(french()),
        _ => None,
    }
}

/// The example texts in Spanish (Mexican usage, as the bundled guide).
fn spanish() -> Texts {
    Texts {
        site_title: "Guía para personas migrantes",
        site_description: "Datos claros, en su idioma, sobre lo que puede hacer ahora.",
        home_body: "Esta es la página de inicio de su nueva guía. Cambie este texto por unas pocas frases sencillas: para quién es la guía y en qué le ayuda.\n\n\
                **Esto es información, no asesoría legal.**\n\n\
                - [Sus primeros días](@/guide/first-days.md): qué hacer primero.\n\
                - [Palabras que conviene saber](@/glossary/_index.md): las palabras difíciles, dichas de forma sencilla.\n",
        guide: Section {
            title: "Guía",
            description: "Artículos cortos; cada uno responde una pregunta.",
            slug: "guia",
            body: "Cada artículo responde una pregunta. Empiece por el que necesita.\n",
        },
        article: Section {
            title: "Sus primeros días",
            description: "Qué hacer en sus primeros días, paso a paso.",
            slug: "primeros-dias",
            body: "Este es un artículo de ejemplo. Cámbielo por su propio texto y escriba frases cortas.\n\n\
                    ## ¿Cuánto tiempo tengo para pedir asilo?\n\n\
                    Tiene {{ fact rules.days_to_apply }} días después de llegar para pedir asilo. Estas reglas se aplican desde el {{ fact rules.rules_since }}.\n\n\
                    ## ¿Qué hago primero?\n\n\
                    1. Tenga todos sus papeles juntos.\n\
                    2. Pida asilo en la oficina más cercana.\n\
                    3. Lea [qué aplica si acaba de llegar](@/situations/new-arrivals.md).\n",
        },
        glossary: Section {
            title: "Palabras que conviene saber",
            description: "Qué quieren decir las palabras que usa esta guía.",
            slug: "glosario",
            body: "Estas son las palabras más difíciles de esta guía, dichas de forma sencilla. En las páginas, una palabra que está aquí lleva a su significado.\n",
        },
        term: Section {
            title: "Asilo",
            description: "Protección que un país da a una persona que no está segura en su propio país.",
            slug: "asilo",
            body: "Usted pide asilo en el país donde está. Si le dicen que sí, puede quedarse y trabajar ahí.\n",
        },
        term_alias: "protección internacional",
        situations: Section {
            title: "Su situación",
            description: "Una página para cada situación, con lo que aplica a usted.",
            slug: "situaciones",
            body: "Elija la página que mejor le queda.\n",
        },
        circumstance: Section {
            title: "Acaba de llegar",
            description: "Usted lleva pocas semanas en el país.",
            slug: "recien-llegados",
            body: "Si llegó hace poco, lo más importante es el plazo. Lea los pasos de abajo.\n",
        },
        recommendation: "Pida asilo pronto. Hay un plazo.",
        steps: [
            "Busque la oficina más cercana que recibe solicitudes de asilo.",
            "Lleve todos los papeles que tenga.",
            "Anote la fecha de su cita.",
        ],
        days_label: "Días que tiene para pedir asilo después de llegar",
        since_label: "Fecha en que empezaron las reglas actuales",
        flyer: [
            "Qué hacer en sus primeros días.",
            "Cuánto tiempo tiene para pedir asilo.",
            "Las palabras difíciles, dichas de forma sencilla.",
        ],
    }
}

/// The example texts in French.
fn french() -> Texts {
    Texts {
        site_title: "Un guide pour les personnes migrantes",
        site_description: "Des informations claires, dans votre langue, sur ce que vous pouvez faire maintenant.",
        home_body: "Voici la page d’accueil de votre nouveau guide. Remplacez ce texte par quelques phrases simples : à qui s’adresse le guide et en quoi il aide.\n\n\
                **Ceci est une information, pas un conseil juridique.**\n\n\
                - [Vos premiers jours](@/guide/first-days.md) : ce qu’il faut faire d’abord.\n\
                - [Les mots à connaître](@/glossary/_index.md) : les mots difficiles, expliqués simplement.\n",
        guide: Section {
            title: "Guide",
            description: "Des articles courts, une question chacun.",
            slug: "",
            body: "Chaque article répond à une question. Commencez par celui dont vous avez besoin.\n",
        },
        article: Section {
            title: "Vos premiers jours",
            description: "Ce qu’il faut faire pendant vos premiers jours, étape par étape.",
            slug: "premiers-jours",
            body: "Ceci est un article d’exemple. Remplacez-le par votre propre texte, avec des phrases courtes.\n\n\
                    ## Combien de temps ai-je pour demander l’asile ?\n\n\
                    Vous avez {{ fact rules.days_to_apply }} jours après votre arrivée pour demander l’asile. Ces règles s’appliquent depuis le {{ fact rules.rules_since }}.\n\n\
                    ## Que dois-je faire d’abord ?\n\n\
                    1. Gardez tous vos papiers ensemble.\n\
                    2. Demandez l’asile au bureau le plus proche.\n\
                    3. Lisez [ce qui s’applique si vous venez d’arriver](@/situations/new-arrivals.md).\n",
        },
        glossary: Section {
            title: "Les mots à connaître",
            description: "Le sens des mots que ce guide utilise.",
            slug: "glossaire",
            body: "Voici les mots les plus difficiles de ce guide, expliqués simplement. Dans les pages, un mot qui se trouve ici renvoie à son explication.\n",
        },
        term: Section {
            title: "Asile",
            description: "Protection qu’un pays accorde à une personne qui n’est pas en sécurité dans son propre pays.",
            slug: "asile",
            body: "Vous demandez l’asile dans le pays où vous êtes. Si la réponse est oui, vous pouvez y rester et y travailler.\n",
        },
        term_alias: "protection internationale",
        situations: Section {
            title: "Votre situation",
            description: "Une page pour chaque situation, avec ce qui vous concerne.",
            slug: "",
            body: "Choisissez la page qui vous correspond le mieux.\n",
        },
        circumstance: Section {
            title: "Vous venez d’arriver",
            description: "Vous êtes dans le pays depuis quelques semaines au plus.",
            slug: "nouveaux-arrivants",
            body: "Si vous venez d’arriver, le plus important est le délai. Lisez les étapes ci-dessous.\n",
        },
        recommendation: "Demandez l’asile rapidement. Il y a un délai.",
        steps: [
            "Trouvez le bureau le plus proche qui reçoit les demandes d’asile.",
            "Apportez tous les papiers que vous avez.",
            "Notez la date de votre rendez-vous.",
        ],
        days_label: "Nombre de jours pour demander l’asile après votre arrivée",
        since_label: "Date d’entrée en vigueur des règles actuelles",
        flyer: [
            "Que faire pendant vos premiers jours.",
            "Combien de temps vous avez pour demander l’asile.",
            "Les mots difficiles, expliqués simplement.",
        ],
    }
}

/// The example texts in English: the default language's when senda cannot write them in it.
fn english() -> Texts {
    Texts {
        site_title: "A guide for people on the move",
        site_description: "Plain facts, in your language, about what you can do next.",
        home_body: "This is the home page of your new guide. Replace this text with a few plain sentences: who the guide is for, and what it helps them do.\n\n\
                **This is information, not legal advice.**\n\n\
                - [Your first days](@/guide/first-days.md): what to do first.\n\
                - [Words to know](@/glossary/_index.md): the harder words, in plain words.\n",
        guide: Section {
            title: "Guide",
            description: "Short articles, one question each.",
            slug: "",
            body: "Each article answers one question. Start with the one you need.\n",
        },
        article: Section {
            title: "Your first days",
            description: "What to do in your first days, step by step.",
            slug: "",
            body: "This is an example article. Replace it with your own text, and keep each sentence short.\n\n\
                    ## How long do I have to apply?\n\n\
                    You have {{ fact rules.days_to_apply }} days after you arrive to ask for asylum. These rules have applied since {{ fact rules.rules_since }}.\n\n\
                    ## What do I do first?\n\n\
                    1. Keep all your papers together.\n\
                    2. Ask for asylum at the nearest office.\n\
                    3. Read [what applies if you just arrived](@/situations/new-arrivals.md).\n",
        },
        glossary: Section {
            title: "Words to know",
            description: "Short meanings of the words this guide uses.",
            slug: "",
            body: "These are the harder words of this guide, in plain words. In the pages, a word that is here links to its meaning.\n",
        },
        term: Section {
            title: "Asylum",
            description: "Protection that a country gives to a person who is not safe in their own country.",
            slug: "",
            body: "You ask for asylum in the country where you are. If the answer is yes, you can stay and work there.\n",
        },
        term_alias: "international protection",
        situations: Section {
            title: "Your situation",
            description: "One page for each situation, with what applies to you.",
            slug: "",
            body: "Pick the page that fits you best.\n",
        },
        circumstance: Section {
            title: "You just arrived",
            description: "You have been in the country for a few weeks at most.",
            slug: "",
            body: "If you arrived recently, the time limit matters most. Read the steps below.\n",
        },
        recommendation: "Ask for asylum soon. There is a time limit.",
        steps: [
            "Find the nearest office that takes asylum claims.",
            "Bring every paper you have.",
            "Write down the date of your appointment.",
        ],
        days_label: "Days you have to ask for asylum after you arrive",
        since_label: "Date the current rules started",
        flyer: [
            "What to do in your first days.",
            "How long you have to ask for asylum.",
            "The harder words, in plain words.",
        ],
    }
}

/// The example pages of one language: `suffix` is `.es` for a translation, `draft` marks
/// pages that still hold another language's text.
fn language_pages(
    lang: &Lang,
    t: &Texts,
    draft: bool,
    suffix: &str,
    today: jiff::civil::Date,
) -> [(PathBuf, String); 7] {
    let page = |path: &str, front: String, body: &str| {
        let mut text = String::from("+++\n");
        if draft {
            text.push_str("draft = true\n");
        }
        text.push_str(&front);
        text.push_str("+++\n");
        if draft {
            let _ = writeln!(
                text,
                "<!-- Translate this page into {}, then remove `draft = true` above. -->\n",
                lang.name
            );
        }
        text.push_str(body);
        (PathBuf::from(format!("content/{path}{suffix}.md")), text)
    };
    let simple = |s: &Section, extra: &str| {
        let mut front = format!(
            "title = {}\ndescription = {}\n",
            q(s.title),
            q(s.description)
        );
        if !s.slug.is_empty() && !draft {
            let _ = writeln!(front, "slug = {}", q(s.slug));
        }
        front.push_str(extra);
        front
    };
    let reviewed = format!("reviewed = {today}\n");
    [
        page(
            "_index",
            format!(
                "title = {}\ndescription = {}\n\n[extra]\n\
                 # The three lines of the printable flyer page: what the guide covers.\n\
                 flyer = [\n{}]\n",
                q(t.site_title),
                q(t.site_description),
                t.flyer
                    .iter()
                    .map(|l| format!("  {},\n", q(l)))
                    .collect::<String>()
            ),
            t.home_body,
        ),
        page("guide/_index", simple(&t.guide, ""), t.guide.body),
        page(
            "guide/first-days",
            simple(
                &t.article,
                &format!("weight = 1\n{reviewed}circumstances = [\"new-arrivals\"]\n"),
            ),
            t.article.body,
        ),
        page("glossary/_index", simple(&t.glossary, ""), t.glossary.body),
        page(
            "glossary/asylum",
            simple(&t.term, &format!("term_aliases = [{}]\n", q(t.term_alias))),
            t.term.body,
        ),
        page(
            "situations/_index",
            simple(&t.situations, ""),
            t.situations.body,
        ),
        page(
            "situations/new-arrivals",
            simple(
                &t.circumstance,
                &format!(
                    "weight = 1\n{reviewed}[circumstance]\nrecommendation = {}\n\
                     facts = [\"rules.days_to_apply\"]\nsteps = [\n{}]\n\
                     articles = [\"@/guide/first-days.md\"]\n",
                    q(t.recommendation),
                    t.steps
                        .iter()
                        .map(|s| format!("  {},\n", q(s)))
                        .collect::<String>()
                ),
            ),
            t.circumstance.body,
        ),
    ]
}

/// Every file of the new site, by path relative to it.
fn site_files(langs: &[Lang], today: jiff::civil::Date) -> BTreeMap<PathBuf, String> {
    let default = &langs[0];
    // A language without example texts gets the default language's, or English ones.
    let per_lang: Vec<(&Lang, Texts, bool)> = langs
        .iter()
        .map(|l| match texts(&l.code) {
            Some(t) => (l, t, false),
            None => (
                l,
                texts(&default.code).unwrap_or_else(english),
                l.code != default.code,
            ),
        })
        .collect();

    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("site.toml"), site_toml(&per_lang));
    // The picture cache (crate::images) is rebuilt by any build: never worth committing.
    files.insert(
        PathBuf::from(".gitignore"),
        "public/\n.senda-cache/\n".to_string(),
    );
    files.insert(
        PathBuf::from("content/facts/rules.toml"),
        fact_file(&per_lang, today),
    );
    for (i, (lang, t, draft)) in per_lang.iter().enumerate() {
        let suffix = if i == 0 {
            String::new()
        } else {
            format!(".{}", lang.code)
        };
        files.extend(language_pages(lang, t, *draft, &suffix, today));
    }
    files
}

fn site_toml(per_lang: &[(&Lang, Texts, bool)]) -> String {
    let (default, default_texts, _) = &per_lang[0];
    let mut s = format!(
        "# The site's settings. The manuals (docs/ in senda's repository) explain every key.\n\
         title = {}\n\
         description = {}\n\
         base_url = \"https://example.org/\"  # write your site's address here before you publish\n\
         default_language = {}\n\
         languages_in_subdirs = true  # every language under its own prefix (/{}/); the root lets the reader choose\n",
        q(default_texts.site_title),
        q(default_texts.site_description),
        q(&default.code),
        default.code,
    );
    for (i, (lang, t, draft)) in per_lang.iter().enumerate() {
        let _ = write!(s, "\n[languages.{}]\nname = {}\n", lang.code, q(&lang.name));
        if let Some(locale) = lang.locale {
            let _ = writeln!(
                s,
                "locale = {}  # how numbers and dates are written",
                q(locale)
            );
        }
        if lang.rtl {
            s.push_str("direction = \"rtl\"\n");
        }
        if i > 0 && !draft {
            let _ = writeln!(
                s,
                "title = {}\ndescription = {}",
                q(t.site_title),
                q(t.site_description)
            );
        }
    }
    s.push_str("\n[facts]\nreview_days = 180  # facts older than this are reported\n");
    s
}

fn fact_file(per_lang: &[(&Lang, Texts, bool)], today: jiff::civil::Date) -> String {
    let labels = |pick: fn(&Texts) -> &'static str| {
        let items: Vec<String> = per_lang
            .iter()
            .map(|(lang, t, _)| format!("{} = {}", lang.code, q(pick(t))))
            .collect();
        format!("{{ {} }}", items.join(", "))
    };
    format!(
        "# Facts: each value written once, with its date and source, and used by every language.\n\
         # In a page: {{{{ fact rules.days_to_apply }}}} (this file's name, a dot, the fact's name).\n\
         # Replace these examples with real facts, and `source` and `source_url` with where they come from.\n\n\
         [days_to_apply]\n\
         value = 30\n\
         as_of = {today}\n\
         source = \"Example source: replace with the office that states this\"\n\
         source_url = \"https://example.org/\"\n\
         label = {}\n\n\
         [rules_since]\n\
         value = {today}\n\
         as_of = {today}\n\
         source = \"Example source: replace with the office that states this\"\n\
         source_url = \"https://example.org/\"\n\
         label = {}\n",
        labels(|t| t.days_label),
        labels(|t| t.since_label),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_checked() {
        let codes = |s: &[&str]| s.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let langs = resolve_languages(&codes(&["EN", " es", "ar", "xx"])).expect("valid codes");
        assert_eq!(langs[0].code, "en");
        assert_eq!(langs[1].name, "Español");
        assert!(langs[2].rtl);
        assert!(!langs[3].known);
        assert_eq!(langs[3].name, "xx");
        assert!(resolve_languages(&codes(&["en", "en"])).is_err());
        assert!(resolve_languages(&codes(&["english"])).is_err());
        assert!(resolve_languages(&codes(&[])).is_err());
    }
}
