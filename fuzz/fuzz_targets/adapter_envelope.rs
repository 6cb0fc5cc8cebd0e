//! `ecs_ramrole::adapter::handle` on raw envelope bytes.
#![no_main]

use ecs_ramrole_fuzz::check_envelope;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_envelope(data);
});
