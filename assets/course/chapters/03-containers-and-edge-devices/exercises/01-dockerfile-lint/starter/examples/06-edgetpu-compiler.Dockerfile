# The Edge TPU Compiler runs on Debian-based x86-64 Linux only: wrap it in a container
# (the lesson ch03-edge-devices). Add Coral's apt repository as its documentation describes.
FROM --platform=linux/amd64 debian:bookworm-slim

RUN apt-get update && apt-get install -y --no-install-recommends curl gnupg ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# ... add the Coral package repository and its signing key here ...
RUN apt-get update && apt-get install -y edgetpu-compiler

WORKDIR /work
LABEL org.opencontainers.image.title="edgetpu-compiler" org.opencontainers.image.version="16.0"
ENTRYPOINT ["edgetpu_compiler"]
