//! Criterion benchmarks of every codec path, each beside its same-run baseline (the
//! building block alone over the same bytes). Inputs and their shapes: `inputs/mod.rs`.
//!
//! `cargo bench --bench codec` runs them all (a few minutes); `cargo bench --bench codec
//! -- decode_json` runs one group. The ratio targets are checked by `--bench ratios`.

mod inputs;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ecs_ramrole::{IncomingRequest, Method, ResponseDecoder};

use inputs::{Bodies, baseline};

/// Short measurements: the machines are shared and noisy, and the ratios (checked by
/// `--bench ratios`) matter more than the last percent of each absolute figure.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

/// (name, JSON body, XML body, decoder) for every decode input.
fn decode_inputs() -> Vec<(&'static str, Bodies, ResponseDecoder)> {
    let doc = |json: &[u8], xml: &[u8]| Bodies {
        json: json.to_vec(),
        xml: xml.to_vec(),
    };
    vec![
        (
            "attach_doc_example",
            doc(inputs::ATTACH_DOC_JSON, inputs::ATTACH_DOC_XML),
            inputs::attach_decoder(),
        ),
        (
            "detach_doc_example",
            doc(inputs::DETACH_DOC_JSON, inputs::DETACH_DOC_XML),
            inputs::detach_decoder(),
        ),
        (
            "attach_100_results",
            inputs::bodies(&inputs::attach_response(100)),
            inputs::attach_decoder(),
        ),
        (
            "attach_10000_results",
            inputs::bodies(&inputs::attach_response(10_000)),
            inputs::attach_decoder(),
        ),
    ]
}

fn encode_sign(c: &mut Criterion) {
    let signing = inputs::signing();
    let mut group = c.benchmark_group("encode_sign");
    for n in [1, 100] {
        let request = inputs::attach_request(n);
        let string_to_sign = inputs::sign(&request, &signing)
            .stages()
            .string_to_sign()
            .to_owned();
        // Bytes of the string-to-sign: what the HMAC reads, for both lines.
        group.throughput(Throughput::Bytes(string_to_sign.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", n), &request, |b, r| {
            b.iter(|| inputs::sign(black_box(r), &signing))
        });
        group.bench_with_input(
            BenchmarkId::new("baseline_hmac_sha1_base64", n),
            &string_to_sign,
            |b, s| b.iter(|| baseline::hmac_sha1_base64(inputs::SECRET, black_box(s))),
        );
        group.bench_with_input(BenchmarkId::new("encode_unsigned", n), &request, |b, r| {
            b.iter(|| black_box(r).encode(&signing.options))
        });
    }
    group.finish();
}

fn decode_json(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_json");
    for (name, bodies, decoder) in decode_inputs() {
        let body = &bodies.json;
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", name), body, |b, body| {
            b.iter(|| {
                decoder
                    .decode(200, Some("application/json;charset=utf-8"), black_box(body))
                    .expect("decodes")
            })
        });
        group.bench_with_input(
            BenchmarkId::new("baseline_ignored_any", name),
            body,
            |b, body| b.iter(|| baseline::json_ignored_any(black_box(body))),
        );
        group.bench_with_input(BenchmarkId::new("baseline_value", name), body, |b, body| {
            b.iter(|| baseline::json_value(black_box(body)))
        });
    }
    group.finish();
}

fn decode_xml(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_xml");
    for (name, bodies, decoder) in decode_inputs() {
        let body = &bodies.xml;
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", name), body, |b, body| {
            b.iter(|| {
                decoder
                    .decode(200, Some("text/xml;charset=UTF-8"), black_box(body))
                    .expect("decodes")
            })
        });
        group.bench_with_input(
            BenchmarkId::new("baseline_event_loop", name),
            body,
            |b, body| b.iter(|| baseline::xml_event_loop(black_box(body))),
        );
    }
    group.finish();
}

fn decode_error_body(c: &mut Criterion) {
    let decoder = inputs::attach_decoder();
    let mut group = c.benchmark_group("decode_error");
    for (name, body, content_type) in [
        ("xml", inputs::ERROR_XML, "text/xml;charset=UTF-8"),
        ("json", inputs::ERROR_JSON, "application/json;charset=utf-8"),
    ] {
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", name), body, |b, body| {
            b.iter(|| decoder.decode_error(404, Some(content_type), black_box(body)))
        });
    }
    group.finish();
}

fn request_decode(c: &mut Criterion) {
    let signing = inputs::signing();
    let mut group = c.benchmark_group("request_decode");
    for n in [1, 100] {
        // The signed wire query of the encode_sign input with `n` IDs.
        let query = inputs::sign(&inputs::attach_request(n), &signing)
            .query()
            .to_owned();
        group.throughput(Throughput::Bytes(query.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", n), &query, |b, q| {
            b.iter(|| IncomingRequest::parse(black_box(q)).expect("parses"))
        });
        group.bench_with_input(BenchmarkId::new("parse_verify", n), &query, |b, q| {
            b.iter(|| {
                let incoming = IncomingRequest::parse(black_box(q)).expect("parses");
                incoming
                    .verify(Method::Post, signing.credentials.secret())
                    .expect("verifies");
                incoming
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = encode_sign, decode_json, decode_xml, decode_error_body, request_decode
}
criterion_main!(benches);
