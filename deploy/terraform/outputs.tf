output "url" {
  description = "The gateway's public endpoint (point the DNS name of the certificate here)."
  value       = "https://${module.alb.dns_name}/graphql"
}

output "alb_dns_name" {
  description = "The load balancer's DNS name, for a CNAME or alias record."
  value       = module.alb.dns_name
}

output "ecs_cluster_name" {
  description = "The ECS cluster the services run in."
  value       = module.ecs.cluster_name
}

output "migrate_task_definition_arn" {
  description = "Run before a rollout: aws ecs run-task --task-definition <this> (see migrate_network_configuration)."
  value       = module.ecs.migrate_task_definition_arn
}

output "migrate_network_configuration" {
  description = "Subnets and security group for the migration task's run-task call."
  value = {
    subnets         = module.network.private_subnet_ids
    security_groups = [module.security_groups.migrate_security_group_id]
  }
}

output "secret_arns" {
  description = "Secrets Manager secrets the services read (app, jwt-signing, datastores, notification-providers)."
  value       = module.secrets.secret_arns
}

output "alarm_topic_arn" {
  description = "SNS topic every CloudWatch alarm notifies."
  value       = module.observability.alarm_topic_arn
}
