variable "name" {
  description = "The broker's name."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per zone (a cluster broker spans them)."
  type        = list(string)
}

variable "security_group_id" {
  description = "The group admitting the subgraphs."
  type        = string
}

variable "instance_type" {
  description = "Broker instance type (RabbitMQ 4 runs on mq.m7g only)."
  type        = string
}

variable "engine_version" {
  description = "RabbitMQ version: on 4.2+ Amazon MQ makes a queue declared without a type a quorum queue."
  type        = string
  default     = "4.2"
}
