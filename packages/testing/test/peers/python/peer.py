"""Produces messages to a Kafka cluster with one Python client, then reads the topic back.

Usage: peer.py confluent|kafka-python BOOTSTRAP TOPIC < messages.jsonl

Reads the messages to produce from stdin, one JSON object a line:
  {"key": base64|null, "value": base64|null, "headers": [[name, base64|null], ...], "timestamp": ms}
and produces them in order. Then prints JSON lines to stdout:
  {"event": "delivered", "index": i, "partition": p, "offset": o}   for every message, in input order
  {"event": "consumed", "partition": p, "offset": o, "timestamp": ms, "timestampType": t,
   "key": ..., "value": ..., "headers": [...]}                       for every record read back
Reading back assigns every partition of the topic directly (no consumer group, no commits) from
the beginning up to the end offset each partition had when the producer finished.

Exits non-zero with the reason on stderr when a delivery fails or anything takes too long.
"""

import base64
import json
import sys
import time

TIMEOUT_S = 15.0


def b64(data):
    return None if data is None else base64.b64encode(data).decode("ascii")


def unb64(text):
    return None if text is None else base64.b64decode(text)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")


def fail(message):
    sys.stderr.write(f"peer.py: {message}\n")
    sys.exit(1)


def read_messages():
    messages = []
    for line in sys.stdin:
        if line.strip():
            m = json.loads(line)
            messages.append(
                {
                    "key": unb64(m["key"]),
                    "value": unb64(m["value"]),
                    "headers": [(name, unb64(value)) for name, value in m["headers"]],
                    "timestamp": m["timestamp"],
                }
            )
    return messages


def consumed(partition, offset, timestamp, timestamp_type, key, value, headers):
    emit(
        {
            "event": "consumed",
            "partition": partition,
            "offset": offset,
            "timestamp": timestamp,
            "timestampType": timestamp_type,
            "key": b64(key),
            "value": b64(value),
            "headers": [[name, b64(v)] for name, v in (headers or [])],
        }
    )


def keep_none_alive(headers):
    """Works around confluent-kafka-python before 1.8.2 (Debian 12 ships 1.7.0), whose
    Message.headers() returns None header values without a reference to None: after enough of them
    the interpreter aborts with "deallocating None" (confluent-kafka-python issue 1191). Taking the
    missing references is harmless where the bug is fixed."""
    import ctypes

    for _, value in headers or []:
        if value is None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))


def run_confluent(bootstrap, topic, messages):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Producer, TopicPartition

    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": 5,
        }
    )
    delivered = [None] * len(messages)
    errors = []

    def on_delivery(index):
        def report(err, msg):
            if err is not None:
                errors.append(f"message {index}: {err}")
            else:
                delivered[index] = (msg.partition(), msg.offset())

        return report

    for i, m in enumerate(messages):
        while True:
            try:
                producer.produce(
                    topic,
                    key=m["key"],
                    value=m["value"],
                    headers=m["headers"],
                    timestamp=m["timestamp"],
                    on_delivery=on_delivery(i),
                )
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    remaining = producer.flush(TIMEOUT_S)
    if remaining > 0:
        fail(f"{remaining} message(s) not delivered within {TIMEOUT_S} s")
    if errors:
        fail("delivery failed: " + "; ".join(errors[:10]))
    for i, (partition, offset) in enumerate(delivered):
        emit({"event": "delivered", "index": i, "partition": partition, "offset": offset})

    # librdkafka's consumer requires a group.id, but with assign() and no commits it never joins
    # the group or commits: the mock needs no group coordinator.
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "tributary-peer-test",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "enable.partition.eof": True,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        partitions = sorted(consumer.list_topics(topic, timeout=TIMEOUT_S).topics[topic].partitions)
        ends = {}
        for p in partitions:
            _, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT_S)
            ends[p] = high
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        pending = {p for p in partitions if ends[p] > 0}
        deadline = time.monotonic() + TIMEOUT_S
        while pending:
            if time.monotonic() > deadline:
                fail(f"partitions {sorted(pending)} not read to their end within {TIMEOUT_S} s")
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error() is not None:
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                fail(f"consume failed: {msg.error()}")
            timestamp_type, timestamp = msg.timestamp()
            headers = msg.headers()
            keep_none_alive(headers)
            consumed(msg.partition(), msg.offset(), timestamp, timestamp_type, msg.key(), msg.value(), headers)
            if msg.offset() + 1 >= ends[msg.partition()]:
                pending.discard(msg.partition())
    finally:
        consumer.close()


def run_kafka_python(bootstrap, topic, messages):
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    # kafka-python 2.0.2 has no idempotent producer; acks=all and one request in flight keep the
    # order. api_version is deliberately not pinned: kafka-python probes the broker (ApiVersions v0)
    # and infers the Kafka version from the ranges advertised (2.4 from Produce v8 here), which is
    # part of what this test checks. It then sends Produce v7, Fetch v4, ListOffsets v1, Metadata v1.
    producer = KafkaProducer(
        bootstrap_servers=bootstrap.split(","),
        acks="all",
        linger_ms=5,
        max_in_flight_requests_per_connection=1,
    )
    futures = []
    for m in messages:
        futures.append(
            producer.send(
                topic,
                key=m["key"],
                value=m["value"],
                headers=m["headers"],
                timestamp_ms=m["timestamp"],
            )
        )
    producer.flush(TIMEOUT_S)
    delivered = []
    for i, future in enumerate(futures):
        try:
            metadata = future.get(timeout=TIMEOUT_S)
        except Exception as error:  # any failure, reported with the message index
            fail(f"message {i}: {error!r}")
        delivered.append((metadata.partition, metadata.offset))
    producer.close(TIMEOUT_S)
    for i, (partition, offset) in enumerate(delivered):
        emit({"event": "delivered", "index": i, "partition": partition, "offset": offset})

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            fail(f"no partitions for topic {topic}")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        deadline = time.monotonic() + TIMEOUT_S
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            if time.monotonic() > deadline:
                behind = [tp.partition for tp in tps if consumer.position(tp) < ends[tp]]
                fail(f"partitions {behind} not read to their end within {TIMEOUT_S} s")
            for tp, records in consumer.poll(timeout_ms=500).items():
                for r in records:
                    consumed(tp.partition, r.offset, r.timestamp, r.timestamp_type, r.key, r.value, r.headers)
    finally:
        consumer.close(autocommit=False)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("confluent", "kafka-python"):
        fail("usage: peer.py confluent|kafka-python BOOTSTRAP TOPIC < messages.jsonl")
    library, bootstrap, topic = sys.argv[1:]
    messages = read_messages()
    if library == "confluent":
        run_confluent(bootstrap, topic, messages)
    else:
        run_kafka_python(bootstrap, topic, messages)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
