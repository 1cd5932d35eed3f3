//! HTTP/1.1 framing for the wire server: accepting connections, reading
//! (and un-gzipping) request bodies, writing JSON answers.
//!
//! Everything about Snowflake's protocol is in `routes.rs` and
//! `protocol.rs`; this module only turns hyper requests into
//! [`Request`]s and [`Answer`]s into hyper responses.

use std::convert::Infallible;
use std::future::Future;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HOST, HeaderValue};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use super::Warnings;
use super::protocol;
use super::routes::{Answer, Body, Request, Routes};

/// The largest request body accepted, compressed or not.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Serves connections from `listener` until `shutdown` completes; then
/// stops accepting and drops every open connection.
pub(super) async fn accept_until(
    listener: TcpListener,
    routes: Arc<Routes>,
    warnings: Warnings,
    shutdown: impl Future<Output = ()>,
) {
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
        match accepted {
            Ok((stream, _peer)) => {
                let routes = Arc::clone(&routes);
                connections.spawn(async move {
                    let service = service_fn(move |request| respond(Arc::clone(&routes), request));
                    // A client hanging up mid-request is its own business.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Err(error) => {
                // Out of file descriptors and the like: wait, then go on serving.
                warnings.warn(&format!("accepting a connection failed: {error}"));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    connections.abort_all();
}

async fn respond(
    routes: Arc<Routes>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let answer = match decode(request).await {
        Ok(request) => routes.answer(&request).await,
        Err(refused) => refused,
    };
    Ok(encode(&answer))
}

/// Reads a hyper request into a [`Request`], un-gzipping its body.
async fn decode(request: hyper::Request<Incoming>) -> Result<Request, Answer> {
    let (parts, body) = request.into_parts();
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let authorization = header(AUTHORIZATION);
    let host = header(HOST);
    let encoding = header(CONTENT_ENCODING);
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let bytes = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| refuse(413, "the request body is too large or was cut off"))?
        .to_bytes();
    let body = match encoding.as_deref().map(str::trim) {
        Some(e) if e.eq_ignore_ascii_case("gzip") => gunzip(&bytes)?,
        None | Some("") => bytes.to_vec(),
        Some(e) if e.eq_ignore_ascii_case("identity") => bytes.to_vec(),
        Some(other) => {
            return Err(refuse(
                415,
                &format!("content encoding `{other}` is not supported"),
            ));
        }
    };
    Ok(Request {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query,
        authorization,
        host,
        body,
    })
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, Answer> {
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|_| refuse(400, "the gzip request body is corrupt"))?;
    if body.len() > MAX_BODY {
        return Err(refuse(413, "the request body is too large"));
    }
    Ok(body)
}

fn refuse(status: u16, message: &str) -> Answer {
    Answer::status(status, protocol::BAD_REQUEST, message)
}

fn encode(answer: &Answer) -> hyper::Response<Full<Bytes>> {
    let (body, content_type) = match &answer.body {
        Body::Json(value) => (
            serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec()),
            "application/json",
        ),
        Body::Text(text) => (text.clone().into_bytes(), "text/plain"),
    };
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
