output "cluster_name" {
  description = "The ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "The ECS services, one per process."
  value       = [for service in aws_ecs_service.this : service.name]
}

output "migrate_task_definition_arn" {
  description = "The migration task's definition."
  value       = aws_ecs_task_definition.migrate.arn
}
