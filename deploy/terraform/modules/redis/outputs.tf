output "url" {
  description = "REDIS_URL (TLS, auth token)."
  value       = "rediss://:${random_password.auth.result}@${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
  sensitive   = true
}

output "replication_group_id" {
  description = "The replication group (CloudWatch dimension)."
  value       = aws_elasticache_replication_group.this.id
}
