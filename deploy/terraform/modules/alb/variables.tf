variable "name" {
  description = "Name of the load balancer and its target group."
  type        = string
}

variable "vpc_id" {
  description = "The VPC of the targets."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets, one per zone."
  type        = list(string)
}

variable "security_group_id" {
  description = "The load balancer's group (HTTPS from anywhere, to the gateway only)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of the public host name."
  type        = string
}

variable "target_port" {
  description = "The gateway's port."
  type        = number
}
