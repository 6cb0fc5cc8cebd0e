//! `ecs_ramrole._native`: the public API of the `ecs-ramrole` crate as Python functions
//! (PyO3, abi3 for CPython 3.9 and newer). The package `ecs_ramrole` re-exports it; its
//! exception classes live in `ecs_ramrole/_errors.py` and are raised from here.
//!
//! Every function turns loose Python input into the crate's types (reporting a value of
//! the wrong type as `RequestError` with kind `type_mismatch` and the parameter's name),
//! calls the crate, and turns the result into plain Python values. Every function runs
//! under [`guarded`], so a Rust panic reaches Python as `ecs_ramrole.Error`, never as
//! PyO3's `PanicException`.

#![forbid(unsafe_code)]

use std::borrow::Cow;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ecs_ramrole::{
    API_VERSION, AccessKeySecret, Action, Algorithm, Credentials, DEFAULT_HOST, DecodeError,
    EncodeOptions, EncodedRequest, Format, HttpRequest, IncomingRequest, InstanceIds, Method,
    Nonce, ParamValue, Payload, Placement, Request, RequestError, Response, ResponseDecoder,
    ResponseError, Rule, SIGNATURE_VERSION, ServiceError, SignedRequest, Stages, Timestamp,
    V3_ALGORITHM,
};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyList, PyMapping, PyMemoryView, PyString, PyTuple,
};

// ------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------

/// `ecs_ramrole._errors`, imported once.
static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
/// Python's `json` module, for `AccessDeniedDetail` values that are not strings.
static JSON: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Builds an instance of one of the package's exception classes; a failure to build it
/// (the module missing, say) is raised instead.
fn raise(
    py: Python<'_>,
    class: &str,
    text: &str,
    fill: impl FnOnce(&Bound<'_, PyDict>) -> PyResult<()>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = ERRORS.get_or_try_init(py, || {
            PyModule::import(py, "ecs_ramrole._errors").map(Bound::unbind)
        })?;
        let class = module.bind(py).getattr(class)?;
        let kwargs = PyDict::new(py);
        fill(&kwargs)?;
        Ok(PyErr::from_value(class.call((text,), Some(&kwargs))?))
    };
    build().unwrap_or_else(|e| e)
}

/// The reject kinds of a request input problem (the corpus's names).
#[derive(Clone, Copy)]
enum Kind {
    Missing,
    Constraint,
    Type,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Missing => "missing_required",
            Kind::Constraint => "constraint_violation",
            Kind::Type => "type_mismatch",
        }
    }
}

/// `RequestError(message, kind=..., parameter=..., offset=...)`.
fn request_error(
    py: Python<'_>,
    kind: &str,
    parameter: &str,
    offset: Option<usize>,
    message: &str,
) -> PyErr {
    raise(py, "RequestError", message, |kw| {
        kw.set_item(intern!(py, "kind"), kind)?;
        kw.set_item(intern!(py, "parameter"), parameter)?;
        kw.set_item(intern!(py, "offset"), offset)
    })
}

/// An input problem found here, before the crate saw the value.
fn input_error(py: Python<'_>, kind: Kind, parameter: &str, message: impl AsRef<str>) -> PyErr {
    request_error(py, kind.as_str(), parameter, None, message.as_ref())
}

/// The crate's `RequestError`; `parameter` replaces the crate's name for the input (the
/// keyword argument's name where the crate says, for example, `AccessKeyId`).
fn from_request_error(py: Python<'_>, e: &RequestError, parameter: Option<&str>) -> PyErr {
    request_error(
        py,
        e.reject_kind(),
        parameter.unwrap_or(e.param()),
        e.offset(),
        &redact(&e.to_string()),
    )
}

/// A closure for `map_err` on the crate's `RequestError`.
fn lib_err<'py>(py: Python<'py>, parameter: Option<&'py str>) -> impl Fn(RequestError) -> PyErr {
    move |e| from_request_error(py, &e, parameter)
}

fn decode_error(py: Python<'_>, e: &DecodeError) -> PyErr {
    raise(py, "DecodeError", &e.to_string(), |kw| {
        kw.set_item(intern!(py, "kind"), e.kind().as_str())?;
        kw.set_item(intern!(py, "offset"), e.offset())?;
        kw.set_item(intern!(py, "line"), e.line())?;
        kw.set_item(intern!(py, "column"), e.column())?;
        kw.set_item(intern!(py, "field"), e.field())
    })
}

/// The service's error from a response, with every field the body had.
fn service_error(py: Python<'_>, e: &ServiceError) -> PyErr {
    let detail = || -> PyResult<Option<Bound<'_, PyDict>>> {
        let Some(detail) = &e.access_denied_detail else {
            return Ok(None);
        };
        let dict = PyDict::new(py);
        for (key, value) in detail.iter() {
            match value.as_str() {
                Some(text) => dict.set_item(key, text)?,
                None => {
                    let json = JSON
                        .get_or_try_init(py, || PyModule::import(py, "json").map(Bound::unbind))?;
                    let parsed = json
                        .bind(py)
                        .call_method1(intern!(py, "loads"), (value.to_json(),))?;
                    dict.set_item(key, parsed)?;
                }
            }
        }
        Ok(Some(dict))
    };
    let detail = match detail() {
        Ok(detail) => detail,
        Err(err) => return err,
    };
    raise(py, "ServiceError", &redact(&e.to_string()), |kw| {
        kw.set_item(intern!(py, "http_status"), e.http_status)?;
        kw.set_item(intern!(py, "code"), e.code.as_ref().map(|c| c.as_str()))?;
        kw.set_item(intern!(py, "message"), e.message.as_deref())?;
        kw.set_item(intern!(py, "request_id"), e.request_id.as_deref())?;
        kw.set_item(intern!(py, "host_id"), e.host_id.as_deref())?;
        kw.set_item(intern!(py, "recommend"), e.recommend.as_deref())?;
        kw.set_item(intern!(py, "access_denied_detail"), detail)?;
        kw.set_item(intern!(py, "retryable"), e.is_retryable())?;
        kw.set_item(intern!(py, "retry_after_ms"), e.retry_after_ms)?;
        kw.set_item(
            intern!(py, "server_string_to_sign"),
            e.server_string_to_sign(),
        )
    })
}

/// What the service answers a request that `IncomingRequest::from_http` refused.
fn refused(py: Python<'_>, e: &RequestError) -> PyErr {
    let answer = e.to_service_error();
    let text = format!(
        "the service would answer HTTP {} {}: {}",
        e.status(),
        e.code(),
        answer.message.as_deref().unwrap_or_default()
    );
    raise(py, "ServiceError", &redact(&text), |kw| {
        kw.set_item(intern!(py, "http_status"), e.status())?;
        kw.set_item(intern!(py, "code"), e.code())?;
        kw.set_item(intern!(py, "message"), answer.message.as_deref())?;
        kw.set_item(intern!(py, "retryable"), answer.is_retryable())?;
        kw.set_item(
            intern!(py, "server_string_to_sign"),
            e.server_string_to_sign(),
        )
    })
}

/// Runs a function body, turning a panic into `ecs_ramrole.Error`.
fn guarded<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            let text = format!("internal error in ecs_ramrole (please report it): {what}");
            Err(raise(py, "Error", &redact(&text), |_| Ok(())))
        }
    }
}

/// `text` with the value of every STS token it carries replaced by `<redacted>`: a
/// `SecurityToken` query parameter (`SecurityToken=v`), the same inside a V1
/// string-to-sign (`SecurityToken%3Dv`), and an `x-acs-security-token:v` header line.
fn redact(text: &str) -> Cow<'_, str> {
    const MARKERS: [(&str, &[&str]); 3] = [
        ("SecurityToken=", &["&"]),
        ("SecurityToken%3D", &["%26"]),
        ("x-acs-security-token:", &["\n"]),
    ];
    if !MARKERS.iter().any(|(m, _)| text.contains(m)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = MARKERS
            .iter()
            .filter_map(|(marker, ends)| rest.find(marker).map(|at| (at, *marker, *ends)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, marker, ends)) = next else {
            out.push_str(rest);
            return Cow::Owned(out);
        };
        out.push_str(&rest[..at + marker.len()]);
        out.push_str("<redacted>");
        rest = &rest[at + marker.len()..];
        let end = ends
            .iter()
            .filter_map(|e| rest.find(e))
            .chain(rest.find(|c: char| c.is_whitespace() || c == '"' || c == '\''))
            .min()
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
}

// ------------------------------------------------------------------------------------
// Loose input
// ------------------------------------------------------------------------------------

/// A `str` argument: `None` when absent (`None`); a reject naming `name` otherwise.
fn opt_text(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => text(py, v, name).map(Some),
    }
}

/// A `str`, as Rust text: a reject naming `name` for any other type, or for a string
/// that is not Unicode text (a lone surrogate).
fn text(py: Python<'_>, value: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let Ok(s) = value.cast::<PyString>() else {
        return Err(input_error(
            py,
            Kind::Type,
            name,
            format!("{name} must be a str, not {}", type_name(value)),
        ));
    };
    s.to_cow().map(Cow::into_owned).map_err(|_| {
        input_error(
            py,
            Kind::Constraint,
            name,
            format!("{name} is not valid Unicode text (it holds a lone surrogate)"),
        )
    })
}

/// A required `str` argument: `None` is `missing_required`.
fn req_text(py: Python<'_>, value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<String> {
    opt_text(py, value, name)?
        .ok_or_else(|| input_error(py, Kind::Missing, name, format!("{name} is required")))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// The (key, value) items of a mapping, or of an iterable of 2-item pairs when
/// `pairs_ok`; a reject naming `name` otherwise.
fn items<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    name: &str,
    pairs_ok: bool,
) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    if let Ok(dict) = value.cast::<PyDict>() {
        return Ok(dict.iter().collect());
    }
    if let Ok(mapping) = value.cast::<PyMapping>() {
        let mut out = Vec::new();
        for item in mapping.items()?.iter() {
            let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
            out.push((k, v));
        }
        return Ok(out);
    }
    let expected = if pairs_ok {
        "a mapping or a list of (name, value) pairs"
    } else {
        "a mapping"
    };
    let wrong = || {
        input_error(
            py,
            Kind::Type,
            name,
            format!("{name} must be {expected}, not {}", type_name(value)),
        )
    };
    if !pairs_ok || value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(wrong());
    }
    let Ok(iter) = value.try_iter() else {
        return Err(wrong());
    };
    let mut out = Vec::new();
    for item in iter {
        let item = item?;
        let pair = match item.cast::<PyTuple>() {
            Ok(t) if t.len() == 2 => (t.get_item(0)?, t.get_item(1)?),
            _ => match item.cast::<PyList>() {
                Ok(l) if l.len() == 2 => (l.get_item(0)?, l.get_item(1)?),
                _ => {
                    return Err(input_error(
                        py,
                        Kind::Type,
                        name,
                        format!("{name}: every item must be a (name, value) pair"),
                    ));
                }
            },
        };
        out.push(pair);
    }
    Ok(out)
}

/// (name, value) string pairs; each name and value must be a `str`.
fn string_pairs(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Vec<(String, String)>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    items(py, value, name, true)?
        .into_iter()
        .map(|(k, v)| {
            let key = text(py, &k, name)?;
            let value = text(py, &v, &key)?;
            Ok((key, value))
        })
        .collect()
}

/// Body bytes: `bytes`, `bytearray`, `memoryview` or `str` (sent as UTF-8).
fn body_bytes<'a>(
    py: Python<'_>,
    value: &'a Bound<'_, PyAny>,
    name: &str,
) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(bytes.as_bytes()));
    }
    if let Ok(array) = value.cast::<PyByteArray>() {
        return Ok(Cow::Owned(array.to_vec()));
    }
    if value.is_instance_of::<PyMemoryView>() {
        let bytes = value.call_method0(intern!(py, "tobytes"))?;
        let bytes = bytes.cast::<PyBytes>()?;
        return Ok(Cow::Owned(bytes.as_bytes().to_vec()));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Cow::Owned(text(py, value, name)?.into_bytes()));
    }
    Err(input_error(
        py,
        Kind::Type,
        name,
        format!("{name} must be bytes or str, not {}", type_name(value)),
    ))
}

/// The operation, by its API name.
fn action_of(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Action> {
    let name = text(py, value, "operation")?;
    name.parse()
        .map_err(|e| from_request_error(py, &e, Some("operation")))
}

/// One `params` entry, typed by the operation's schema: `str` for text, a non-negative
/// `int` up to 2^63 - 1 for integers (never a `bool`), and for `InstanceIds` a list (or
/// tuple) of `str` or a `str` of raw JSON text.
fn param_value(
    py: Python<'_>,
    action: Action,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<(&'static str, ParamValue)> {
    let Some(spec) = action.param(name) else {
        return Err(input_error(
            py,
            Kind::Constraint,
            name,
            format!("{name} is not a parameter of {action}"),
        ));
    };
    let wrong = |expected: &str| {
        input_error(
            py,
            Kind::Type,
            spec.name,
            format!("{} must be {expected}, not {}", spec.name, type_name(value)),
        )
    };
    let value = match spec.rule {
        Rule::Text { .. } => ParamValue::Text(text(py, value, spec.name)?),
        Rule::Integer { .. } => {
            if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
                return Err(wrong("an int"));
            }
            let n = value
                .extract::<i64>()
                .ok()
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| {
                    input_error(
                        py,
                        Kind::Type,
                        spec.name,
                        format!("{} must be an int from 0 to 2**63 - 1", spec.name),
                    )
                })?;
            ParamValue::Integer(n)
        }
        Rule::InstanceIds => {
            if value.is_instance_of::<PyString>() {
                let raw = text(py, value, spec.name)?;
                ParamValue::InstanceIds(InstanceIds::from_json(&raw).map_err(lib_err(py, None))?)
            } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
                let mut ids = Vec::new();
                for (i, item) in value.try_iter()?.enumerate() {
                    let item = item?;
                    if !item.is_instance_of::<PyString>() {
                        return Err(input_error(
                            py,
                            Kind::Type,
                            spec.name,
                            format!("{}[{i}] must be a str, not {}", spec.name, type_name(&item)),
                        ));
                    }
                    ids.push(text(py, &item, spec.name)?);
                }
                ParamValue::InstanceIds(InstanceIds::new(ids).map_err(lib_err(py, None))?)
            } else {
                return Err(wrong("a list of str or a str of JSON text"));
            }
        }
        _ => return Err(wrong("a supported type")),
    };
    Ok((spec.name, value))
}

/// Builds the typed request from `params` (a mapping in the API's names; a `None` value
/// is an absent parameter).
fn build_request(py: Python<'_>, action: Action, params: &Bound<'_, PyAny>) -> PyResult<Request> {
    let mut values = Vec::new();
    if !params.is_none() {
        for (key, value) in items(py, params, "params", false)? {
            let name = text(py, &key, "params")?;
            if value.is_none() {
                continue;
            }
            values.push(param_value(py, action, &name, &value)?);
        }
    }
    Request::from_params(action, values).map_err(lib_err(py, None))
}

fn method(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Method> {
    match opt_text(py, value, "method")? {
        None => Ok(Method::default()),
        Some(m) => m.parse().map_err(lib_err(py, Some("method"))),
    }
}

/// A request's `format`: exactly `"JSON"` or `"XML"` (as sent), or `None`.
fn request_format(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Format>> {
    let Some(text) = opt_text(py, value, "format")? else {
        return Ok(None);
    };
    Format::ALL
        .iter()
        .copied()
        .find(|f| f.as_str() == text)
        .map(Some)
        .ok_or_else(|| {
            input_error(
                py,
                Kind::Constraint,
                "format",
                format!("format must be \"JSON\", \"XML\" or None, not {text:?}"),
            )
        })
}

// ------------------------------------------------------------------------------------
// Requests
// ------------------------------------------------------------------------------------

/// A signed request, ready for the wire: `method`, `query` (no `?`), `headers` (V3),
/// `body` (V3 with the parameters in a form body) and every signing stage.
#[pyclass(module = "ecs_ramrole", frozen, name = "SignedRequest")]
struct PySignedRequest {
    inner: SignedRequest,
}

#[pymethods]
impl PySignedRequest {
    /// `"GET"` or `"POST"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method().as_str()
    }

    /// The wire query, without `?`.
    #[getter]
    fn query(&self) -> &str {
        self.inner.query()
    }

    /// The headers a V3 request needs, `(name, value)`, names lowercase, sorted; empty
    /// for V1.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guarded(py, || {
            PyList::new(
                py,
                self.inner
                    .headers()
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str())),
            )
        })
    }

    /// The body: the form-encoded parameters of a V3 request that puts them there, else
    /// `""`.
    #[getter]
    fn body(&self) -> &str {
        self.inner.body()
    }

    /// Every signing stage, by the adapter protocol's names.
    #[getter]
    fn stages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guarded(py, || stages_dict(py, self.inner.stages()))
    }

    /// The signature's algorithm, `"HMAC-SHA1"` or `"ACS3-HMAC-SHA256"`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.stages().algorithm().as_str()
    }

    /// The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`).
    fn url(&self, py: Python<'_>, endpoint: &str) -> PyResult<String> {
        guarded(py, || Ok(self.inner.url(endpoint)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || self.repr(py))
    }
}

impl PySignedRequest {
    fn repr(&self, py: Python<'_>) -> PyResult<String> {
        let headers = self
            .inner
            .headers()
            .iter()
            .map(|(n, v)| {
                let v = if n == "x-acs-security-token" {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                Ok(format!("({}, {})", py_repr(py, n)?, py_repr(py, v)?))
            })
            .collect::<PyResult<Vec<String>>>()?;
        Ok(format!(
            "SignedRequest(method={}, query={}, headers=[{}], body={})",
            py_repr(py, self.inner.method().as_str())?,
            py_repr(py, &redact(self.inner.query()))?,
            headers.join(", "),
            py_repr(py, &redact(self.inner.body()))?,
        ))
    }
}

/// Python's `repr` of a str.
fn py_repr(py: Python<'_>, text: &str) -> PyResult<String> {
    Ok(PyString::new(py, text).repr()?.to_cow()?.into_owned())
}

fn stages_dict<'py>(py: Python<'py>, stages: &Stages) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    match stages {
        Stages::V3(s) => {
            dict.set_item(intern!(py, "canonical_request"), s.canonical_request())?;
            dict.set_item(
                intern!(py, "hashed_canonical_request"),
                s.hashed_canonical_request(),
            )?;
            dict.set_item(intern!(py, "string_to_sign"), s.string_to_sign())?;
            dict.set_item(intern!(py, "signature"), s.signature())?;
            dict.set_item(intern!(py, "authorization"), s.authorization())?;
        }
        other => {
            dict.set_item(intern!(py, "canonical_query"), other.canonical_query())?;
            dict.set_item(intern!(py, "string_to_sign"), other.string_to_sign())?;
            dict.set_item(intern!(py, "signature"), other.signature())?;
        }
    }
    Ok(dict)
}

/// An unsigned request: `method` and `query` (which is also the canonical query).
#[pyclass(module = "ecs_ramrole", frozen, name = "EncodedRequest")]
struct PyEncodedRequest {
    inner: EncodedRequest,
}

#[pymethods]
impl PyEncodedRequest {
    /// `"GET"` or `"POST"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method().as_str()
    }

    /// The query string, without `?`.
    #[getter]
    fn query(&self) -> &str {
        self.inner.query()
    }

    /// The full URL at `endpoint`.
    fn url(&self, py: Python<'_>, endpoint: &str) -> PyResult<String> {
        guarded(py, || Ok(self.inner.url(endpoint)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guarded(py, || {
            Ok(format!(
                "EncodedRequest(method={}, query={})",
                py_repr(py, self.inner.method().as_str())?,
                py_repr(py, &redact(self.inner.query()))?
            ))
        })
    }
}

/// Builds, checks, encodes and signs a request.
#[pyfunction]
#[pyo3(signature = (
    operation, params, *, access_key_id, access_key_secret, timestamp, nonce,
    algorithm = None, method = None, format = FormatArg::Default, security_token = None,
    host = None, placement = None
), text_signature = "(operation, params, *, access_key_id, access_key_secret, timestamp, nonce, algorithm='HMAC-SHA1', method='POST', format='JSON', security_token=None, host='ecs.aliyuncs.com', placement='query')")]
#[allow(clippy::too_many_arguments)]
fn sign_request(
    py: Python<'_>,
    operation: &Bound<'_, PyAny>,
    params: &Bound<'_, PyAny>,
    access_key_id: Option<&Bound<'_, PyAny>>,
    access_key_secret: Option<&Bound<'_, PyAny>>,
    timestamp: Option<&Bound<'_, PyAny>>,
    nonce: Option<&Bound<'_, PyAny>>,
    algorithm: Option<&Bound<'_, PyAny>>,
    method: Option<&Bound<'_, PyAny>>,
    format: FormatArg<'_>,
    security_token: Option<&Bound<'_, PyAny>>,
    host: Option<&Bound<'_, PyAny>>,
    placement: Option<&Bound<'_, PyAny>>,
) -> PyResult<PySignedRequest> {
    guarded(py, || {
        let action = action_of(py, operation)?;
        let algorithm = match opt_text(py, algorithm, "algorithm")? {
            None => Algorithm::default(),
            Some(a) => a.parse().map_err(lib_err(py, Some("algorithm")))?,
        };
        let secret = req_text(py, access_key_secret, "access_key_secret")?;
        let secret =
            AccessKeySecret::new(secret).map_err(lib_err(py, Some("access_key_secret")))?;
        let id = req_text(py, access_key_id, "access_key_id")?;
        let mut credentials =
            Credentials::new(id, secret).map_err(lib_err(py, Some("access_key_id")))?;
        if let Some(token) = opt_text(py, security_token, "security_token")? {
            credentials = credentials
                .with_security_token(token)
                .map_err(lib_err(py, Some("security_token")))?;
        }
        let timestamp: Timestamp = req_text(py, timestamp, "timestamp")?
            .parse()
            .map_err(lib_err(py, Some("timestamp")))?;
        let nonce =
            Nonce::new(req_text(py, nonce, "nonce")?).map_err(lib_err(py, Some("nonce")))?;
        let options = encode_options(py, Some(algorithm), method, format, host, placement)?;
        let request = build_request(py, action, params)?;
        Ok(PySignedRequest {
            inner: request.sign(&options, &credentials, &timestamp, &nonce),
        })
    })
}

/// The `format` argument: its default (`"JSON"`) told apart from an explicit `None`.
enum FormatArg<'py> {
    Default,
    Given(Bound<'py, PyAny>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for FormatArg<'py> {
    type Error = PyErr;

    fn extract(ob: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(FormatArg::Given(ob.to_owned()))
    }
}

/// Method, format, host and placement; `algorithm` `None` for an unsigned request.
fn encode_options(
    py: Python<'_>,
    algorithm: Option<Algorithm>,
    method_arg: Option<&Bound<'_, PyAny>>,
    format: FormatArg<'_>,
    host: Option<&Bound<'_, PyAny>>,
    placement: Option<&Bound<'_, PyAny>>,
) -> PyResult<EncodeOptions> {
    let format = match &format {
        FormatArg::Default => Some(Format::Json),
        FormatArg::Given(value) => request_format(py, Some(value))?,
    };
    let method = method(py, method_arg)?;
    let placement = match opt_text(py, placement, "placement")? {
        None => None,
        Some(p) => Some(
            p.parse::<Placement>()
                .map_err(lib_err(py, Some("placement")))?,
        ),
    };
    let mut options = match algorithm {
        Some(Algorithm::Acs3HmacSha256) => EncodeOptions::v3(method, format),
        _ => EncodeOptions::new(method, format),
    };
    if let Some(host) = opt_text(py, host, "host")? {
        options = options.with_host(host).map_err(lib_err(py, Some("host")))?;
    }
    if let Some(placement) = placement {
        options = options
            .with_placement(placement)
            .map_err(lib_err(py, Some("placement")))?;
    }
    Ok(options)
}

/// Builds, checks and encodes an unsigned request.
#[pyfunction]
#[pyo3(
    signature = (operation, params, *, method = None, format = FormatArg::Default),
    text_signature = "(operation, params, *, method='POST', format='JSON')"
)]
fn encode_request(
    py: Python<'_>,
    operation: &Bound<'_, PyAny>,
    params: &Bound<'_, PyAny>,
    method: Option<&Bound<'_, PyAny>>,
    format: FormatArg<'_>,
) -> PyResult<PyEncodedRequest> {
    guarded(py, || {
        let action = action_of(py, operation)?;
        let options = encode_options(py, None, method, format, None, None)?;
        let request = build_request(py, action, params)?;
        Ok(PyEncodedRequest {
            inner: request.encode(&options),
        })
    })
}

/// The bare V1 signer over any parameter set.
#[pyfunction]
#[pyo3(signature = (method, params, access_key_secret))]
fn sign_params<'py>(
    py: Python<'py>,
    method: Option<&Bound<'py, PyAny>>,
    params: Option<&Bound<'py, PyAny>>,
    access_key_secret: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    guarded(py, || {
        let method = self::method(py, method)?;
        let secret = req_text(py, access_key_secret, "access_key_secret")?;
        let secret =
            AccessKeySecret::new(secret).map_err(lib_err(py, Some("access_key_secret")))?;
        let pairs = string_pairs(py, params, "params")?;
        if pairs.iter().any(|(name, _)| name == "Signature") {
            return Err(input_error(
                py,
                Kind::Constraint,
                "Signature",
                "Signature is never signed; leave it out",
            ));
        }
        let stages = ecs_ramrole::sign_params(method, &pairs, &secret);
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "canonical_query"), stages.canonical_query())?;
        dict.set_item(intern!(py, "string_to_sign"), stages.string_to_sign())?;
        dict.set_item(intern!(py, "signature"), stages.signature())?;
        Ok(dict)
    })
}

/// The generic V3 signer: every header given is signed.
#[pyfunction]
#[pyo3(signature = (
    method, path, query, headers, *, access_key_id, access_key_secret,
    payload_sha256 = None, body = None
), text_signature = "(method, path, query, headers, *, access_key_id, access_key_secret, payload_sha256=None, body=b'')")]
#[allow(clippy::too_many_arguments)]
fn sign_v3<'py>(
    py: Python<'py>,
    method: Option<&Bound<'py, PyAny>>,
    path: Option<&Bound<'py, PyAny>>,
    query: Option<&Bound<'py, PyAny>>,
    headers: Option<&Bound<'py, PyAny>>,
    access_key_id: Option<&Bound<'py, PyAny>>,
    access_key_secret: Option<&Bound<'py, PyAny>>,
    payload_sha256: Option<&Bound<'py, PyAny>>,
    body: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    guarded(py, || {
        let method = self::method(py, method)?;
        let path = opt_text(py, path, "path")?.unwrap_or_else(|| "/".to_owned());
        let query = string_pairs(py, query, "query")?;
        let headers = string_pairs(py, headers, "headers")?;
        if headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        {
            return Err(input_error(
                py,
                Kind::Constraint,
                "headers",
                "authorization is what the signer computes, not an input",
            ));
        }
        let body = match body.filter(|b| !b.is_none()) {
            None => None,
            Some(b) => Some(body_bytes(py, b, "body")?),
        };
        let hex = opt_text(py, payload_sha256, "payload_sha256")?;
        let payload = match (&hex, &body) {
            (Some(_), Some(_)) => {
                return Err(input_error(
                    py,
                    Kind::Constraint,
                    "payload_sha256",
                    "give payload_sha256 or body, not both",
                ));
            }
            (Some(hex), None) => {
                let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
                if hex.len() != 64 || !hex.bytes().all(lower_hex) {
                    return Err(input_error(
                        py,
                        Kind::Constraint,
                        "payload_sha256",
                        "payload_sha256 must be 64 lowercase hex digits",
                    ));
                }
                Payload::Sha256Hex(hex)
            }
            (None, Some(body)) => Payload::Body(body),
            (None, None) => Payload::Body(b""),
        };
        let id = req_text(py, access_key_id, "access_key_id")?;
        if id.is_empty() {
            return Err(input_error(
                py,
                Kind::Constraint,
                "access_key_id",
                "access_key_id must not be empty",
            ));
        }
        let secret = req_text(py, access_key_secret, "access_key_secret")?;
        let secret =
            AccessKeySecret::new(secret).map_err(lib_err(py, Some("access_key_secret")))?;
        let stages = ecs_ramrole::sign_v3(method, &path, &query, &headers, payload, &id, &secret);
        stages_dict(py, &Stages::V3(stages))
    })
}

// ------------------------------------------------------------------------------------
// Responses
// ------------------------------------------------------------------------------------

/// Decodes a response: the success value in the corpus's JSON-response shape, or raises
/// `ServiceError` (any non-2xx status) or `DecodeError` (a 2xx body it cannot read).
#[pyfunction]
#[pyo3(signature = (operation, status, headers, body, format = None))]
fn decode_response<'py>(
    py: Python<'py>,
    operation: &Bound<'py, PyAny>,
    status: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
    body: &Bound<'py, PyAny>,
    format: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    guarded(py, || {
        let action = action_of(py, operation)?;
        let status = http_status(py, status)?;
        let headers = string_pairs(py, headers, "headers")?;
        let body = body_bytes(py, body, "body")?;
        let requested = match opt_text(py, format, "format")? {
            None => None,
            Some(f) => Some(f.parse::<Format>().map_err(|_| {
                input_error(
                    py,
                    Kind::Constraint,
                    "format",
                    format!("format must be \"json\", \"xml\" or None, not {f:?}"),
                )
            })?),
        };
        let decoder = ResponseDecoder::new(action).requested_format(requested);
        let headers = headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        match decoder.decode_http(status, headers, &body) {
            Ok(response) => response_dict(py, &response),
            Err(ResponseError::Service(e)) => Err(service_error(py, &e)),
            Err(ResponseError::Decode(e)) => Err(decode_error(py, &e)),
        }
    })
}

fn http_status(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<u16> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(input_error(
            py,
            Kind::Type,
            "status",
            format!("status must be an int, not {}", type_name(value)),
        ));
    }
    value
        .extract::<u16>()
        .ok()
        .filter(|s| (100..=999).contains(s))
        .ok_or_else(|| {
            input_error(
                py,
                Kind::Constraint,
                "status",
                "status must be an HTTP status, 100 to 999",
            )
        })
}

/// The decoded value in the JSON-response shape (corpus/README.md, "The normalized
/// value"): both list levels, `Code` a str, `Success` a bool, absent fields absent.
fn response_dict<'py>(py: Python<'py>, r: &Response<'_>) -> PyResult<Bound<'py, PyDict>> {
    let mut b = Builder::new(py);
    let d = PyDict::new(py);
    b.text(&d, intern!(py, "RequestId"), r.request_id.as_deref())?;
    let wrappers = match r.action {
        Action::AttachInstanceRamRole => Some((
            intern!(py, "AttachInstanceRamRoleResults"),
            intern!(py, "AttachInstanceRamRoleResult"),
        )),
        Action::DetachInstanceRamRole => Some((
            intern!(py, "DetachInstanceRamRoleResults"),
            intern!(py, "DetachInstanceRamRoleResult"),
        )),
        Action::DescribeInstanceRamRole => None,
    };
    match wrappers {
        Some((wrapper, item)) => {
            if let Some(results) = &r.results {
                let (instance_id, code, message, success) = (
                    intern!(py, "InstanceId"),
                    intern!(py, "Code"),
                    intern!(py, "Message"),
                    intern!(py, "Success"),
                );
                let mut items = Vec::with_capacity(results.len());
                for result in results {
                    let o = PyDict::new(py);
                    b.unique(&o, instance_id, result.instance_id.as_deref())?;
                    b.text(&o, code, result.code.as_deref())?;
                    b.text(&o, message, result.message.as_deref())?;
                    if let Some(value) = result.success {
                        o.set_item(success, PyBool::new(py, value))?;
                    }
                    b.role_sets(&o, result.instance_ram_role_sets.as_deref())?;
                    items.push(o);
                }
                d.set_item(wrapper, b.wrapped(item, items)?)?;
            }
            put(&d, intern!(py, "TotalCount"), r.total_count)?;
            put(&d, intern!(py, "FailCount"), r.fail_count)?;
            b.text(&d, intern!(py, "RamRoleName"), r.ram_role_name.as_deref())?;
        }
        None => {
            b.text(&d, intern!(py, "RegionId"), r.region_id.as_deref())?;
            put(&d, intern!(py, "TotalCount"), r.total_count)?;
            put(&d, intern!(py, "PageNumber"), r.page_number)?;
            put(&d, intern!(py, "PageSize"), r.page_size)?;
            b.role_sets(&d, r.instance_ram_role_sets.as_deref())?;
        }
    }
    Ok(d)
}

/// Builds the value's Python objects. A value repeated across results (`Code` "200",
/// `Message` "success", a role name) becomes one shared `str` object, as Python's own
/// interning would share it: about half the objects of a 100-result body.
struct Builder<'py> {
    py: Python<'py>,
    /// The last distinct values seen, most recent first.
    recent: Vec<(String, Bound<'py, PyString>)>,
}

impl<'py> Builder<'py> {
    const RECENT: usize = 8;

    fn new(py: Python<'py>) -> Self {
        Self {
            py,
            recent: Vec::with_capacity(Self::RECENT),
        }
    }

    /// A value that repeats often (codes, messages, role names): shared.
    fn text(
        &mut self,
        into: &Bound<'py, PyDict>,
        key: &Bound<'py, PyString>,
        value: Option<&str>,
    ) -> PyResult<()> {
        let Some(value) = value else { return Ok(()) };
        if let Some((_, s)) = self.recent.iter().find(|(v, _)| v == value) {
            return into.set_item(key, s);
        }
        let s = PyString::new(self.py, value);
        into.set_item(key, &s)?;
        if self.recent.len() == Self::RECENT {
            self.recent.pop();
        }
        self.recent.insert(0, (value.to_owned(), s));
        Ok(())
    }

    /// A value that is different every time (instance IDs).
    fn unique(
        &mut self,
        into: &Bound<'py, PyDict>,
        key: &Bound<'py, PyString>,
        value: Option<&str>,
    ) -> PyResult<()> {
        match value {
            Some(value) => into.set_item(key, PyString::new(self.py, value)),
            None => Ok(()),
        }
    }

    /// `{item: [...]}`.
    fn wrapped(
        &self,
        item: &Bound<'py, PyString>,
        items: Vec<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let inner = PyDict::new(self.py);
        inner.set_item(item, PyList::new(self.py, items)?)?;
        Ok(inner)
    }

    /// `InstanceRamRoleSets: {InstanceRamRoleSet: [...]}` when the list is present.
    fn role_sets(
        &mut self,
        into: &Bound<'py, PyDict>,
        sets: Option<&[ecs_ramrole::InstanceRamRoleSet<'_>]>,
    ) -> PyResult<()> {
        let Some(sets) = sets else { return Ok(()) };
        let py = self.py;
        let mut items = Vec::with_capacity(sets.len());
        for set in sets {
            let o = PyDict::new(py);
            self.unique(&o, intern!(py, "InstanceId"), set.instance_id.as_deref())?;
            self.text(&o, intern!(py, "RamRoleName"), set.ram_role_name.as_deref())?;
            items.push(o);
        }
        into.set_item(
            intern!(py, "InstanceRamRoleSets"),
            self.wrapped(intern!(py, "InstanceRamRoleSet"), items)?,
        )
    }
}

/// Sets `key` when `value` is present.
fn put<'py, V: IntoPyObject<'py>>(
    dict: &Bound<'py, PyDict>,
    key: &Bound<'py, PyString>,
    value: Option<V>,
) -> PyResult<()> {
    match value {
        Some(v) => dict.set_item(key, v),
        None => Ok(()),
    }
}

// ------------------------------------------------------------------------------------
// The server side
// ------------------------------------------------------------------------------------

/// Where secrets come from: a mapping read up front, or a callable asked per key.
enum Secrets<'py> {
    Map(Vec<(String, AccessKeySecret)>),
    Lookup(Bound<'py, PyAny>),
}

/// Decodes and verifies an incoming request as the service does.
#[pyfunction]
#[pyo3(signature = (method, path, query, headers, body, credentials))]
fn verify_request<'py>(
    py: Python<'py>,
    method: &Bound<'py, PyAny>,
    path: &Bound<'py, PyAny>,
    query: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
    body: &Bound<'py, PyAny>,
    credentials: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    guarded(py, || {
        let method = text(py, method, "method")?;
        let path = text(py, path, "path")?;
        let query = text(py, query, "query")?;
        let headers = string_pairs(py, headers, "headers")?;
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let body = if body.is_none() {
            Cow::Borrowed(&b""[..])
        } else {
            body_bytes(py, body, "body")?
        };
        let secrets = if credentials.is_callable() && credentials.cast::<PyMapping>().is_err() {
            Secrets::Lookup(credentials.clone())
        } else {
            let mut map = Vec::new();
            for (id, secret) in items(py, credentials, "credentials", false)? {
                let id = text(py, &id, "credentials")?;
                let secret = text(py, &secret, "credentials")?;
                let secret = AccessKeySecret::new(secret).map_err(|_| {
                    input_error(
                        py,
                        Kind::Constraint,
                        "credentials",
                        format!("credentials[{id:?}]: the secret must not be empty"),
                    )
                })?;
                map.push((id, secret));
            }
            Secrets::Map(map)
        };
        let failure: RefCell<Option<PyErr>> = RefCell::new(None);
        let secret_of = |id: &str| -> Option<AccessKeySecret> {
            match &secrets {
                Secrets::Map(map) => map.iter().find(|(k, _)| k == id).map(|(_, s)| s.clone()),
                Secrets::Lookup(lookup) => {
                    let found = lookup.call1((id,)).and_then(|v| {
                        if v.is_none() {
                            return Ok(None);
                        }
                        match v.cast::<PyString>() {
                            Ok(s) => Ok(AccessKeySecret::new(s.to_cow()?.into_owned()).ok()),
                            Err(_) => Err(PyTypeError::new_err(
                                "the credentials callable must return a str or None",
                            )),
                        }
                    });
                    found.unwrap_or_else(|e| {
                        failure.borrow_mut().get_or_insert(e);
                        None
                    })
                }
            }
        };
        let http = HttpRequest::new(&method, &path, &query, &headers, &body);
        let outcome = IncomingRequest::from_http(&http, secret_of);
        if let Some(e) = failure.into_inner() {
            return Err(e);
        }
        match outcome {
            Ok(incoming) => accepted(py, &incoming),
            Err(e) => Err(refused(py, &e)),
        }
    })
}

/// `operation`, `signature_version`, `params` (the operation's own, in the request
/// kind's shape), and who signed: `access_key_id`, `timestamp`, `nonce`; and `format`.
fn accepted<'py>(py: Python<'py>, incoming: &IncomingRequest) -> PyResult<Bound<'py, PyDict>> {
    let request = incoming.request();
    let action = request.action();
    let params = PyDict::new(py);
    for (name, wire) in request.params() {
        match action.param(name).map(|spec| spec.rule) {
            Some(Rule::Integer { .. }) => match wire.parse::<u64>() {
                Ok(n) => params.set_item(name, n)?,
                Err(_) => params.set_item(name, wire.as_ref())?,
            },
            Some(Rule::InstanceIds) => match instance_ids(request) {
                Some(ids) => params.set_item(name, PyList::new(py, ids.ids())?)?,
                None => params.set_item(name, wire.as_ref())?,
            },
            _ => params.set_item(name, wire.as_ref())?,
        }
    }
    let d = PyDict::new(py);
    d.set_item(intern!(py, "operation"), action.as_str())?;
    let signer = incoming.signer();
    let version = match signer.map(|s| s.algorithm()) {
        Some(Algorithm::Acs3HmacSha256) => V3_ALGORITHM,
        _ => SIGNATURE_VERSION,
    };
    d.set_item(intern!(py, "signature_version"), version)?;
    d.set_item(intern!(py, "params"), params)?;
    d.set_item(
        intern!(py, "access_key_id"),
        signer.map(|s| s.access_key_id()),
    )?;
    d.set_item(
        intern!(py, "timestamp"),
        signer.map(|s| s.timestamp().as_str()),
    )?;
    d.set_item(intern!(py, "nonce"), signer.map(|s| s.nonce()))?;
    d.set_item(intern!(py, "format"), incoming.format().map(|f| f.as_str()))?;
    Ok(d)
}

fn instance_ids(request: &Request) -> Option<&InstanceIds> {
    match request {
        Request::Attach(r) => Some(r.instance_ids()),
        Request::Detach(r) => Some(r.instance_ids()),
        Request::Describe(r) => r.instance_ids(),
        _ => None,
    }
}

// ------------------------------------------------------------------------------------
// The module
// ------------------------------------------------------------------------------------

/// Panics, for the test that a panic reaches Python as `ecs_ramrole.Error`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guarded(py, || panic!("a deliberate panic"))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PySignedRequest>()?;
    m.add_class::<PyEncodedRequest>()?;
    m.add_function(wrap_pyfunction!(sign_request, m)?)?;
    m.add_function(wrap_pyfunction!(encode_request, m)?)?;
    m.add_function(wrap_pyfunction!(sign_params, m)?)?;
    m.add_function(wrap_pyfunction!(sign_v3, m)?)?;
    m.add_function(wrap_pyfunction!(decode_response, m)?)?;
    m.add_function(wrap_pyfunction!(verify_request, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    let operations: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    m.add("OPERATIONS", PyTuple::new(py, operations)?)?;
    let algorithms: Vec<&str> = Algorithm::ALL.iter().map(|a| a.as_str()).collect();
    m.add("ALGORITHMS", PyTuple::new(py, algorithms)?)?;
    m.add("API_VERSION", API_VERSION)?;
    m.add("DEFAULT_HOST", DEFAULT_HOST)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
