//! Loading the corpus: embedded in the binary, or from a directory; checked on the way in.

use std::path::{Path, PathBuf};

use ecs_ramrole::conformance::Case;
use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};

/// The corpus this binary was built with, so `cargo install` users need no checkout.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/corpus");

/// A case with its response body, if it has one.
pub(crate) struct Loaded {
    pub(crate) case: Case,
    pub(crate) body: Option<Vec<u8>>,
}

/// Where the cases come from.
pub(crate) enum Source {
    Embedded,
    Directory(PathBuf),
}

/// Every case, sorted by ID, or the list of problems that make the corpus unusable
/// (an unparseable case, an ID that is not its path, a body whose SHA-256 differs).
pub(crate) fn load(source: &Source) -> Result<(String, Vec<Loaded>), Vec<String>> {
    let files = match source {
        Source::Embedded => embedded_files(),
        Source::Directory(dir) => directory_files(dir).map_err(|e| vec![e])?,
    };
    let version = files
        .iter()
        .find(|(path, _)| path == "VERSION")
        .map(|(_, data)| String::from_utf8_lossy(data).trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    let mut problems = Vec::new();
    let mut cases = Vec::new();
    for (path, data) in &files {
        let Some(id) = case_id(path) else { continue };
        let case = match Case::parse(data) {
            Ok(case) => case,
            Err(e) => {
                problems.push(format!("{path}: {e}"));
                continue;
            }
        };
        if case.id() != id {
            problems.push(format!(
                "{path}: id {:?} is not the file's path {id:?}",
                case.id()
            ));
        }
        let body = match case.body_file() {
            None => None,
            Some(name) => {
                let body_path = sibling(path, name);
                match files.iter().find(|(p, _)| *p == body_path) {
                    None => {
                        problems.push(format!("{path}: body file {body_path} is missing"));
                        None
                    }
                    Some((_, body)) => {
                        let want = case
                            .get("body_sha256")
                            .and_then(|v| v.as_str())
                            .unwrap_or("");
                        let have = hex(&Sha256::digest(body));
                        if want != have {
                            problems.push(format!(
                                "{path}: body_sha256 {want} does not match {body_path} ({have})"
                            ));
                        }
                        Some(body.clone())
                    }
                }
            }
        };
        cases.push(Loaded { case, body });
    }
    cases.sort_by(|a, b| a.case.id().cmp(b.case.id()));
    if cases.is_empty() {
        problems.push("the corpus holds no cases".into());
    }
    if problems.is_empty() {
        Ok((version, cases))
    } else {
        Err(problems)
    }
}

/// `request/…/x.json` is a case with ID `request/…/x`; index, schema and body files are not.
fn case_id(path: &str) -> Option<&str> {
    let id = path.strip_suffix(".json")?;
    let top = id.split('/').next()?;
    let file = id.rsplit('/').next()?;
    (ecs_ramrole::conformance::KINDS.contains(&top) && !file.contains(".body")).then_some(id)
}

fn sibling(path: &str, name: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_owned(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn embedded_files() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
        for file in dir.files() {
            out.push((
                file.path().to_string_lossy().replace('\\', "/"),
                file.contents().to_vec(),
            ));
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&EMBEDDED, &mut out);
    out
}

fn directory_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else {
                let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let relative = path.strip_prefix(root).unwrap_or(&path);
                out.push((relative.to_string_lossy().replace('\\', "/"), data));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    Ok(out)
}
