FROM debian:bookworm-slim

RUN apt-get update \
    # curl fetches the model at start-up
    && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
    && rm -rf /var/lib/apt/lists/*

RUN apt-get update
RUN apt-get install -y jq

RUN apt-get update && apt-get -qq install \
        python3 python3-pip

USER 10001
LABEL version=1.0.0
