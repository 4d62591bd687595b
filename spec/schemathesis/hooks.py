"""Schemathesis checks of our own (loaded with SCHEMATHESIS_HOOKS): every error is a problem
document (RFC 9457) with a stable `E_…` code."""

import json

import schemathesis


@schemathesis.check
def problem_json_for_errors(ctx, response, case):
    """A 4xx or 5xx answer is `application/problem+json` with `code` `E_…`, `title` and `status`."""
    if response.status_code < 400:
        return None
    types = response.headers.get("content-type", [])
    if not any(t.split(";")[0].strip() == "application/problem+json" for t in types):
        raise AssertionError(f"error {response.status_code} is {types}, not application/problem+json")
    try:
        body = json.loads(response.content)
    except ValueError as e:
        raise AssertionError(f"error {response.status_code}: the problem document is not JSON ({e})")
    code = body.get("code") if isinstance(body, dict) else None
    if not (isinstance(code, str) and code.startswith("E_")):
        raise AssertionError(f"error {response.status_code} without an E_ code: {body!r}")
    if body.get("status") != response.status_code:
        raise AssertionError(f"problem status {body.get('status')!r} is not {response.status_code}")
    if not isinstance(body.get("title"), str):
        raise AssertionError(f"problem without a title: {body!r}")
    return None
