output "url" {
  description = "POSTGRES_URL: the server without a database (each service appends its own)."
  value       = "postgres://${aws_db_instance.this.username}:${random_password.master.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}"
  sensitive   = true
}

output "instance_id" {
  description = "The instance's identifier (CloudWatch dimension)."
  value       = aws_db_instance.this.identifier
}
