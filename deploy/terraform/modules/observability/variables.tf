variable "name" {
  description = "Prefix of alarm names."
  type        = string
}

variable "alarm_email" {
  description = "E-mail subscribed to the alarm topic (empty: none)."
  type        = string
  default     = ""
}

variable "alb_arn_suffix" {
  description = "The load balancer's CloudWatch dimension."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "The gateway target group's CloudWatch dimension."
  type        = string
}

variable "ecs_cluster_name" {
  description = "The ECS cluster."
  type        = string
}

variable "ecs_service_names" {
  description = "The ECS services to watch."
  type        = list(string)
}

variable "postgres_instance_id" {
  description = "The RDS instance."
  type        = string
}

variable "postgres_connections_alarm" {
  description = "Connections that raise the alarm (5 subgraphs x 4 tasks x ~15, plus headroom)."
  type        = number
  default     = 350
}

variable "redis_replication_group" {
  description = "The ElastiCache replication group."
  type        = string
}

variable "rabbitmq_broker_name" {
  description = "The Amazon MQ broker."
  type        = string
}

variable "rabbitmq_memory_alarm_bytes" {
  description = "Broker memory that raises the alarm (below RabbitMQ's own high watermark)."
  type        = number
  default     = 3221225472 # 3 GiB
}
