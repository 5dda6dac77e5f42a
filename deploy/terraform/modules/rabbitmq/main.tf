# Amazon MQ for RabbitMQ as a three-node cluster across zones, private, over TLS (amqps on
# 5671). RabbitMQ 4.2 on Amazon MQ declares quorum queues by default: the services declare
# theirs without a type, so each is replicated on the three nodes and keeps a majority through
# one node's loss (as `default_queue_type = quorum` does in deploy/k8s/base/rabbitmq.yaml).

resource "random_password" "broker" {
  length = 32
  # Spliced into AMQP_URL; Amazon MQ refuses commas, colons and equals signs anyway.
  special = false
}

resource "aws_mq_broker" "this" {
  broker_name        = var.name
  engine_type        = "RabbitMQ"
  engine_version     = var.engine_version
  host_instance_type = var.instance_type
  deployment_mode    = "CLUSTER_MULTI_AZ"

  subnet_ids          = var.subnet_ids
  security_groups     = [var.security_group_id]
  publicly_accessible = false

  auto_minor_version_upgrade = true

  user {
    username = "airline"
    password = random_password.broker.result
  }

  logs {
    general = true
  }

  maintenance_window_start_time {
    day_of_week = "SUNDAY"
    time_of_day = "03:00"
    time_zone   = "UTC"
  }
}
