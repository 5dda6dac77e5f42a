variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "airline"
}

variable "environment" {
  description = "Environment name (production, staging, ...), part of resource names."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidr" {
  description = "The VPC's address range."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones to spread over (2 or 3); the data stores are Multi-AZ across them."
  type        = number
  default     = 3
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every zone (cheaper, one zone's outage cuts egress) instead of one per zone."
  type        = bool
  default     = false
}

variable "image_registry" {
  description = "Registry CI pushes the per-service images to (airline-<service>:<tag>), e.g. ghcr.io/acme."
  type        = string
}

variable "image_tag" {
  description = "The release to run: CI tags every image with the commit SHA."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate for the public HTTPS listener."
  type        = string
}

variable "cors_origins" {
  description = "Browser origins allowed by the gateway besides Apollo Studio (the web app)."
  type        = list(string)
  default     = []
}

variable "payment_provider_url" {
  description = "The card processor's API base URL."
  type        = string
}

variable "agent_email" {
  description = "The seeded airline-staff account."
  type        = string
}

variable "agent_password" {
  description = "Its password (12+ characters, not the documented default)."
  type        = string
  sensitive   = true
}

variable "notification_providers" {
  description = "SMTP_URL, SMS_PROVIDER_URL, SMS_PROVIDER_API_KEY, PUSH_PROVIDER_URL, PUSH_PROVIDER_API_KEY for notifications."
  type        = map(string)
  sensitive   = true
}

variable "postgres_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.m6g.large"
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.m6g.large"
}

variable "rabbitmq_instance_type" {
  description = "Amazon MQ broker instance type."
  type        = string
  default     = "mq.m7g.large"
}

variable "services" {
  description = "Per service: Fargate CPU units, memory (MiB) and the autoscaling bounds."
  type = map(object({
    cpu           = number
    memory        = number
    min_instances = number
    max_instances = number
  }))
  default = {
    gateway       = { cpu = 512, memory = 1024, min_instances = 2, max_instances = 8 }
    customers     = { cpu = 512, memory = 1024, min_instances = 2, max_instances = 4 }
    flights       = { cpu = 512, memory = 1024, min_instances = 2, max_instances = 4 }
    bookings      = { cpu = 512, memory = 1024, min_instances = 2, max_instances = 4 }
    payments      = { cpu = 256, memory = 512, min_instances = 2, max_instances = 4 }
    notifications = { cpu = 256, memory = 512, min_instances = 2, max_instances = 4 }
  }
}

variable "log_retention_days" {
  description = "How long CloudWatch keeps the services' logs."
  type        = number
  default     = 30
}

variable "alarm_email" {
  description = "Where CloudWatch alarms are sent (empty: the SNS topic only)."
  type        = string
  default     = ""
}
