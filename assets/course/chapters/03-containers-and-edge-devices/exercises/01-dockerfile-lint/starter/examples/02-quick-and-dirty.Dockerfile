# Written in a hurry on a Friday afternoon.
FROM python:latest

RUN apt-get install libgomp1
ADD . /app
RUN cd /app && pip install -r requirements.txt

CMD python3 /app/serve.py
