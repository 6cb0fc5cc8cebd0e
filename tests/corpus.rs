//! The corpus, checked from Rust: every case passes against this library (one insta
//! `glob!` test, which fails on an empty glob), `index.json` matches the files, and the
//! corpus lint holds (schema, ID = path, prefix = outcome, SHA-256, unique IDs, twins
//! agree, every case asserts something).

// Tests read the corpus from disk; the purity lint is for the library.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ecs_ramrole::conformance::adapter;
use ecs_ramrole::conformance::{Case, Judgement, judge};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn is_case_file(path: &Path) -> bool {
    let rel = path.strip_prefix(corpus_dir()).unwrap();
    let top = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    ecs_ramrole::conformance::KINDS.contains(&top.as_str())
        && path.extension().is_some_and(|e| e == "json")
        && !path.to_string_lossy().contains(".body.")
}

fn id_of(path: &Path) -> String {
    let rel = path.strip_prefix(corpus_dir()).unwrap().with_extension("");
    rel.to_string_lossy().replace('\\', "/")
}

/// Every file under `corpus/`.
fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![corpus_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Every case file, by ID.
fn cases() -> BTreeMap<String, (PathBuf, Case)> {
    let mut out = BTreeMap::new();
    for path in files().into_iter().filter(|p| is_case_file(p)) {
        let case = Case::parse(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(out.insert(id_of(&path), (path, case)).is_none());
    }
    out
}

fn body(path: &Path, case: &Case) -> Option<Vec<u8>> {
    case.body_file()
        .map(|name| std::fs::read(path.parent().unwrap().join(name)).unwrap())
}

#[test]
fn every_case_passes_against_this_library() {
    insta::glob!(
        "../corpus",
        "{request,sign,response,incoming}/**/*.json",
        |path| {
            if !is_case_file(path) {
                return; // a .body.json sidecar
            }
            let case = Case::parse(&std::fs::read(path).unwrap()).unwrap();
            let envelope = case.envelope(body(path, &case).as_deref()).to_string();
            let verdict = adapter::handle(envelope.as_bytes())
                .unwrap_or_else(|e| panic!("{}: no verdict: {e}", case.id()));
            match judge(case.expect(), &verdict) {
                Judgement::Pass { .. } => {}
                other => panic!("{}: {other}\nverdict: {verdict}", case.id()),
            }
        }
    );
}

#[test]
fn index_matches_the_files() {
    let index: Value =
        serde_json::from_slice(&std::fs::read(corpus_dir().join("index.json")).unwrap()).unwrap();
    let version = std::fs::read_to_string(corpus_dir().join("VERSION")).unwrap();
    assert_eq!(index["corpus_version"], version.trim());
    let listed: Vec<&Value> = index["cases"].as_array().unwrap().iter().collect();
    let cases = cases();
    let ids: Vec<&str> = listed.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        cases.keys().map(String::as_str).collect::<Vec<_>>(),
        "index.json lists exactly the case files, sorted"
    );
    for entry in listed {
        let (_, case) = &cases[entry["id"].as_str().unwrap()];
        for key in ["kind", "operation", "level", "since", "tags"] {
            assert_eq!(entry.get(key), case.get(key), "{}: index {key}", case.id());
        }
        assert_eq!(
            entry["outcome"],
            case.expect()["outcome"],
            "{}: index outcome",
            case.id()
        );
    }
}

fn schema_validator() -> jsonschema::Validator {
    let read = |name: &str| -> Value {
        serde_json::from_slice(&std::fs::read(corpus_dir().join("schema").join(name)).unwrap())
            .unwrap()
    };
    let adapter_schema = read("adapter.schema.json");
    let registry = jsonschema::Registry::new()
        .add(
            "https://ecs-ramrole.invalid/corpus/schema/adapter.schema.json",
            adapter_schema,
        )
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .build(&read("case.schema.json"))
        .unwrap()
}

#[test]
fn corpus_lint() {
    let validator = schema_validator();
    let cases = cases();
    assert!(
        cases.len() >= 150,
        "at least 150 cases, found {}",
        cases.len()
    );
    for (id, (path, case)) in &cases {
        let raw: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&raw)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{id}: schema: {errors:?}");
        assert_eq!(case.id(), id, "ID equals path");

        // The prefix says the outcome: y_ an expected result, n_ a rejection, i_ alternatives.
        let stem = id.rsplit('/').next().unwrap();
        let expect = case.expect();
        let outcome = expect["outcome"].as_str().unwrap();
        let alternatives: Vec<&Value> = expect["alternatives"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        match &stem[..2] {
            "y_" => assert!(
                !matches!(outcome, "reject" | "any_of"),
                "{id}: y_ expects a result, not {outcome}"
            ),
            // The server side refuses with a service error: that is its rejection.
            "n_" if case.kind() == "incoming" => assert!(
                outcome == "service_error",
                "{id}: an incoming n_ case expects the service's refusal"
            ),
            "n_" => assert!(
                outcome == "reject"
                    || (outcome == "any_of"
                        && alternatives.iter().all(|a| a["outcome"] == "reject")),
                "{id}: n_ expects a rejection"
            ),
            "i_" => assert!(
                outcome == "any_of" && alternatives.len() >= 2,
                "{id}: i_ lists at least two alternatives"
            ),
            other => panic!("{id}: unknown prefix {other}"),
        }

        // Every case asserts something beyond its outcome.
        let asserts = |e: &Value| match e["outcome"].as_str().unwrap() {
            // A V3 request with its parameters in the body has an empty query.
            "request" => [&e["query"], &e["body"]]
                .iter()
                .any(|v| v.as_str().is_some_and(|s| !s.is_empty())),
            "signature" => e["signature"].as_str().is_some_and(|s| !s.is_empty()),
            "reject" => e["reject_kind"].as_array().is_some_and(|k| !k.is_empty()),
            "output" => e["value"].is_object(),
            "service_error" => e["error"]["http_status"].is_u64(),
            "accepted" => e["operation"].is_string() && e["params"].is_object(),
            _ => false,
        };
        if outcome == "any_of" {
            assert!(
                alternatives.iter().all(|a| asserts(a)),
                "{id}: every alternative asserts something"
            );
        } else {
            assert!(asserts(expect), "{id}: asserts something");
        }

        // Bodies are byte-exact and their hashes recorded.
        if let Some(name) = case.body_file() {
            let bytes = std::fs::read(path.parent().unwrap().join(name)).unwrap();
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                case.get("body_sha256").and_then(Value::as_str),
                Some(hash.as_str()),
                "{id}: body_sha256"
            );
        }

        // Twins point at each other and share one expected result.
        if let Some(twin) = case.get("twin").and_then(Value::as_str) {
            let (_, other) = cases
                .get(twin)
                .unwrap_or_else(|| panic!("{id}: twin {twin} does not exist"));
            assert_eq!(
                other.get("twin").and_then(Value::as_str),
                Some(id.as_str()),
                "{id}: twin points back"
            );
            assert_eq!(other.expect(), case.expect(), "{id}: twins agree");
        }
    }
}

#[test]
fn every_body_file_belongs_to_a_case() {
    let cases = cases();
    for path in files()
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".body."))
    {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = name.split(".body.").next().unwrap();
        let dir = id_of(&path.parent().unwrap().join("x"));
        let id = format!("{}/{stem}", dir.rsplit_once('/').unwrap().0);
        let owner = cases
            .get(&id)
            .unwrap_or_else(|| panic!("{}: no case owns this body", path.display()));
        assert_eq!(owner.1.body_file(), Some(name.as_str()));
    }
}

#[test]
fn envelopes_and_verdicts_match_the_adapter_schema() {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(corpus_dir().join("schema/adapter.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (id, (path, case)) in cases() {
        let envelope = case.envelope(body(&path, &case).as_deref());
        let verdict = adapter::handle(envelope.to_string().as_bytes()).unwrap();
        for (what, value) in [("envelope", &envelope), ("verdict", &verdict)] {
            let errors: Vec<String> = validator
                .iter_errors(value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{id}: {what} {value}: {errors:?}");
        }
    }
}

#[test]
fn the_parameter_schema_file_is_the_crates_schema() {
    let file: Value = serde_json::from_slice(
        &std::fs::read(corpus_dir().join("schema/operations.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        file,
        ecs_ramrole::conformance::parameter_schema(),
        "regenerate it: ecs-ramrole schema > corpus/schema/operations.json"
    );
}

#[test]
fn the_parameter_schema_says_what_the_documents_say() {
    use ecs_ramrole::{Action, Rule};
    // protocol.md §1.2 and §1.3, and both seeds' parameter tables.
    let table: [(Action, &[(&str, bool)]); 3] = [
        (
            Action::AttachInstanceRamRole,
            &[
                ("RegionId", true),
                ("RamRoleName", true),
                ("InstanceIds", true),
                ("Policy", false),
                ("OwnerId", false),
                ("ResourceOwnerId", false),
                ("ResourceOwnerAccount", false),
            ],
        ),
        (
            Action::DetachInstanceRamRole,
            &[
                ("RegionId", true),
                ("InstanceIds", true),
                ("RamRoleName", false),
                ("OwnerId", false),
                ("ResourceOwnerId", false),
                ("ResourceOwnerAccount", false),
            ],
        ),
        // §1.4: InstanceIds and RamRoleName each optional, one of them required.
        (
            Action::DescribeInstanceRamRole,
            &[
                ("RegionId", true),
                ("InstanceIds", false),
                ("RamRoleName", false),
                ("PageNumber", false),
                ("PageSize", false),
                ("OwnerId", false),
                ("ResourceOwnerId", false),
                ("ResourceOwnerAccount", false),
            ],
        ),
    ];
    for (action, params) in table {
        let got: Vec<(&str, bool)> = action
            .params()
            .iter()
            .map(|p| (p.name, p.required))
            .collect();
        assert_eq!(got, params, "{action}");
    }
    let attach = Action::AttachInstanceRamRole;
    assert_eq!(
        attach.param("Policy").unwrap().rule,
        Rule::Text {
            max_chars: Some(1024)
        }
    );
    assert_eq!(
        attach.param("OwnerId").unwrap().rule,
        Rule::Integer {
            min: 0,
            max: 9_223_372_036_854_775_807
        }
    );
    assert_eq!(attach.param("InstanceIds").unwrap().rule, Rule::InstanceIds);
    assert!(Action::DetachInstanceRamRole.param("Policy").is_none());
    let describe = Action::DescribeInstanceRamRole;
    assert_eq!(
        describe.param("PageSize").unwrap().rule,
        Rule::Integer { min: 1, max: 50 }
    );
    assert!(matches!(
        describe.param("PageNumber").unwrap().rule,
        Rule::Integer { min: 1, .. }
    ));
}

/// The case count the README states is the corpus's.
#[test]
fn the_readme_states_the_case_count() {
    let readme = include_str!("../README.md");
    let count = cases().len();
    let stated: Vec<usize> = readme
        .split(" cases")
        .filter_map(|before| {
            before
                .rsplit(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert!(!stated.is_empty(), "the README states the case count");
    for n in stated {
        assert_eq!(n, count, "README.md says {n} cases; the corpus has {count}");
    }
}
