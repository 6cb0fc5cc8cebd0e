//! JSON bodies: a strict fast path for the usual success body (`fast.rs`), and the
//! serde_json decoder (`visitors.rs`) for everything else, which also explains every
//! error. Both skip unknown values from the same depths (`depth`), so they agree on when
//! [`Limits::max_depth`] is reached.

mod fast;
mod visitors;

use super::error::DecodeError;
use super::limits::Limits;
use super::model::Response;
use super::service_error::ServiceError;
use crate::request::Action;

/// Nesting depths of the model's objects, the root object being 1. A list wrapper
/// `{"Xs": {"X": [objects]}}` adds three levels: the wrapper object, the array, the item
/// object; unknown values are skipped from their object's depth. (A Describe body's
/// role sets sit at `RESULT`.)
mod depth {
    pub(super) const RESPONSE: usize = 1;
    pub(super) const RESULT: usize = RESPONSE + 3;
    pub(super) const ROLE_SET: usize = RESULT + 3;
}

/// Decodes a success body: a JSON object holding the response fields.
pub(crate) fn decode_response<'a>(
    action: Action,
    body: &'a [u8],
    limits: Limits,
) -> Result<Response<'a>, DecodeError> {
    // The usual body takes the fast path; anything it does not fully vouch for (an
    // error, an escape, an odd number, a limit near) goes through serde_json, which also
    // gives every error its kind, field and position.
    match fast::decode_response(action, body, limits) {
        Some(response) => Ok(response),
        None => visitors::decode_response(action, body, limits),
    }
}

/// Decodes a flat JSON error object; `None` when the body is anything else.
pub(crate) fn decode_error(status: u16, body: &[u8], limits: Limits) -> Option<ServiceError> {
    visitors::decode_error(status, body, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serde_json decoder alone, without the fast path in front.
    fn slow(action: Action, body: &[u8], limits: Limits) -> Result<Response<'_>, DecodeError> {
        visitors::decode_response(action, body, limits)
    }

    /// Whenever the fast path answers, the serde_json decoder gives the same response.
    /// Returns whether the fast path answered.
    fn agree(action: Action, body: &[u8], limits: Limits) -> bool {
        let Some(fast) = fast::decode_response(action, body, limits) else {
            return false;
        };
        match slow(action, body, limits) {
            Ok(slow) => assert_eq!(fast, slow, "{action} {:?}", String::from_utf8_lossy(body)),
            Err(e) => panic!(
                "fast path accepted what serde_json rejects ({e}): {action} {:?}",
                String::from_utf8_lossy(body)
            ),
        }
        true
    }

    const ACTIONS: [Action; 2] = [Action::AttachInstanceRamRole, Action::DetachInstanceRamRole];

    /// Every JSON body of the corpus, and hand-made ones for the corners the corpus
    /// does not reach.
    fn seeds() -> Vec<Vec<u8>> {
        let mut seeds = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/response");
        for action in std::fs::read_dir(&root).expect("corpus/response") {
            let dir = action.expect("entry").path().join("json");
            for file in std::fs::read_dir(dir).expect("json cases") {
                let path = file.expect("entry").path();
                if path.to_string_lossy().ends_with(".body.json") {
                    // A test reads the corpus (clippy.toml bans file IO in the library).
                    #[allow(clippy::disallowed_methods)]
                    seeds.push(std::fs::read(&path).expect("readable"));
                }
            }
        }
        assert!(seeds.len() > 30, "the corpus has its JSON cases");
        for extra in [
            r#"{"RequestId":null,"TotalCount":null,"FailCount":0,"RamRoleName":"r","X":[1,{"a":[true,false,null,"s"]},[]]}"#,
            r#"{"AttachInstanceRamRoleResults":{"Other":{"x":[[]]},"AttachInstanceRamRoleResult":[{"Code":200,"Success":"true","Extra":{}},{"Code":"E","Success":false,"Message":null},{}]}}"#,
            r#"{"DetachInstanceRamRoleResults":{"DetachInstanceRamRoleResult":[{"InstanceRamRoleSets":{"InstanceRamRoleSet":[{"InstanceId":"i","RamRoleName":"r","z":9}]},"Success":true}]}}"#,
            r#"{"DetachInstanceRamRoleResults":{"DetachInstanceRamRoleResult":[{"InstanceRamRoleSets":null},{"InstanceRamRoleSets":{"InstanceRamRoleSet":null}}]}}"#,
            r#"{"AttachInstanceRamRoleResults":null,"AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[]}}"#,
            r#"{"RequestId":null,"RequestId":"again"}"#,
            " \u{feff}{\"RequestId\":\"\u{e9}\u{963f}\"} \n",
            "\u{feff}{\"TotalCount\":4294967295,\"FailCount\":4294967296}",
            r#"{"AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[{"Code":18446744073709551615},{"Code":18446744073709551616}]}}"#,
            r#"{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}}"#,
        ] {
            seeds.push(extra.as_bytes().to_vec());
        }
        seeds
    }

    fn limits() -> [Limits; 4] {
        let d = Limits::default();
        [
            d,
            Limits { max_items: 1, ..d },
            Limits {
                max_string_bytes: 3,
                ..d
            },
            Limits { max_depth: 3, ..d },
        ]
    }

    #[test]
    fn fast_path_agrees_with_serde_json_on_every_seed_and_takes_the_usual_bodies() {
        let mut answered = 0;
        for seed in seeds() {
            for action in ACTIONS {
                for limits in limits() {
                    answered += usize::from(agree(action, &seed, limits));
                }
            }
        }
        assert!(
            answered > 100,
            "the fast path answered only {answered} times"
        );
        // The documented examples and generated bodies are what it is for.
        for (action, body) in [
            (
                Action::AttachInstanceRamRole,
                &include_bytes!(
                    "../../../corpus/response/AttachInstanceRamRole/json/y_doc_example.body.json"
                )[..],
            ),
            (
                Action::DetachInstanceRamRole,
                &include_bytes!(
                    "../../../corpus/response/DetachInstanceRamRole/json/y_doc_example_repaired.body.json"
                )[..],
            ),
        ] {
            assert!(agree(action, body, Limits::default()), "{action}");
        }
    }

    #[test]
    fn string_end_finds_the_first_quote_backslash_or_control_byte() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        // Every position, every byte value, with bytes on both sides that look alike.
        for len in 0..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    if at + 1 < len {
                        bytes[at + 1] = b'"';
                    }
                    if at > 0 {
                        bytes[at - 1] = 0xA2;
                    }
                    assert_eq!(fast::string_end(&bytes), naive(&bytes), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn fast_path_agrees_with_serde_json_on_mutations() {
        // Each seed with one byte deleted, replaced or inserted, at every position.
        const BYTES: &[u8] = b"\"\\{}[],:0-.e nt\x01\xC3";
        let mut answered = 0;
        let mut tried = 0;
        for seed in seeds().into_iter().filter(|s| s.len() <= 600) {
            let mut mutants = Vec::new();
            for at in 0..=seed.len() {
                if at < seed.len() {
                    let mut m = seed.clone();
                    m.remove(at);
                    mutants.push(m);
                }
                for &b in BYTES {
                    if at < seed.len() && seed[at] != b {
                        let mut m = seed.clone();
                        m[at] = b;
                        mutants.push(m);
                    }
                    if at % 3 == 0 {
                        let mut m = seed.clone();
                        m.insert(at, b);
                        mutants.push(m);
                    }
                }
            }
            for m in mutants {
                for action in ACTIONS {
                    tried += 1;
                    answered += usize::from(agree(action, &m, Limits::default()));
                }
            }
        }
        assert!(answered > 1000, "{answered} of {tried} mutants answered");
    }
}
