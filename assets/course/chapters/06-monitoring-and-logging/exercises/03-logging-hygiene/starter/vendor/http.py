"""vendor/http.py: a stand-in for a third-party HTTP client (think urllib3 or requests).

It "downloads" a JSON document from a model store; here the store is the local disk. Like a
well-behaved library, it logs through its own logger, "vendor.http", and configures nothing:
what reaches the screen is the application's decision. Not yours to edit: kaizen restores this
file before every check.
"""
import json
import logging

log = logging.getLogger("vendor.http")
log.addHandler(logging.NullHandler())

CHUNK_BYTES = 128


def fetch_json(url):
    """Return the JSON document at url (a file path here), logging like a chatty HTTP client."""
    log.debug("starting new connection for %s", url)
    log.debug("sending GET %s with 3 headers", url)
    data = b""
    with open(url, "rb") as f:
        while True:
            chunk = f.read(CHUNK_BYTES)
            if not chunk:
                break
            data += chunk
            log.debug("received %d bytes (%d so far)", len(chunk), len(data))
    log.info("GET %s: 200, %d bytes", url, len(data))
    log.warning("response for %s has no cache headers; it will be downloaded again next time", url)
    log.debug("connection returned to the pool")
    return json.loads(data.decode("utf-8"))
