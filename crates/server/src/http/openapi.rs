//! Keeps the OpenAPI document honest about errors. Each handler documents the errors of its own
//! logic; the ones that come from the shape of a request (a body, parameters, a session, a
//! state change) or from the server itself are added here to every operation they can reach,
//! described by the error codes that answer with each status, so a fuzzer's schema checks
//! hold for every answer the API can give.

use rekey_core::error::ErrorCode;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};

/// The error codes an operation can answer whatever its own logic does.
fn shape_codes(operation: &Operation, changes_state: bool) -> Vec<ErrorCode> {
    let mut codes = vec![ErrorCode::Internal, ErrorCode::Unavailable];
    let documented = |status: &str| operation.responses.responses.contains_key(status);
    if operation.request_body.is_some() {
        codes.extend([
            ErrorCode::InvalidJson,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::ValidationFailed,
        ]);
    }
    let takes_parameters = operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query));
    if takes_parameters {
        codes.push(ErrorCode::InvalidParameter);
    }
    if changes_state {
        // The same-site check (`http::origin`) and, with a session, the CSRF token.
        codes.push(ErrorCode::CsrfFailed);
    }
    if documented("401") {
        // Signed in: the role, or a password change due first.
        codes.extend([ErrorCode::Forbidden, ErrorCode::PasswordChangeRequired]);
    }
    codes
}

/// Adds every status `shape_codes` can answer and the operation does not document yet.
pub fn document_errors(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false),
            (&mut item.put, true),
            (&mut item.post, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (operation, changes_state) in operations {
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            for code in shape_codes(operation, changes_state) {
                let status = code.http_status().to_string();
                let responses = &mut operation.responses.responses;
                if !responses.contains_key(&status) {
                    responses.insert(status.clone(), error_response(code.http_status()).into());
                }
            }
        }
    }
}

/// An error answer with `status`, described by every code that answers with it.
fn error_response(status: u16) -> utoipa::openapi::Response {
    let codes: Vec<String> = ErrorCode::ALL
        .into_iter()
        .filter(|c| c.http_status() == status)
        .map(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
        .collect();
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ApiError")))
        .build();
    ResponseBuilder::new()
        .description(codes.join(", "))
        .content("application/json", content)
        .build()
}
