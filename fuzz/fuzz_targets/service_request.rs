//! The mock service model, `Service::handle`, on fuzzed HTTP requests (see
//! `check_service` for the input layout and what is asserted).
#![no_main]

use ecs_ramrole_fuzz::check_service;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check_service(data));
