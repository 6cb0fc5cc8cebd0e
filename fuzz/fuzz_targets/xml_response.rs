//! `ResponseDecoder::decode(200, text/xml, data)` for both operations.
#![no_main]

use ecs_ramrole_fuzz::{decode_success, ACTIONS, XML_TYPE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for action in ACTIONS {
        let _ = decode_success(action, Some(XML_TYPE), data);
    }
});
