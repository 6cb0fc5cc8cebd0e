//! `IncomingRequest::parse` on UTF-8 input; when it parses, `verify` with a fixed secret
//! for both methods, and the encode/parse and sign/verify round trips.
#![no_main]

use ecs_ramrole_fuzz::check_query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(query) = std::str::from_utf8(data) {
        check_query(query);
    }
});
