//! Hostile bodies: every limit is enforced with `limit_exceeded`, DTDs are refused before
//! anything is expanded, and the work done is bounded. Bounds are checked by counting
//! allocations and by where the decoder stops, never by timing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ecs_ramrole::{Action, DecodeErrorKind as K, Limits, ResponseDecoder, ResponseError};

/// Counts the bytes this test binary allocates.
struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

// The library forbids unsafe code; this test binary needs the one `unsafe impl` a global
// allocator requires, and only forwards to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes allocated while running `f`. Tests in this binary run one at a time (see
/// `serial`), so the count is theirs alone.
fn allocated_by<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATED.load(Ordering::Relaxed);
    let out = f();
    (out, ALLOCATED.load(Ordering::Relaxed) - before)
}

static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

const A: Action = Action::AttachInstanceRamRole;

fn reject(decoder: &ResponseDecoder, content_type: &str, body: &[u8]) -> ecs_ramrole::DecodeError {
    match decoder.decode(200, Some(content_type), body) {
        Err(ResponseError::Decode(e)) => e,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn billion_laughs_is_refused_at_the_doctype_without_expanding() {
    let _g = serial();
    let mut body = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        body.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    body.push_str("]><AttachInstanceRamRoleResponse><RequestId>&lol9;</RequestId></AttachInstanceRamRoleResponse>");
    let decoder = ResponseDecoder::new(A);
    let (e, bytes) = allocated_by(|| reject(&decoder, "text/xml", body.as_bytes()));
    assert_eq!(e.kind(), K::ForbiddenConstruct);
    assert_eq!(e.offset(), body.find("<!DOCTYPE").unwrap());
    // Expanding &lol9; would need 3 GB; the refusal allocates almost nothing.
    assert!(bytes < 16 * 1024, "allocated {bytes} bytes");
}

#[test]
fn quadratic_blowup_is_refused_at_the_doctype() {
    let _g = serial();
    let entity = "x".repeat(100_000);
    let refs = "&a;".repeat(100_000);
    let body = format!(
        "<!DOCTYPE r [<!ENTITY a \"{entity}\">]><AttachInstanceRamRoleResponse><RequestId>{refs}</RequestId></AttachInstanceRamRoleResponse>"
    );
    let decoder = ResponseDecoder::new(A);
    let (e, bytes) = allocated_by(|| reject(&decoder, "text/xml", body.as_bytes()));
    assert_eq!((e.kind(), e.offset()), (K::ForbiddenConstruct, 0));
    assert!(
        bytes < 16 * 1024,
        "allocated {bytes} bytes for a {} byte body",
        body.len()
    );
}

#[test]
fn a_100_mb_body_is_refused_before_parsing() {
    let _g = serial();
    let mut body = Vec::with_capacity(100 << 20);
    body.extend_from_slice(b"{\"RequestId\":\"");
    body.resize(100 << 20, b'a');
    let decoder = ResponseDecoder::new(A);
    for content_type in ["application/json", "text/xml"] {
        let (e, bytes) = allocated_by(|| reject(&decoder, content_type, &body));
        assert_eq!(e.kind(), K::LimitExceeded);
        assert_eq!(e.offset(), Limits::default().max_body_bytes);
        assert!(bytes < 4096, "allocated {bytes} bytes");
    }
    // A non-2xx body over the limit is not parsed either: the status alone remains.
    let (e, bytes) = allocated_by(|| decoder.decode_error(500, Some("application/json"), &body));
    assert_eq!(e, ecs_ramrole::ServiceError::status_only(500));
    assert!(bytes < 4096, "allocated {bytes} bytes");
}

#[test]
fn every_limit_is_enforced_and_configurable() {
    let _g = serial();
    let tight = Limits::default()
        .with_max_body_bytes(4096)
        .with_max_depth(8)
        .with_max_items(3)
        .with_max_string_bytes(16);
    let decoder = ResponseDecoder::new(A).limits(tight);
    let results = |n: usize, format_xml: bool| {
        if format_xml {
            format!(
                "<AttachInstanceRamRoleResponse><AttachInstanceRamRoleResults>{}</AttachInstanceRamRoleResults></AttachInstanceRamRoleResponse>",
                "<AttachInstanceRamRoleResult/>".repeat(n)
            )
        } else {
            format!(
                "{{\"AttachInstanceRamRoleResults\":{{\"AttachInstanceRamRoleResult\":[{}]}}}}",
                vec!["{}"; n].join(",")
            )
        }
    };
    #[rustfmt::skip]
    let over: Vec<(&str, String)> = vec![
        ("text/xml", results(4, true)),
        ("application/json", results(4, false)),
        ("text/xml", format!("<AttachInstanceRamRoleResponse><RequestId>{}</RequestId></AttachInstanceRamRoleResponse>", "x".repeat(17))),
        ("application/json", format!("{{\"RequestId\":\"{}\"}}", "x".repeat(17))),
        ("text/xml", format!("<AttachInstanceRamRoleResponse>{}{}</AttachInstanceRamRoleResponse>", "<u>".repeat(8), "</u>".repeat(8))),
        ("application/json", format!("{{\"U\":{}{}}}", "[".repeat(8), "]".repeat(8))),
        ("application/json", format!("{{\"RequestId\":\"{}\"}}", "x".repeat(5000))),
    ];
    for (content_type, body) in &over {
        let e = reject(&decoder, content_type, body.as_bytes());
        assert_eq!(e.kind(), K::LimitExceeded, "{content_type} {body:.80}: {e}");
    }
    // At the limits, everything decodes.
    #[rustfmt::skip]
    let at: Vec<(&str, String)> = vec![
        ("text/xml", results(3, true)),
        ("application/json", results(3, false)),
        ("application/json", format!("{{\"RequestId\":\"{}\"}}", "x".repeat(16))),
        ("text/xml", format!("<AttachInstanceRamRoleResponse>{}{}</AttachInstanceRamRoleResponse>", "<u>".repeat(7), "</u>".repeat(7))),
        ("application/json", format!("{{\"U\":{}{}}}", "[".repeat(7), "]".repeat(7))),
    ];
    for (content_type, body) in &at {
        assert!(
            decoder
                .decode(200, Some(content_type), body.as_bytes())
                .is_ok(),
            "{content_type} {body:.80}"
        );
    }
}

/// Allocation calls made while running `f`.
fn allocations_by<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = CALLS.load(Ordering::Relaxed);
    let out = f();
    (out, CALLS.load(Ordering::Relaxed) - before)
}

#[test]
fn work_grows_linearly_with_the_body() {
    let _g = serial();
    // Allocations per result stay flat from 1,000 to 10,000 results: one per unescaped
    // string, none per event, no re-copying of accumulated text.
    let decoder = ResponseDecoder::new(A).limits(
        Limits::default()
            .with_max_body_bytes(64 << 20)
            .with_max_items(100_000),
    );
    let body = |n: usize| {
        let item = "<AttachInstanceRamRoleResult><InstanceId>i-&amp;1</InstanceId><Code>200</Code><Message>ok</Message></AttachInstanceRamRoleResult>";
        format!(
            "<AttachInstanceRamRoleResponse><AttachInstanceRamRoleResults>{}</AttachInstanceRamRoleResults></AttachInstanceRamRoleResponse>",
            item.repeat(n)
        )
    };
    let per_result = |n: usize| {
        let body = body(n);
        let (r, calls) = allocations_by(|| {
            decoder
                .decode(200, Some("text/xml"), body.as_bytes())
                .map(|r| r.results().len())
        });
        assert_eq!(r.unwrap(), n);
        calls as f64 / n as f64
    };
    let small = per_result(1_000);
    let large = per_result(10_000);
    // The only string needing an allocation is InstanceId (it holds an entity): about one
    // allocation per result, plus the list's logarithmic growth.
    assert!(
        small < 1.1 && large < 1.1,
        "allocations per result: {small} at 1,000, {large} at 10,000"
    );
}
