output "alb_security_group_id" {
  description = "The load balancer's group."
  value       = aws_security_group.alb.id
}

output "service_security_group_ids" {
  description = "Each service's group, by service name."
  value       = { for name, group in aws_security_group.service : name => group.id }
}

output "migrate_security_group_id" {
  description = "The migration task's group."
  value       = aws_security_group.migrate.id
}

output "postgres_security_group_id" {
  description = "RDS PostgreSQL's group."
  value       = aws_security_group.store["postgres"].id
}

output "redis_security_group_id" {
  description = "ElastiCache Redis's group."
  value       = aws_security_group.store["redis"].id
}

output "rabbitmq_security_group_id" {
  description = "Amazon MQ's group."
  value       = aws_security_group.store["rabbitmq"].id
}
