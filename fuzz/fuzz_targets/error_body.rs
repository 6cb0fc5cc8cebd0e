//! Non-2xx bodies: `decode` with an error status and `decode_error`. The first byte picks
//! the content type, the requested format and the status (see `error_setup`); the rest
//! is the body.
#![no_main]

use ecs_ramrole_fuzz::{decode_failure, error_setup};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let (decoder, status, content_type) = error_setup(selector);
    decode_failure(&decoder, status, content_type, body);
});
