# The model service from the lesson ch03-dockerfiles: nothing to report.
FROM python:3.12-slim-bookworm

RUN useradd --create-home --uid 10001 appuser
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY serve.py model.json ./

USER appuser
ENV PORT=8080
EXPOSE 8080

ARG VERSION=dev
LABEL org.opencontainers.image.title="model-api" \
      org.opencontainers.image.version="${VERSION}"

ENTRYPOINT ["python3"]
CMD ["serve.py"]
