"""Runs admin and offset-lookup calls of one Python Kafka client and prints what the client reports.

Usage: admin.py confluent|kafka-python BOOTSTRAP STEP [STEP...]

Each STEP is a JSON object naming a call and its arguments; for each, one JSON line is printed to
stdout with the client's answer (or {"error": ...} with the client's error, for a call expected to fail):

  {"call": "describe_topic", "topic": t, "keys": [...]}        topic configs: name -> value, source, read-only, synonyms
  {"call": "describe_broker", "broker": "1", "keys": [...]}    broker configs, the same way
  {"call": "alter_topic", "topic": t, "configs": {k: v}, "validate_only": false}
  {"call": "create_partitions", "topic": t, "count": n, "validate_only": false}
  {"call": "offsets_for_times", "topic": t, "partition": p, "timestamp": ms}   -> {"offset", "timestamp"}
  {"call": "watermarks", "topic": t, "partition": p}            -> {"low", "high"} (beginning/end offsets)
  {"call": "consume", "topic": t, "partition": p, "offset": "beginning"|n, "count": n}
                                                                -> records read with assign(): offset, timestamp, value

Exits non-zero with the reason on stderr when a call that is not expected to fail fails.
"""

import json
import sys
import time

TIMEOUT_S = 15.0


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fail(message):
    sys.stderr.write(f"admin.py: {message}\n")
    sys.exit(1)


# ---- confluent-kafka (librdkafka) ----


def confluent(bootstrap, steps):
    from confluent_kafka import Consumer, KafkaException, TopicPartition
    from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions

    admin = AdminClient({"bootstrap.servers": bootstrap})

    def entries(resource, keys):
        future = admin.describe_configs([resource], request_timeout=TIMEOUT_S)[resource]
        configs = future.result(timeout=TIMEOUT_S)
        out = {}
        for name, entry in configs.items():
            if keys and name not in keys:
                continue
            out[name] = {
                "value": entry.value,
                "source": entry.source,
                "read_only": entry.is_read_only,
                "is_default": entry.is_default,
                "synonyms": sorted(
                    [[s.name, s.value, s.source] for s in entry.synonyms.values()], key=lambda s: (s[2], s[0])
                ),
            }
        return out

    consumer = None

    def get_consumer():
        nonlocal consumer
        if consumer is None:
            consumer = Consumer(
                {
                    "bootstrap.servers": bootstrap,
                    "group.id": "tributary-admin-test",
                    "enable.auto.commit": False,
                    "enable.partition.eof": True,
                }
            )
        return consumer

    for step in steps:
        call = step["call"]
        try:
            if call == "describe_topic":
                emit(entries(ConfigResource("topic", step["topic"]), step.get("keys")))
            elif call == "describe_broker":
                emit(entries(ConfigResource("broker", step["broker"]), step.get("keys")))
            elif call == "alter_topic":
                resource = ConfigResource("topic", step["topic"], set_config=step["configs"])
                future = admin.alter_configs(
                    [resource], request_timeout=TIMEOUT_S, validate_only=step.get("validate_only", False)
                )[resource]
                future.result(timeout=TIMEOUT_S)
                emit({"ok": True})
            elif call == "create_partitions":
                new = NewPartitions(step["topic"], step["count"])
                futures = admin.create_partitions(
                    [new], request_timeout=TIMEOUT_S, validate_only=step.get("validate_only", False)
                )
                futures[step["topic"]].result(timeout=TIMEOUT_S)
                emit({"ok": True})
            elif call == "offsets_for_times":
                tp = TopicPartition(step["topic"], step["partition"], step["timestamp"])
                found = get_consumer().offsets_for_times([tp], timeout=TIMEOUT_S)[0]
                emit({"offset": found.offset, "error": None if found.error is None else str(found.error)})
            elif call == "watermarks":
                low, high = get_consumer().get_watermark_offsets(
                    TopicPartition(step["topic"], step["partition"]), timeout=TIMEOUT_S
                )
                emit({"low": low, "high": high})
            elif call == "consume":
                emit(confluent_consume(get_consumer(), step))
            else:
                fail(f"unknown call {call}")
        except KafkaException as error:
            if not step.get("expect_error"):
                fail(f"{call} failed: {error}")
            err = error.args[0]
            emit({"error": err.name(), "message": err.str()})
    if consumer is not None:
        consumer.close()


def confluent_consume(consumer, step):
    from confluent_kafka import OFFSET_BEGINNING, KafkaError, TopicPartition

    offset = OFFSET_BEGINNING if step["offset"] == "beginning" else step["offset"]
    consumer.assign([TopicPartition(step["topic"], step["partition"], offset)])
    records = []
    deadline = time.monotonic() + TIMEOUT_S
    while len(records) < step["count"]:
        if time.monotonic() > deadline:
            fail(f"read {len(records)} of {step['count']} records within {TIMEOUT_S} s")
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error() is not None:
            if msg.error().code() == KafkaError._PARTITION_EOF:
                continue
            fail(f"consume failed: {msg.error()}")
        timestamp_type, timestamp = msg.timestamp()
        records.append(
            {"offset": msg.offset(), "timestamp": timestamp, "type": timestamp_type, "value": msg.value().decode()}
        )
    consumer.unassign()
    return records


# ---- kafka-python ----


def kafka_python(bootstrap, steps):
    from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
    from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions
    from kafka.errors import KafkaError

    admin = KafkaAdminClient(bootstrap_servers=bootstrap.split(","), request_timeout_ms=int(TIMEOUT_S * 1000))
    consumer = None

    def get_consumer():
        nonlocal consumer
        if consumer is None:
            consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), group_id=None, enable_auto_commit=False)
        return consumer

    def entries(resource, keys):
        responses = admin.describe_configs([resource], include_synonyms=True)
        out = {}
        for response in responses:
            for error_code, error_message, _type, _name, configs in response.resources:
                if error_code != 0:
                    return {"error": error_code, "message": error_message}
                for entry in configs:
                    name, value, read_only = entry[0], entry[1], entry[2]
                    if keys and name not in keys:
                        continue
                    # DescribeConfigs v1+: name, value, read_only, config_source, is_sensitive, synonyms
                    source = entry[3] if len(entry) > 5 else None
                    synonyms = entry[5] if len(entry) > 5 else []
                    out[name] = {
                        "value": value,
                        "source": source,
                        "read_only": read_only,
                        "synonyms": sorted([[s[0], s[1], s[2]] for s in synonyms], key=lambda s: (s[2], s[0])),
                    }
        return out

    for step in steps:
        call = step["call"]
        try:
            if call == "describe_topic":
                emit(entries(ConfigResource(ConfigResourceType.TOPIC, step["topic"]), step.get("keys")))
            elif call == "describe_broker":
                emit(entries(ConfigResource(ConfigResourceType.BROKER, step["broker"]), step.get("keys")))
            elif call == "alter_topic":
                response = admin.alter_configs(
                    [ConfigResource(ConfigResourceType.TOPIC, step["topic"], configs=step["configs"])]
                )
                code, message = response.resources[0][0], response.resources[0][1]
                if code != 0:
                    if not step.get("expect_error"):
                        fail(f"alter_topic failed: {code} {message}")
                    emit({"error": code, "message": message})
                else:
                    emit({"ok": True})
            elif call == "create_partitions":
                response = admin.create_partitions(
                    {step["topic"]: NewPartitions(total_count=step["count"])},
                    validate_only=step.get("validate_only", False),
                )
                _name, code, message = response.topic_errors[0]
                if code != 0:
                    if not step.get("expect_error"):
                        fail(f"create_partitions failed: {code} {message}")
                    emit({"error": code, "message": message})
                else:
                    emit({"ok": True})
            elif call == "offsets_for_times":
                tp = TopicPartition(step["topic"], step["partition"])
                found = get_consumer().offsets_for_times({tp: step["timestamp"]})[tp]
                emit(None if found is None else {"offset": found.offset, "timestamp": found.timestamp})
            elif call == "watermarks":
                tp = TopicPartition(step["topic"], step["partition"])
                c = get_consumer()
                emit({"low": c.beginning_offsets([tp])[tp], "high": c.end_offsets([tp])[tp]})
            elif call == "consume":
                emit(kafka_python_consume(get_consumer(), step))
            else:
                fail(f"unknown call {call}")
        except KafkaError as error:
            if not step.get("expect_error"):
                fail(f"{call} failed: {error!r}")
            emit({"error": type(error).__name__, "message": str(error)})
    admin.close()
    if consumer is not None:
        consumer.close(autocommit=False)


def kafka_python_consume(consumer, step):
    from kafka import TopicPartition

    tp = TopicPartition(step["topic"], step["partition"])
    consumer.assign([tp])
    if step["offset"] == "beginning":
        consumer.seek_to_beginning(tp)
    else:
        consumer.seek(tp, step["offset"])
    records = []
    deadline = time.monotonic() + TIMEOUT_S
    while len(records) < step["count"]:
        if time.monotonic() > deadline:
            fail(f"read {len(records)} of {step['count']} records within {TIMEOUT_S} s")
        for batch in consumer.poll(timeout_ms=200).values():
            for r in batch:
                records.append(
                    {"offset": r.offset, "timestamp": r.timestamp, "type": r.timestamp_type, "value": r.value.decode()}
                )
    return records


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("confluent", "kafka-python"):
        fail("usage: admin.py confluent|kafka-python BOOTSTRAP STEP [STEP...]")
    library, bootstrap = sys.argv[1], sys.argv[2]
    steps = [json.loads(s) for s in sys.argv[3:]]
    if library == "confluent":
        confluent(bootstrap, steps)
    else:
        kafka_python(bootstrap, steps)


if __name__ == "__main__":
    main()
