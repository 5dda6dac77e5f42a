output "url" {
  description = "AMQP_URL (amqps, the cluster's load-balanced endpoint)."
  value       = replace(aws_mq_broker.this.instances[0].endpoints[0], "amqps://", "amqps://airline:${random_password.broker.result}@")
  sensitive   = true
}

output "broker_name" {
  description = "The broker (CloudWatch dimension)."
  value       = aws_mq_broker.this.broker_name
}
