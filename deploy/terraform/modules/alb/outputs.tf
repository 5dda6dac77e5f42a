output "dns_name" {
  description = "The load balancer's DNS name."
  value       = aws_lb.this.dns_name
}

output "target_group_arn" {
  description = "The gateway's target group (the ECS service registers its tasks there)."
  value       = aws_lb_target_group.gateway.arn
}

output "arn_suffix" {
  description = "The load balancer's CloudWatch dimension."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "The target group's CloudWatch dimension."
  value       = aws_lb_target_group.gateway.arn_suffix
}
