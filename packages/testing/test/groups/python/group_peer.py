"""Consumes a topic as a member of a consumer group with one Python client, committing each record.

Usage: group_peer.py confluent|kafka-python BOOTSTRAP GROUP TOPIC [ASSIGNMENT_STRATEGY]

Subscribes to TOPIC in GROUP (from the beginning when the group has no committed offset) and prints
JSON lines to stdout, flushed as they happen:
  {"event": "assigned", "partitions": [p, ...]}     the rebalance listener's on_assign
  {"event": "revoked", "partitions": [p, ...]}      the rebalance listener's on_revoke
  {"event": "message", "partition": p, "offset": o, "value": text}
  {"event": "committed", "partition": p, "offset": o + 1}   after a synchronous commit of the record
  {"event": "closed"}                               after SIGTERM: the consumer closed (left the group)
Runs until SIGTERM (graceful: close() leaves the group) or SIGKILL (a crash).
"""

import json
import signal
import sys

stopping = False


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def on_term(_signum, _frame):
    global stopping
    stopping = True


def run_confluent(bootstrap, group, topic, strategy):
    from confluent_kafka import Consumer, KafkaException

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "client.id": "confluent-member",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 300,
            "partition.assignment.strategy": strategy or "range",
            "fetch.wait.max.ms": 100,
        }
    )

    def on_assign(c, partitions):
        emit({"event": "assigned", "partitions": sorted(p.partition for p in partitions)})

    def on_revoke(c, partitions):
        emit({"event": "revoked", "partitions": sorted(p.partition for p in partitions)})

    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    while not stopping:
        msg = consumer.poll(0.1)
        if msg is None:
            continue
        if msg.error():
            emit({"event": "error", "error": str(msg.error())})
            continue
        emit({"event": "message", "partition": msg.partition(), "offset": msg.offset(), "value": msg.value().decode()})
        try:
            committed = consumer.commit(message=msg, asynchronous=False)
            for tp in committed or []:
                emit({"event": "committed", "partition": tp.partition, "offset": tp.offset})
        except KafkaException as e:
            emit({"event": "commit-failed", "error": str(e)})
    consumer.close()
    emit({"event": "closed"})


def run_kafka_python(bootstrap, group, topic, strategy):
    from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
    from kafka.errors import CommitFailedError
    from kafka.structs import OffsetAndMetadata

    class Listener(ConsumerRebalanceListener):
        def on_partitions_revoked(self, revoked):
            emit({"event": "revoked", "partitions": sorted(tp.partition for tp in revoked)})

        def on_partitions_assigned(self, assigned):
            emit({"event": "assigned", "partitions": sorted(tp.partition for tp in assigned)})

    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        group_id=group,
        client_id="kafka-python-member",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=6000,
        heartbeat_interval_ms=300,
        fetch_max_wait_ms=100,
    )
    consumer.subscribe([topic], listener=Listener())
    while not stopping:
        batches = consumer.poll(timeout_ms=100)
        for tp, records in batches.items():
            for r in records:
                emit({"event": "message", "partition": r.partition, "offset": r.offset, "value": r.value.decode()})
                try:
                    consumer.commit({TopicPartition(topic, r.partition): OffsetAndMetadata(r.offset + 1, None)})
                    emit({"event": "committed", "partition": r.partition, "offset": r.offset + 1})
                except CommitFailedError as e:
                    emit({"event": "commit-failed", "error": str(e)})
    consumer.close()
    emit({"event": "closed"})


def main():
    signal.signal(signal.SIGTERM, on_term)
    library, bootstrap, group, topic = sys.argv[1:5]
    strategy = sys.argv[5] if len(sys.argv) > 5 else None
    if library == "confluent":
        run_confluent(bootstrap, group, topic, strategy)
    elif library == "kafka-python":
        run_kafka_python(bootstrap, group, topic, strategy)
    else:
        sys.stderr.write(f"unknown library {library}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
