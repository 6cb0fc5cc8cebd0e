//! `ResponseDecoder::decode(200, application/json, data)` for both operations.
#![no_main]

use ecs_ramrole_fuzz::{check_json_agreement, decode_success, ACTIONS, JSON_TYPE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for action in ACTIONS {
        let outcome = decode_success(action, Some(JSON_TYPE), data);
        check_json_agreement(data, outcome);
    }
});
