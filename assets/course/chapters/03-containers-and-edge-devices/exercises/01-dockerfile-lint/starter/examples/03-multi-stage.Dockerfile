# syntax=docker/dockerfile:1
# Build a wheel in a full image, ship it in a slim one.
FROM python:3.12-bookworm AS builder
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM builder AS tested
RUN cd /src && python3 -m unittest discover

FROM python:3.12-slim-bookworm
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
RUN useradd --uid 10001 app
USER app
LABEL version="2.3.0"
ENTRYPOINT ["churn-api"]
