"""schemathesis hooks of scripts/contract: evidence uploads are raw bytes (a PDF or a photo)."""

from schemathesis.transport.requests import REQUESTS_TRANSPORT, binary_serializer

REQUESTS_TRANSPORT.serializer("application/pdf", "image/jpeg", "image/png")(binary_serializer)
