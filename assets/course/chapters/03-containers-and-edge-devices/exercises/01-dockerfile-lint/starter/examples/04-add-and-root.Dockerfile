FROM ubuntu:24.04

ADD https://example.com/models/resnet50-v2.onnx /models/
ADD vendor/runtime-1.18.tar.gz /opt/
ADD --chown=app:app config.yaml /etc/app/

RUN useradd app
USER app
COPY entrypoint.sh /
# Installing at start-up needs root, "just for now".
USER root

LABEL org.opencontainers.image.version="0.9.1" org.opencontainers.image.vendor="ACME"
ENTRYPOINT ["/entrypoint.sh"]
