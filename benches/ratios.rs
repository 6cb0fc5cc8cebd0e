//! The issue-5 targets, checked in one run: `cargo bench --bench ratios`.
//!
//! Prints one line per target, for tools:
//!
//! ```text
//! ratio <name> <measured> target <bound> met|MISSED
//! ```
//!
//! then `median` and `allocs` lines with the figures behind each ratio. The case and its
//! baseline run in alternating batches; a ratio is the median of the ratios of adjacent
//! batches, so a burst of load on this shared machine hits both sides of it alike. Allocations are counted by
//! an instrumented global allocator (`stats_alloc`): allocations plus reallocations.
//!
//! `cargo bench --bench ratios -- --ours [--dump DIR]` prints only this crate's medians
//! for the operations the peers script (`benches/peers/run.sh`) times in the official
//! SDKs, after writing their inputs to DIR.

mod inputs;

use std::alloc::System;
use std::hint::black_box;
use std::time::{Duration, Instant};

use ecs_ramrole::{InstanceResult, Response, ResponseDecoder};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

use inputs::{Bodies, baseline};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Length of one timed batch; the iteration count is calibrated to reach it.
const BATCH: Duration = Duration::from_millis(1);
/// Batches per side. Short batches and many of them: on a shared machine most 1 ms
/// batches run undisturbed, and the median is one of those.
const SAMPLES: usize = 301;

// A benchmark reads the clock by nature (clippy.toml bans it for the library's purity).
#[allow(clippy::disallowed_methods)]
fn time_batch<T>(f: &mut impl FnMut() -> T, iters: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / iters as f64
}

/// Iterations that make one batch last about [`BATCH`] (after a warm-up).
fn calibrate<T>(f: &mut impl FnMut() -> T) -> u64 {
    let mut iters = 1u64;
    loop {
        let per_call = time_batch(f, iters);
        let batch = per_call * iters as f64;
        if batch >= BATCH.as_nanos() as f64 / 4.0 {
            return ((BATCH.as_nanos() as f64 / per_call).ceil() as u64).max(1);
        }
        iters *= 2;
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `a` against `b`, sampled alternately: the median nanoseconds per call of each, and
/// the median of the ratios of adjacent batches (the figure the targets use: a change of
/// load during the run moves both batches of a pair alike, and leaves their ratio).
struct Pair {
    a: f64,
    b: f64,
    ratio: f64,
}

fn pair<A, B>(mut a: impl FnMut() -> A, mut b: impl FnMut() -> B) -> Pair {
    let (na, nb) = (calibrate(&mut a), calibrate(&mut b));
    let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..SAMPLES {
        let (x, y) = (time_batch(&mut a, na), time_batch(&mut b, nb));
        ta.push(x);
        tb.push(y);
        ratios.push(x / y);
    }
    Pair {
        a: median(ta),
        b: median(tb),
        ratio: median(ratios),
    }
}

/// Median nanoseconds per call of `f` alone.
fn single<T>(mut f: impl FnMut() -> T) -> f64 {
    let n = calibrate(&mut f);
    median((0..SAMPLES).map(|_| time_batch(&mut f, n)).collect())
}

/// Allocation events (allocations + reallocations) while `f` runs; its result is
/// dropped afterwards, outside the count.
fn allocs<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let region = Region::new(GLOBAL);
    let out = black_box(f());
    let change = region.change();
    (change.allocations + change.reallocations, out)
}

#[derive(Default)]
struct Report {
    ratios: Vec<String>,
    details: Vec<String>,
    missed: usize,
}

impl Report {
    fn ratio(&mut self, name: &str, measured: f64, bound: f64) {
        let met = measured <= bound;
        if !met {
            self.missed += 1;
        }
        let verdict = if met { "met" } else { "MISSED" };
        let line = format!("ratio {name} {measured:.2} target {bound:.2} {verdict}");
        println!("{line}");
        self.ratios.push(line);
    }

    fn detail(&mut self, line: String) {
        self.details.push(line);
    }
}

/// One decode input: a name, both bodies, the decoder for its operation.
struct Case {
    name: &'static str,
    bodies: Bodies,
    decoder: ResponseDecoder,
}

fn cases() -> Vec<Case> {
    let doc = |json: &[u8], xml: &[u8]| Bodies {
        json: json.to_vec(),
        xml: xml.to_vec(),
    };
    vec![
        Case {
            name: "attach_doc_example",
            bodies: doc(inputs::ATTACH_DOC_JSON, inputs::ATTACH_DOC_XML),
            decoder: inputs::attach_decoder(),
        },
        Case {
            name: "detach_doc_example",
            bodies: doc(inputs::DETACH_DOC_JSON, inputs::DETACH_DOC_XML),
            decoder: inputs::detach_decoder(),
        },
        Case {
            name: "attach_100_results",
            bodies: inputs::bodies(&inputs::attach_response(100)),
            decoder: inputs::attach_decoder(),
        },
        Case {
            name: "attach_10000_results",
            bodies: inputs::bodies(&inputs::attach_response(10_000)),
            decoder: inputs::attach_decoder(),
        },
    ]
}

const JSON: Option<&str> = Some("application/json;charset=utf-8");
const XML: Option<&str> = Some("text/xml;charset=UTF-8");

fn decode<'a>(
    decoder: &ResponseDecoder,
    content_type: Option<&str>,
    body: &'a [u8],
) -> Response<'a> {
    decoder
        .decode(200, content_type, body)
        .expect("benchmark bodies decode")
}

fn decode_targets(report: &mut Report, cases: &[Case]) {
    for case in cases {
        let (json, xml, d) = (&case.bodies.json, &case.bodies.xml, &case.decoder);
        let json_pair = pair(
            || decode(d, JSON, black_box(json)),
            || baseline::json_ignored_any(black_box(json)),
        );
        let (ours, scan) = (json_pair.a, json_pair.b);
        let value = single(|| baseline::json_value(black_box(json)));
        let floor = pair(
            || baseline::json_borrow_every_string(black_box(json)),
            || baseline::json_ignored_any(black_box(json)),
        );
        report.ratio(
            &format!("json_decode_vs_ignored_any/{}", case.name),
            json_pair.ratio,
            2.0,
        );
        report.detail(format!(
            "median json/{} bytes={} ours_ns={ours:.0} ignored_any_ns={scan:.0} value_ns={value:.0} (ours/value {:.2}) serde_visitor_floor/ignored_any {:.2}",
            case.name,
            json.len(),
            ours / value,
            floor.ratio
        ));
        let xml_pair = pair(
            || decode(d, XML, black_box(xml)),
            || baseline::xml_event_loop(black_box(xml)),
        );
        let (ours, events) = (xml_pair.a, xml_pair.b);
        report.ratio(
            &format!("xml_decode_vs_event_loop/{}", case.name),
            xml_pair.ratio,
            1.25,
        );
        // The same decode with the format sniffed from the body instead of read from a
        // Content-Type (which format detection lowercases into a new String).
        let sniffed = pair(
            || decode(d, None, black_box(xml)),
            || baseline::xml_event_loop(black_box(xml)),
        );
        report.detail(format!(
            "median xml/{} bytes={} ours_ns={ours:.0} event_loop_ns={events:.0} (without Content-Type: {:.2})",
            case.name,
            xml.len(),
            sniffed.ratio
        ));
    }
}

fn scaling_targets(report: &mut Report, cases: &[Case]) {
    let find = |name: &str| cases.iter().find(|c| c.name == name).expect("case exists");
    let (small, large) = (find("attach_100_results"), find("attach_10000_results"));
    let d = &small.decoder;
    for (format, content_type, b100, b10k) in [
        ("json", JSON, &small.bodies.json, &large.bodies.json),
        ("xml", XML, &small.bodies.xml, &large.bodies.xml),
    ] {
        let (t100, t10k) = (
            || decode(d, content_type, black_box(b100)),
            || decode(d, content_type, black_box(b10k)),
        );
        let scaling = pair(t100, t10k);
        let (per100, per10k) = (scaling.a / 100.0, scaling.b / 10_000.0);
        report.ratio(
            &format!("{format}_per_result_10000_vs_100"),
            scaling.ratio.recip() / 100.0,
            1.25,
        );
        report.detail(format!(
            "median {format}/per_result ns_at_100={per100:.1} ns_at_10000={per10k:.1}"
        ));
    }
}

fn sign_targets(report: &mut Report) {
    v3_targets(report);
    let signing = inputs::signing();
    for n in [1, 100] {
        let request = inputs::attach_request(n);
        let signed = inputs::sign(&request, &signing);
        let string_to_sign = signed.stages().string_to_sign();
        let sign_pair = pair(
            || inputs::sign(black_box(&request), &signing),
            || baseline::hmac_sha1_base64(inputs::SECRET, black_box(string_to_sign)),
        );
        let (ours, hmac) = (sign_pair.a, sign_pair.b);
        if n == 100 {
            report.ratio("sign_100_ids_vs_hmac_sha1_base64", sign_pair.ratio, 2.5);
        }
        report.detail(format!(
            "median sign/{n}_ids string_to_sign_bytes={} ours_ns={ours:.0} hmac_base64_ns={hmac:.0} (ratio {:.2})",
            string_to_sign.len(),
            sign_pair.ratio
        ));
    }
}

/// V3 encode + sign against its hashing and HMAC alone; the server side's parse +
/// verify of the same 100-ID request, V1 and V3, reported beside.
fn v3_targets(report: &mut Report) {
    use ecs_ramrole::{
        AccessKeySecret, EncodeOptions, HttpRequest, IncomingRequest, Method, Stages,
    };
    let signing = inputs::signing();
    let request = inputs::attach_request(100);
    let v3 = EncodeOptions::v3(Method::Post, Some(ecs_ramrole::Format::Json));
    let sign_v3 = || {
        request.sign(
            &v3,
            &signing.credentials,
            &signing.timestamp,
            &signing.nonce,
        )
    };
    let signed = sign_v3();
    let Stages::V3(stages) = signed.stages() else {
        unreachable!("V3 options")
    };
    let canonical_request = stages.canonical_request().to_owned();
    let pair_v3 = pair(sign_v3, || {
        baseline::sha256_hmac_sha256_hex(inputs::SECRET, black_box(&canonical_request))
    });
    report.ratio("sign_v3_100_ids_vs_sha256_hmac_sha256", pair_v3.ratio, 2.5);
    report.detail(format!(
        "median sign_v3/100_ids canonical_request_bytes={} ours_ns={:.0} sha256_hmac_ns={:.0} (ratio {:.2})",
        canonical_request.len(),
        pair_v3.a,
        pair_v3.b,
        pair_v3.ratio
    ));
    let secret = || Some(AccessKeySecret::new(inputs::SECRET).expect("non-empty"));
    let signed_v1 = inputs::sign(&request, &signing);
    let v1_query = signed_v1.query().to_owned();
    let v3_headers: Vec<(&str, &str)> = signed
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    for (name, query, headers) in [
        ("v1", v1_query.as_str(), &[][..]),
        ("v3", signed.query(), &v3_headers[..]),
    ] {
        let http = HttpRequest::new("POST", "/", query, headers, b"");
        let ns = single(|| {
            IncomingRequest::from_http(black_box(&http), |_| secret()).expect("verifies")
        });
        report.detail(format!("median parse_verify_{name}/100_ids ns={ns:.0}"));
    }
}

/// Allocations the decoders cannot avoid: the results `Vec` growing by doubling as
/// items are pushed, the same way both decoders build it.
fn container_allocs(n: usize) -> usize {
    allocs(|| {
        let mut results: Vec<InstanceResult<'static>> = Vec::new();
        for _ in 0..n {
            results.push(black_box(InstanceResult::default()));
        }
        results
    })
    .0
}

/// Allocations the parser makes on its own over `body`: quick-xml's stack of open element
/// names (the bare event loop), or none for serde_json's validating scan.
fn parser_allocs(format: &str, body: &[u8]) -> usize {
    match format {
        "xml" => allocs(|| baseline::xml_event_loop(body)).0,
        _ => allocs(|| baseline::json_ignored_any(body)).0,
    }
}

/// Allocations per decoded string field, as the slope between a 10-result and a
/// 100-result body: what each further string costs. Per-body constants (the parser's own
/// buffers, serde_json's scratch buffer for escapes) cancel out and are reported beside.
fn alloc_targets(report: &mut Report) {
    const SMALL: usize = 10;
    const LARGE: usize = 100;
    let d = inputs::attach_decoder();
    let (fields_small, fields_large) = (inputs::string_fields(SMALL), inputs::string_fields(LARGE));
    let (vec_small, vec_large) = (container_allocs(SMALL), container_allocs(LARGE));
    // Borrowed: no string needs unescaping, so none should be copied. Escaped: every string
    // field ends in `&"` (JSON `\"`, XML `&amp;"`), so every one must be copied: once.
    for (label, suffix, bound) in [("borrowed", "", 0.0), ("escaped", "&\"", 1.0)] {
        let small = inputs::attach_response_with(SMALL, suffix);
        let large = inputs::attach_response_with(LARGE, suffix);
        let (small_bodies, large_bodies) = (inputs::bodies(&small), inputs::bodies(&large));
        for format in ["json", "xml"] {
            let pick = |b: &inputs::Bodies| match format {
                "json" => b.json.clone(),
                _ => b.xml.clone(),
            };
            let (body_small, body_large) = (pick(&small_bodies), pick(&large_bodies));
            // The format is sniffed: a Content-Type would first be lowercased into a new
            // String (one allocation per call, in response_decode.rs; reported below).
            let (total_small, decoded) = allocs(|| decode(&d, None, &body_small));
            assert_eq!(&decoded, &small, "{format} {label} decodes to its source");
            let (total_large, decoded) = allocs(|| decode(&d, None, &body_large));
            assert_eq!(&decoded, &large, "{format} {label} decodes to its source");
            let per_field = ((total_large - vec_large) as f64 - (total_small - vec_small) as f64)
                / (fields_large - fields_small) as f64;
            report.ratio(
                &format!("allocs_per_string_field/{format}_{label}"),
                per_field,
                bound,
            );
            let fixed = (total_large - vec_large) as f64 - per_field * fields_large as f64;
            report.detail(format!(
                "allocs decode/{format}_{label}_{LARGE}_results total={total_large} results_vec={vec_large} string_fields={fields_large} per_body_constant={fixed:.0} bare_parser_on_same_bytes={}",
                parser_allocs(format, &body_large)
            ));
        }
    }
    for (format, body, content_type) in [
        ("json", inputs::ATTACH_DOC_JSON, JSON),
        ("xml", inputs::ATTACH_DOC_XML, XML),
    ] {
        let (sniffed, _) = allocs(|| decode(&d, None, body));
        let (typed, _) = allocs(|| decode(&d, content_type, body));
        report.detail(format!(
            "allocs decode/{format}_attach_doc_example sniffed={sniffed} with_content_type={typed} results_vec={} bare_parser_on_same_bytes={}",
            container_allocs(1),
            parser_allocs(format, body)
        ));
    }
    // Error bodies own their strings (ServiceError holds `String`s): one copy per field,
    // beyond what the bare parser allocates over the same bytes.
    for (format, body, fields) in [
        ("xml", inputs::ERROR_XML, 4),
        ("json", inputs::ERROR_JSON, 5),
    ] {
        let (total, error) = allocs(|| d.decode_error(404, None, body));
        assert!(error.code.is_some(), "{format} error body decodes");
        let parser = parser_allocs(format, body);
        report.ratio(
            &format!("allocs_per_string_field/error_{format}"),
            total.saturating_sub(parser) as f64 / fields as f64,
            1.0,
        );
        report.detail(format!(
            "allocs decode_error/{format} total={total} bare_parser_on_same_bytes={parser} string_fields={fields}"
        ));
    }
}

/// This crate's medians for the operations `benches/peers/run.sh` times in the SDKs.
/// With `dump`, first writes their inputs there: the bodies, and each request's signed
/// parameters with our signature (so a peer can check it signs the very same thing).
fn ours(cases: &[Case], dump: Option<&str>) {
    let signing = inputs::signing();
    let dumped = |name: &str, bytes: &[u8]| {
        if let Some(dir) = dump {
            // Benchmark plumbing, not the library (clippy.toml bans file IO there).
            #[allow(clippy::disallowed_methods)]
            std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(format!("{dir}/{name}"), bytes))
                .expect("write a peer input");
        }
    };
    for n in [1, 100] {
        let request = inputs::attach_request(n);
        let signed = inputs::sign(&request, &signing);
        let incoming = ecs_ramrole::IncomingRequest::parse(signed.query()).expect("parses");
        let params: serde_json::Map<String, serde_json::Value> = incoming
            .params()
            .filter(|(name, _)| *name != "Signature")
            .map(|(name, value)| (name.to_owned(), value.into()))
            .collect();
        let input = serde_json::json!({
            "method": signed.method().as_str(),
            "access_key_id": signing.credentials.access_key_id(),
            "secret": inputs::SECRET,
            "params": params,
            "string_to_sign": signed.stages().string_to_sign(),
            "signature": signed.stages().signature(),
        });
        dumped(&format!("sign_{n}_ids.json"), input.to_string().as_bytes());
        let ns = single(|| inputs::sign(black_box(&request), &signing));
        println!("ours sign_{n}_ids {ns:.0}");
    }
    for case in cases.iter().filter(|c| c.name != "attach_10000_results") {
        dumped(&format!("{}.json", case.name), &case.bodies.json);
        dumped(&format!("{}.xml", case.name), &case.bodies.xml);
        let d = &case.decoder;
        let ns = single(|| decode(d, JSON, black_box(&case.bodies.json)));
        println!("ours decode_json/{} {ns:.0}", case.name);
        let ns = single(|| decode(d, XML, black_box(&case.bodies.xml)));
        println!("ours decode_xml/{} {ns:.0}", case.name);
    }
}

/// `--spin <what> <iterations>`: one operation in a loop, for a profiler
/// (`valgrind --tool=callgrind`, `perf record`). `what`: sign_100, json_100, xml_100,
/// xml_doc, and the baselines hmac_100, json_scan_100, xml_loop_100, xml_loop_doc.
fn spin(cases: &[Case], what: &str, iterations: usize) {
    let signing = inputs::signing();
    let request = inputs::attach_request(100);
    let string_to_sign = inputs::sign(&request, &signing)
        .stages()
        .string_to_sign()
        .to_owned();
    let v3 =
        ecs_ramrole::EncodeOptions::v3(ecs_ramrole::Method::Post, Some(ecs_ramrole::Format::Json));
    let case = cases
        .iter()
        .find(|c| c.name == "attach_100_results")
        .expect("case exists");
    for _ in 0..iterations {
        match what {
            "sign_100" => drop(black_box(inputs::sign(black_box(&request), &signing))),
            "sign_v3_100" => drop(black_box(black_box(&request).sign(
                &v3,
                &signing.credentials,
                &signing.timestamp,
                &signing.nonce,
            ))),
            "hmac_100" => drop(black_box(baseline::hmac_sha1_base64(
                inputs::SECRET,
                black_box(&string_to_sign),
            ))),
            "json_100" => drop(black_box(decode(
                &case.decoder,
                JSON,
                black_box(&case.bodies.json),
            ))),
            "xml_100" => drop(black_box(decode(
                &case.decoder,
                XML,
                black_box(&case.bodies.xml),
            ))),
            "xml_loop_100" => drop(black_box(baseline::xml_event_loop(black_box(
                &case.bodies.xml,
            )))),
            "xml_doc" => drop(black_box(decode(
                &inputs::attach_decoder(),
                XML,
                black_box(inputs::ATTACH_DOC_XML),
            ))),
            "xml_loop_doc" => drop(black_box(baseline::xml_event_loop(black_box(
                inputs::ATTACH_DOC_XML,
            )))),
            "json_scan_100" => baseline::json_ignored_any(black_box(&case.bodies.json)),
            other => panic!("unknown --spin target {other}"),
        }
    }
}

fn main() {
    let cases = cases();
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--ours") {
        let dump = args
            .iter()
            .position(|a| a == "--dump")
            .and_then(|at| args.get(at + 1));
        ours(&cases, dump.map(String::as_str));
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--spin") {
        let what = args.get(at + 1).map_or("json_100", String::as_str);
        let iterations = args
            .get(at + 2)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        spin(&cases, what, iterations);
        return;
    }
    let mut report = Report::default();
    alloc_targets(&mut report);
    sign_targets(&mut report);
    decode_targets(&mut report, &cases);
    scaling_targets(&mut report, &cases);
    for line in &report.details {
        println!("{line}");
    }
    println!(
        "targets: {} met, {} missed",
        report.ratios.len() - report.missed,
        report.missed
    );
}
