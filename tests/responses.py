"""Comparing two answers as a client would: did the server tell them apart?

``comparable`` keeps what a client can see (status, content type, redirect target, body) and drops what changes
from one request to the next anyway (CSRF tokens, script nonces, a file's generation time, the time a dashboard's
figures were computed) and what the client itself asked for wherever the page repeats it (the URL, a search term,
a filter value), in every encoding a page may repeat it in.
"""

import re
from urllib.parse import quote, quote_plus

CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|name="csrf-token" content=")[^"]*"')
# The Content-Security-Policy nonce of a page's inline scripts and styles: new on every answer.
NONCE = re.compile(rb'( nonce=")[^"]*"')
# The moment a file (an IATI file) says it was generated: the time of the answer.
GENERATED = re.compile(rb'( generated-datetime=")[^"]*"')
# The moment a dashboard's figures were computed (the time of the answer where it computes them).
COMPUTED = re.compile(rb'(id="figures-as-of" role="status"><small>)[^<]*')


def comparable(response, asked=()) -> tuple:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = GENERATED.sub(rb'\1"', NONCE.sub(rb'\1"', CSRF.sub(rb'\1"', body)))
    body = COMPUTED.sub(rb"\1", body)
    location = response.get("Location", "").encode()
    forms = {form for value in asked for form in (value, quote(value, safe=""), quote(value), quote_plus(value))}
    for form in sorted(forms - {""}, key=len, reverse=True):
        body = body.replace(form.encode(), b"<asked>")
        location = location.replace(form.encode(), b"<asked>")
    return response.status_code, response.get("Content-Type"), location, body
