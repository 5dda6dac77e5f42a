output "secret_arns" {
  description = "ARN of each secret: app, jwt-signing, datastores, notification-providers."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
}
