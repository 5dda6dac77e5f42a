variable "name" {
  description = "Prefix of resource names."
  type        = string
}

variable "region" {
  description = "Region of the log groups."
  type        = string
}

variable "vpc_id" {
  description = "The VPC of the service discovery namespace."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
}

variable "services" {
  description = "Per service: port, callers, Fargate cpu and memory, autoscaling bounds."
  type = map(object({
    port          = number
    callers       = list(string)
    cpu           = number
    memory        = number
    min_instances = number
    max_instances = number
  }))
}

variable "service_security_group_ids" {
  description = "Each service's security group, by service name."
  type        = map(string)
}

variable "gateway_target_group_arn" {
  description = "The load balancer's target group for the gateway."
  type        = string
}

variable "image_registry" {
  description = "Registry of the airline-<service> images."
  type        = string
}

variable "image_tag" {
  description = "The release to run."
  type        = string
}

variable "secret_arns" {
  description = "Secrets Manager ARNs: app, jwt-signing, datastores, notification-providers."
  type        = map(string)
}

variable "payment_provider_url" {
  description = "The card processor's API base URL (payments)."
  type        = string
}

variable "cors_origins" {
  description = "Extra browser origins for the gateway."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "CloudWatch log retention."
  type        = number
  default     = 30
}
